/**
 * The elements against three companions: a page with `<tk-session>`, `<tk-google-connect>` and
 * `<tk-calendar-picker>` (the self-contained dist/cdn build) talks to three `tk-companion`
 * processes on one throwaway PostgreSQL cluster behind a round-robin proxy, in Chromium. The
 * popup's start and its callback land on different instances; after one instance is killed, a
 * reload is still connected and the picker still loads. Needs PostgreSQL (skips loudly without
 * it, fails without it under CI) and `npm run build`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS } from '../../scripts/chromium-args.mjs';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { postgresMissing, startCluster, type Cluster } from '../node/companion/postgres-cluster.js';
import { loginCookie, startScaleOut, type ScaleOut } from '../node/companion/scale-out-stack.js';
import { connectedAccount, consent } from './harness.js';

/** dist/cdn/: the CDN file and the chunks it loads later (the connect round trip after the click). */
const CDN = fileURLToPath(new URL('../../dist/cdn/', import.meta.url));
const missing = postgresMissing();

let cluster: Cluster;
let emulator: Emulator;
let stack: ScaleOut;
let page: Server;
let pageOrigin: string;
let browser: Browser;

/** The host page: the elements and nothing else, the session pointed at the proxy. */
function hostPage(endpoint: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Scale-out</title><script type="module" src="/tk-elements.js"></script></head>
<body><tk-session endpoint="${endpoint}"><tk-google-connect></tk-google-connect><tk-calendar-picker name="findtime_calendars"></tk-calendar-picker></tk-session></body></html>`;
}

before(async () => {
  if (missing) return;
  cluster = await startCluster();
  emulator = await startEmulator({ port: 0 });
  page = createServer((req, res) => {
    const file = /^\/(tk-elements(\.[a-z-]+)?\.js)$/.exec(req.url ?? '')?.[1];
    if (file) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(CDN + file));
    } else {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(stack.proxyUrl));
    }
  });
  await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  stack = await startScaleOut({
    instances: 3,
    databaseUrl: await cluster.createDatabase('e2e_scale_out'),
    apiBase: emulator.url,
    app: emulator.app,
    appKey: emulator.appKey,
    origins: [pageOrigin],
  });
  browser = await chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS, headless: true });
});

after(async () => {
  await browser?.close();
  await stack?.close();
  if (page) await new Promise((resolve) => page.close(resolve));
  await emulator?.close();
  await cluster?.stop();
});

test('the elements connect and load through three instances, and keep working when one is killed', { skip: missing ?? false }, async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  try {
    // The host's login: the companion's JWT cookie, sent to the proxy (same host, another port).
    const [name, value] = (await loginCookie('ada')).split('=') as [string, string];
    await context.addCookies([{ name, value, url: stack.proxyUrl }]);
    const tab = await context.newPage();
    await tab.goto(pageOrigin);
    const [popup] = await Promise.all([tab.waitForEvent('popup'), tab.getByRole('button', { name: 'Connect Google Calendar' }).click()]);
    await consent(popup, 'Alex Morgan');
    await connectedAccount(tab, 'alex.morgan@example.com').waitFor();
    await tab.getByRole('checkbox', { name: /^Work/ }).waitFor();

    const start = stack.proxied.find((r) => r.path === '/google/start')!;
    const callback = stack.proxied.find((r) => r.path.startsWith('/google/callback/'))!;
    assert.notEqual(callback.instance, start.instance, 'the callback landed on another instance than the start');

    await stack.instances[(callback.instance + 1) % 3]!.kill();
    await tab.reload();
    await connectedAccount(tab, 'alex.morgan@example.com').waitFor();
    await tab.getByRole('checkbox', { name: /^Work/ }).waitFor();
    const mints = emulator.requests.filter((r) => r.method === 'POST' && r.path === '/credentials').length;
    assert.equal(mints, 1, 'one widget credential between the instances, before and after the kill');
  } finally {
    await context.close();
  }
});
