/**
 * The Google connect round trip as integrators deploy it, in Chromium: the page on a Vite dev
 * server whose proxy shorthand (`proxy: {'/timekit': url}`, which sets `changeOrigin: true`)
 * forwards to the host's API server with its `Host` rewritten, and the companion mounted there
 * the way Express's `app.use('/timekit', …)` mounts it (the mount stripped, kept in `baseUrl`).
 * With no `basePath` and with a wrong one, popup and redirect mode connect; and the
 * account-linking attack (one user starts, another finishes in her own browser) is refused in
 * both modes, with nothing stored.
 */
import assert from 'node:assert/strict';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { createCompanion, memoryStore, toNodeHandler, type Companion, type CompanionStore } from '../../src/companion/index.js';
import type { NodeContext } from '../../src/companion/node.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { CHROMIUM_ARGS } from '../../scripts/chromium-args.mjs';
import { connectedAccount, consent } from './harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MOUNT = '/timekit';
const PAGE_PATH = '/test/e2e/fixtures/connect.html';

let emulator: Emulator;
let api: Server;
let front: ViteDevServer;
let browser: Browser;
/** The page origin, e.g. http://127.0.0.1:PORT (Vite's). */
let base = '';
let apiOrigin = '';
let store: CompanionStore & { records: Map<string, unknown> };
let handler: ((req: IncomingMessage, res: NodeContext['res']) => void) | undefined;

const userOf = (req: IncomingMessage) => /(?:^|;\s*)sid=([a-z]+)/.exec(req.headers.cookie ?? '')?.[1] ?? null;

/** A companion as a host configures it, with `basePath` missing or wrong. */
function mountCompanion(basePath: string | undefined) {
  store = memoryStore();
  const companion: Companion<NodeContext> = createCompanion<NodeContext>({
    apiBase: emulator.url,
    app: emulator.app,
    appKey: emulator.appKey,
    allowedOrigins: [base],
    secret: 'e2e-proxy-secret-0123456789-abcdefghijklmnop',
    store,
    ...(basePath === undefined ? {} : { basePath }),
    authenticate: (_request, { req }) => userOf(req),
  });
  handler = toNodeHandler(companion);
}

before(async () => {
  // The connect's own doubts on the evidence side (Timekit appends the callback's parameters as
  // text, ignores a search on email); the rest optimistic, as the companion's Node rig runs.
  emulator = await startEmulator({ port: 0, profile: 'optimistic', switches: { callbackAsText: true, searchIgnoresUnknown: true } });
  // The host's API server: the companion under /timekit as Express mounts it, Express's 404 elsewhere.
  api = createHttpServer((req, res) => {
    const url = req.url ?? '/';
    if (handler && (url === MOUNT || url.startsWith(`${MOUNT}/`) || url.startsWith(`${MOUNT}?`))) {
      Object.assign(req, { originalUrl: url, baseUrl: MOUNT });
      req.url = url.slice(MOUNT.length) || '/';
      return handler(req, res);
    }
    res.writeHead(404, { 'content-type': 'text/html' }).end(`<pre>Cannot GET ${url.split('?')[0]}</pre>`);
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  apiOrigin = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  front = await createServer({
    configFile: false,
    root,
    cacheDir: join(tmpdir(), 'tk-e2e-connect-proxy-vite'),
    logLevel: 'warn',
    clearScreen: false,
    // Served as they are: no dependency pre-bundling, whose first-visit reload would race the test.
    optimizeDeps: { noDiscovery: true, include: [] },
    // The shorthand: Vite sets changeOrigin, so the API server sees Host 127.0.0.1:<its port>.
    server: { host: '127.0.0.1', port: 0, proxy: { [MOUNT]: apiOrigin } },
  });
  await front.listen();
  base = `http://127.0.0.1:${(front.httpServer!.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
});

after(async () => {
  await browser?.close();
  await front?.close();
  await new Promise((resolve) => api?.close(resolve));
  await emulator?.close();
});

interface SignedIn {
  context: BrowserContext;
  page: Page;
}

/** A browser of its own, signed in to the host app as `user`, on the page (in `mode`). */
async function open(user: string, mode: 'popup' | 'redirect' = 'popup'): Promise<SignedIn> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  await context.addCookies([{ name: 'sid', value: user, url: base }]);
  const page = await context.newPage();
  await page.goto(`${base}${PAGE_PATH}?mode=${mode}`);
  await page.getByRole('button', { name: 'Connect Google Calendar' }).waitFor();
  await page.waitForFunction(() => !document.querySelector('tk-google-connect')!.matches(':state(loading)'));
  return { context, page };
}

const events = (page: Page) => page.evaluate(() => JSON.parse(sessionStorage.getItem('events') ?? '[]') as Array<{ type: string; detail: unknown }>);

/** What POST /timekit/session says for this browser. */
async function sessionOf({ context }: SignedIn): Promise<{ status: string; email?: string }> {
  const answer = await context.request.post(`${base}${MOUNT}/session`, { headers: { origin: base } });
  return (await answer.json()) as { status: string; email?: string };
}

for (const [label, basePath] of [
  ['no basePath', undefined],
  ['a wrong basePath', '/wrong'],
] as const) {
  describe(`behind a changeOrigin proxy, ${label}`, () => {
    beforeEach(() => mountCompanion(basePath));

    test('popup: consent, then tk-connected and the session has the account', async () => {
      const ada = await open('ada');
      try {
        const [popup] = await Promise.all([ada.page.waitForEvent('popup'), ada.page.getByRole('button', { name: 'Connect Google Calendar' }).click()]);
        await consent(popup, 'Alex Morgan');
        await connectedAccount(ada.page, 'alex.morgan@example.com').waitFor();
        const log = await events(ada.page);
        assert.deepEqual(log.map((e) => e.type), ['tk-connect', 'tk-connected']);
        assert.equal((log[1]!.detail as { email: string }).email, 'alex.morgan@example.com');
        assert.equal((await sessionOf(ada)).email, 'alex.morgan@example.com');
        // the result page closes itself once it has answered
        if (!popup.isClosed()) await popup.waitForEvent('close');
      } finally {
        await ada.context.close();
      }
    });

    test('redirect: back on the page, tk-connected once, the URL clean; a spoofed ?tk_connect=ok afterwards fires nothing', async () => {
      const ben = await open('ben', 'redirect');
      try {
        await ben.page.getByRole('button', { name: 'Connect Google Calendar' }).click();
        await ben.page.waitForURL(/\/_google\/consent/);
        await consent(ben.page, 'Jordan Reed');
        await connectedAccount(ben.page, 'jordan.reed@example.com').waitFor();
        assert.doesNotMatch(ben.page.url(), /tk_connect|tk_state/);
        assert.deepEqual((await events(ben.page)).map((e) => e.type), ['tk-connect', 'tk-connected']);

        await ben.page.evaluate(() => sessionStorage.removeItem('events'));
        await ben.page.goto(`${base}${PAGE_PATH}?mode=redirect&tk_connect=ok`);
        await connectedAccount(ben.page, 'jordan.reed@example.com').waitFor();
        await ben.page.waitForTimeout(300);
        assert.deepEqual(await events(ben.page), []);
        assert.doesNotMatch(ben.page.url(), /tk_connect/);
      } finally {
        await ben.context.close();
      }
    });
  });
}

describe('account-linking CSRF in Chromium: mallory starts, carmen finishes in her own browser', () => {
  beforeEach(() => mountCompanion(undefined));

  /** carmen opens the link mallory sent her, picks her Google account and clicks Allow. */
  async function victimFinishes(link: string): Promise<SignedIn> {
    const carmen = await open('carmen');
    await carmen.page.goto(link);
    await consent(carmen.page, 'Sam Lee');
    return carmen;
  }

  test('popup: the victim sees "started in another browser", nothing is stored for anyone', async () => {
    const mallory = await open('mallory');
    let carmen: SignedIn | undefined;
    try {
      const [popup] = await Promise.all([mallory.page.waitForEvent('popup'), mallory.page.getByRole('button', { name: 'Connect Google Calendar' }).click()]);
      await popup.waitForURL(/\/_google\/consent/);
      const link = popup.url(); // what she sends the provider
      await popup.close();
      carmen = await victimFinishes(link);
      await carmen.page.getByRole('heading', { name: 'Google Calendar not connected' }).waitFor();
      assert.match(await carmen.page.locator('main p').innerText(), /started in another browser or by another account/);
      assert.match(carmen.page.url(), new RegExp(`^${base}${MOUNT}/google/done/`), 'the token is not left in the address bar');
      assert.equal(store.records.size, 0);
      assert.equal((await sessionOf(mallory)).status, 'signed-out');
      assert.equal((await sessionOf(carmen)).status, 'signed-out');
    } finally {
      await mallory.context.close();
      await carmen?.context.close();
    }
  });

  test('redirect: the victim lands on the page with the outcome, her element fires nothing, nothing is stored', async () => {
    const mallory = await open('mallory', 'redirect');
    let carmen: SignedIn | undefined;
    try {
      await mallory.page.getByRole('button', { name: 'Connect Google Calendar' }).click();
      await mallory.page.waitForURL(/\/_google\/consent/);
      const link = mallory.page.url();
      carmen = await victimFinishes(link);
      await carmen.page.waitForURL(new RegExp(`^${base}${PAGE_PATH}`));
      await carmen.page.getByRole('button', { name: 'Connect Google Calendar' }).waitFor();
      await carmen.page.waitForTimeout(300);
      assert.deepEqual(await events(carmen.page), [], "mallory's state is not in carmen's sessionStorage");
      assert.doesNotMatch(carmen.page.url(), /tk_connect|token=/);
      assert.equal(store.records.size, 0);
      assert.equal((await sessionOf(mallory)).status, 'signed-out');
    } finally {
      await mallory.context.close();
      await carmen?.context.close();
    }
  });
});
