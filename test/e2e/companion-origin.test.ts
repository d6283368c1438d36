/**
 * The separate-origin set-up of docs/companion.md, in Chromium: the host app on
 * `app.example.test`, the standalone `tk-companion` (JWT users) on `timekit.example.test`, both
 * on loopback through Chromium's host-resolver rules. The host's login sets the companion's JWT
 * cookie with `Domain=example.test`, the page loads the CDN build under a strict CSP whose
 * `connect-src` names the companion, and a provider connects Google in the popup and sees the
 * calendars, which the picker reads through the companion's relay on its own origin. The same
 * companion on another port of the page's own host (the sidecar beside a Flask or Rails app):
 * no page of the round trip, the popup included, logs a postMessage target-origin warning.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { run as runCompanionCommand } from '../../src/companion/cli.js';
import { signHs256 } from '../../src/companion/jwt.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { CHROMIUM_ARGS } from '../../scripts/chromium-args.mjs';
import { captureIo, firstLineOf } from '../node/cli-io.js';
import { consent } from './harness.js';

const cdn = fileURLToPath(new URL('../../dist/cdn/', import.meta.url));
const JWT_SECRET = 'e2e-host-and-companion-share-this-0123456789';

let emulator: Emulator;
let host: Server;
let browser: Browser;
let companion: { url: string; stop(): Promise<number> };
let app = '';
let timekit = '';
/** The host app and the companion again, on 127.0.0.1: two origins of one site, as the consent page's. */
let appOnLoopback = '';
let sidecar = '';

/**
 * The host app: a login that sets the companion's cookie (for the parent domain on example.test;
 * on 127.0.0.1 for the host, which every port shares), the page, and dist/cdn/.
 */
function hostApp(): Server {
  return createServer((req, res) => {
    const onLoopback = req.headers.host?.startsWith('127.0.0.1:') ?? false;
    const endpoint = onLoopback ? sidecar : timekit;
    const url = new URL(req.url ?? '/', onLoopback ? appOnLoopback : app);
    if (url.pathname === '/login') {
      const jwt = signHs256({ sub: url.searchParams.get('user'), iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 3600 }, JWT_SECRET);
      res.writeHead(303, { location: '/', 'set-cookie': `tk_companion_jwt=${jwt};${onLoopback ? '' : ' Domain=example.test;'} Path=/; HttpOnly; SameSite=Lax` }).end();
    } else if (url.pathname === '/') {
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ${endpoint} ${emulator.origin}`,
      });
      res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Onboarding</title>
<script type="module" src="/static/tk-elements/tk-elements.js"></script></head><body>
<tk-session endpoint="${endpoint}"><tk-google-connect></tk-google-connect><tk-calendar-picker name="findtime_calendars"></tk-calendar-picker></tk-session>
</body></html>`);
    } else if (/^\/static\/tk-elements\/tk-elements[\w.-]*\.js$/.test(url.pathname)) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(cdn, url.pathname.slice('/static/tk-elements/'.length))));
    } else {
      res.writeHead(404).end();
    }
  });
}

/** A port free now, for the companion, whose origin the emulator must know before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

before(async () => {
  const companionPort = await freePort();
  timekit = `http://timekit.example.test:${companionPort}`;
  sidecar = `http://127.0.0.1:${companionPort}`;
  // Timekit sends the browser back to the companion, which is on no loopback name here.
  emulator = await startEmulator({ port: 0, profile: 'optimistic', callbackOrigins: [timekit] });
  host = hostApp();
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  app = `http://app.example.test:${(host.address() as AddressInfo).port}`;
  appOnLoopback = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
  const captured = captureIo();
  const running = runCompanionCommand(
    ['--port', String(companionPort), '--json', '--api-base', emulator.url, '--app', emulator.app, '--origin', app, '--origin', appOnLoopback, '--store', ':memory:'],
    { TK_COMPANION_APP_KEY: emulator.appKey, TK_COMPANION_JWT_SECRET: JWT_SECRET },
    captured.io,
  );
  const { url } = JSON.parse(await firstLineOf(running, captured)) as { url: string };
  companion = {
    url,
    stop: () => {
      captured.stop();
      return running;
    },
  };
  browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--host-resolver-rules=MAP *.example.test 127.0.0.1'],
    headless: true,
  });
});

after(async () => {
  await browser?.close();
  await companion?.stop();
  await new Promise((resolve) => host?.close(resolve));
  await emulator?.close();
});

test('page and companion on two origins: the Domain cookie signs the provider in, the CSP allows the companion, the picker lists through its relay', async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  try {
    await page.goto(`${app}/login?user=ana`);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Connect Google Calendar' }).click()]);
    await consent(popup, 'Alex Morgan');
    const picker = page.locator('tk-calendar-picker');
    await picker.getByRole('checkbox', { name: /Work/ }).waitFor();
    // The cookie the host set for the parent domain is the one the companion read.
    const cookies = await context.cookies(timekit);
    assert.ok(cookies.some((cookie) => cookie.name === 'tk_companion_jwt' && cookie.domain === '.example.test'), JSON.stringify(cookies.map((c) => [c.name, c.domain])));
    assert.deepEqual(refused, [], 'no CSP violation');
  } finally {
    await context.close();
  }
});

test('a companion on another port of the page\'s host: no page of the popup round trip logs a postMessage target-origin warning', async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  // Every page of the context: a ping the browser drops for its target origin is logged in the
  // popup's console (in Chromium, when the popup's page is of the page's site, as the consent page is here).
  const warnings: string[] = [];
  context.on('console', (message) => {
    if (/postMessage|target origin/i.test(message.text())) warnings.push(message.text());
  });
  const page = await context.newPage();
  try {
    await page.goto(`${appOnLoopback}/login?user=bo`);
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Connect Google Calendar' }).click()]);
    // On the consent page (the emulator's origin) for a while, as a user reading it is: the element
    // watches the popup every 300 ms, and each ping to this page would be a warning.
    await popup.getByRole('radio', { name: /Alex Morgan/ }).waitFor();
    await popup.waitForTimeout(1_500);
    await consent(popup, 'Alex Morgan');
    await page.locator('tk-calendar-picker').getByRole('checkbox', { name: /Work/ }).waitFor();
    assert.deepEqual(warnings, []);
  } finally {
    await context.close();
  }
});
