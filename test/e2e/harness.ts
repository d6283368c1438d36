/**
 * The end-to-end tests' stack: `npm start`'s own Vite server (the demo config, so the same plugin
 * starts the emulator and mounts the companion) on a free port, and Debian's Chromium driven by
 * playwright-core, which never downloads a browser.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { USER_COOKIE } from '../../demo/dev-server.js';
import { CHROMIUM_ARGS } from '../../scripts/chromium-args.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface Demo {
  base: string;
  server: ViteDevServer;
  browser: Browser;
  close(): Promise<void>;
}

export async function startDemo(): Promise<Demo> {
  const server = await createServer({
    configFile: `${root}vite.config.ts`,
    // Port 0: a free one, so a running `npm start` does not clash; the plugin allows whichever it gets.
    server: { port: 0, strictPort: false },
    logLevel: 'warn',
    clearScreen: false,
  });
  await server.listen();
  const { port } = server.httpServer!.address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    headless: true,
  });
  return {
    base: `http://127.0.0.1:${port}`,
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

export interface SignedIn {
  context: BrowserContext;
  page: Page;
}

/**
 * A fresh browser context signed in to the demo as `user` (an id from demo/dev-server.ts's
 * DEMO_USERS), with the user's companion record forgotten ("start over"), so each test starts with
 * nothing connected. It sets the host's login cookie directly, saving page loads; the sign-in card
 * itself is driven by the sign-in and keyboard tests. `phone`: a touch screen (use with a phone-sized `viewport`).
 */
export async function signIn(
  demo: Demo,
  user: string,
  options: { blockPopups?: boolean; viewport?: { width: number; height: number }; phone?: boolean } = {},
): Promise<SignedIn> {
  // `phone`: a touch screen, so the page matches `(pointer: coarse)` as on a real phone.
  const context = await demo.browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 900 },
    ...(options.phone ? { hasTouch: true, isMobile: true } : {}),
  });
  context.setDefaultTimeout(10_000);
  if (options.blockPopups) {
    // What a popup blocker does: window.open answers null.
    await context.addInitScript(() => {
      window.open = () => null;
    });
  }
  await context.addCookies([{ name: USER_COOKIE, value: user, url: demo.base }]);
  const reset = await context.request.post(`${demo.base}/demo/start-over`, { headers: { origin: demo.base }, data: {} });
  if (!reset.ok()) throw new Error(`start over for ${user}: HTTP ${reset.status()}`);
  const page = await context.newPage();
  await page.goto(demo.base);
  await page.getByRole('button', { name: 'Connect Google Calendar' }).waitFor();
  return { context, page };
}

/** Chooses `identity` on the emulator's consent page and answers `decision` (Google's words, or Microsoft's Accept and Cancel). */
export async function consent(page: Page, identity: string, decision: 'Allow' | 'Deny' | 'Accept' | 'Cancel' = 'Allow') {
  await page.getByRole('radio', { name: new RegExp(identity) }).check();
  await page.getByRole('button', { name: decision }).click();
}

/** The connected Google account as `<tk-google-connect>` lists it. */
export function connectedAccount(page: Page, email: string) {
  return page.getByRole('list', { name: 'Calendar accounts: Google' }).getByText(`Google: ${email}`);
}

/** The Microsoft 365 connect through the popup, with an organisational identity; resolves once the popup has answered. */
export async function connectMicrosoftWithPopup(page: Page, identity: string) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Sign in with Microsoft' }).click()]);
  // Listening before the answer: the popup may close before a listener added after it would be.
  const closed = popup.waitForEvent('close');
  await consent(popup, identity, 'Accept');
  await closed;
}

/** Path 1b through the popup; resolves once the page shows the connected account. */
export async function connectWithPopup(page: Page, identity: string, email: string) {
  const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Connect Google Calendar' }).click()]);
  await consent(popup, identity);
  await connectedAccount(page, email).waitFor();
}

/** Where screenshots go: docs/screenshots with UPDATE_SCREENSHOTS=1, else nowhere (the states are still rendered and captured). */
export function screenshotPath(name: string): string | undefined {
  if (!process.env.UPDATE_SCREENSHOTS) return undefined;
  mkdirSync(`${root}docs/screenshots`, { recursive: true });
  return `${root}docs/screenshots/${name}.png`;
}
