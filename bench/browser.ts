/**
 * Figures measured in Chromium (puppeteer-core from @web/test-runner-chrome, Debian's
 * /usr/bin/chromium or CHROME_PATH, headless) on pages that load the built
 * dist/cdn/tk-elements.js (which `npm run bench` builds first):
 * - requests a page with all elements makes before it is interactive, with and without the
 *   companion's `preloadCalendars` (budget, README "Performance": 2, or 1 with preloading);
 * - data arrival to rendered list for 10, 100 and 1,000 calendars, and the longest task;
 * - click on a checkbox to the painted change;
 * - JS heap after 1,000 mount/unmount cycles of each element compared with before.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { puppeteerCore } from '@web/test-runner-chrome';
import { createCompanion, memoryStore, toNodeHandler } from '../src/companion/index.js';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { CHROMIUM_ARGS } from '../scripts/chromium-args.mjs';
import { connectThroughCompanion } from './consent.js';
import type { Row } from './run.js';

const CDN_DIR = new URL('../dist/cdn/', import.meta.url);
const CLICK_RUNS = 15;
const CYCLES = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/**
 * The page's own script: a session that is ready without a network (its calendars and saves are
 * answered in the page, so the figures are the elements' work alone) and the measurements,
 * exposed as `window.bench`. A string, not a function, so no Node-side transform reaches it.
 */
const BENCH_SCRIPT = `
import { TkSession } from '/tk-elements.js';

const readySession = () => ({
  status: 'ready', mode: 'direct', apiBase: 'https://api.invalid/v2', app: 'bench', email: 'bench@example.com',
  resourceId: 'res-1', token: 'bench-token', expiresAt: new Date(Date.now() + 3600e3).toISOString(),
  accounts: [{ provider: 'google', provider_id: 'bench@example.com', last_sync: null }],
});
const calendars = (n) => Array.from({ length: n }, (_, i) => ({
  id: 'cal-' + i, name: 'Calendar ' + i, description: null, foregroundcolor: null, backgroundcolor: '#4285f4',
  provider: 'google', provider_id: 'cal-' + i + '@example.com', provider_access: i % 7 === 3 ? 'reader' : 'owner',
  provider_primary: i === 0, provider_sync: i % 3 === 0, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z',
}));

class BenchSession extends TkSession {
  constructor(list = []) {
    super({ fetchCredentials: async () => readySession() });
    this.list = list;
    this.gate = null;
  }
  calendars() {
    return this.gate ? this.gate.promise : Promise.resolve(structuredClone(this.list));
  }
  async setProviderSync(id, sync) {
    const found = this.list.find((c) => c.id === id);
    found.provider_sync = sync;
    return { ...found };
  }
}

/** Resolves once the frame showing the current DOM has been painted (rAF, then the next task). */
const painted = () => new Promise((resolve) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve(performance.now());
  channel.port2.postMessage(null);
}));

/** Resolves when \`root\` holds \`count\` elements matching \`selector\`. */
const rendered = (root, selector, count) => new Promise((resolve) => {
  const check = () => root.querySelectorAll(selector).length >= count && (observer.disconnect(), resolve(), true);
  const observer = new MutationObserver(check);
  observer.observe(root, { childList: true, subtree: true });
  check();
});

async function mount(tag, session) {
  const el = document.createElement(tag);
  if (tag === 'tk-session') el.fetchCredentials = async () => ({ status: 'signed-out' });
  else el.session = session;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

window.bench = {
  /** ms from the calendars' promise resolving to the painted list of n rows, and the longest task. */
  async renderList(n) {
    const session = new BenchSession();
    await session.refresh();
    let arrive;
    session.gate = { promise: new Promise((resolve) => (arrive = resolve)) };
    const el = await mount('tk-calendar-picker', session);
    await painted();
    const tasks = [];
    const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
    observer.observe({ type: 'longtask' });
    const start = performance.now();
    arrive(calendars(n));
    await rendered(el.shadowRoot, '[part~="option"]', n);
    const end = await painted();
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the observer deliver
    observer.disconnect();
    el.remove();
    return { ms: end - start, longestTask: Math.max(0, ...tasks) };
  },

  /** A picker with 10 calendars (auto save, answered in the page); returns where to click. */
  async clickTarget() {
    const session = new BenchSession(calendars(10));
    await session.refresh();
    const el = await mount('tk-calendar-picker', session);
    await rendered(el.shadowRoot, '[part~="checkbox"]', 10);
    await painted();
    window.clickTimes = [];
    // the click's timeStamp is when the input event was created; the change is painted once
    // the picker has updated and the next frame is out
    el.addEventListener('click', (event) => (window.lastClick = event.timeStamp), { capture: true });
    el.addEventListener('change', async () => {
      await el.updateComplete;
      window.clickTimes.push((await painted()) - window.lastClick);
    });
    const box = el.shadowRoot.querySelector('[part~="checkbox"]').getBoundingClientRect();
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  },

  /** mount, render, unmount: \`n\` times, all but tk-session sharing one session with 10 calendars. */
  async cycles(tag, n) {
    const session = new BenchSession(calendars(10));
    await session.refresh();
    for (let i = 0; i < n; i++) {
      const el = await mount(tag, session);
      await el.updateComplete; // the pickers' second render, with the calendars
      el.remove();
    }
  },
};
window.benchReady = true;
`;

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tk bench</title></head>
<body>
<tk-session endpoint="/timekit">
  <tk-google-connect></tk-google-connect>
  <tk-calendar-picker name="availability"></tk-calendar-picker>
  <tk-booking-target name="target"></tk-booking-target>
</tk-session>
<script type="module" src="/tk-elements.js"></script>
</body></html>`;

const BENCH_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tk bench</title></head>
<body><script type="module">${BENCH_SCRIPT}</script></body></html>`;

/** A host app: the pages, the built CDN files, and (optionally) the companion at /timekit. */
async function host(companion?: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    if (path.startsWith('/timekit/') && companion) return companion(req, res);
    if (path === '/' || path === '/bench') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(path === '/' ? PAGE : BENCH_PAGE);
    }
    if (/^\/[\w.-]+\.js$/.test(path)) {
      try {
        const body = readFileSync(new URL(`.${path}`, CDN_DIR));
        res.writeHead(200, { 'content-type': 'text/javascript' });
        return res.end(body);
      } catch {
        // fall through to 404
      }
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
}

type Browser = Awaited<ReturnType<typeof puppeteerCore.launch>>;

/** Requests before both pickers show calendars, on a fresh page, for a returning user. */
async function requestsBeforeInteractive(browser: Browser, emulator: Emulator, preloadCalendars: boolean) {
  // the companion needs the page's origin, which exists once the server listens
  const route: { companion?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const app = await host((req, res) => route.companion!(req, res));
  const companion = createCompanion({
    apiBase: emulator.url,
    app: emulator.app,
    appKey: emulator.appKey,
    allowedOrigins: [app.origin],
    secret: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    store: memoryStore(),
    authenticate: () => 'bench-user',
    basePath: '/timekit',
    preloadCalendars,
  });
  route.companion = toNodeHandler(companion);
  try {
    // Connect through the fake consent screen, then one session request warms the credential cache.
    await connectThroughCompanion(`${app.origin}/timekit`, 'alex.morgan@example.com', { referer: `${app.origin}/` });
    await fetch(`${app.origin}/timekit/session`, { method: 'POST', headers: { origin: app.origin } });

    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    const fromPage: string[] = [];
    page.on('request', (request) => {
      const type = request.resourceType();
      if (type === 'fetch' || type === 'xhr') fromPage.push(`${request.method()} ${new URL(request.url()).pathname}`);
    });
    const before = emulator.requests.length;
    await page.goto(`${app.origin}/`);
    await page.waitForFunction(
      () => ['tk-calendar-picker', 'tk-booking-target'].every((tag) => document.querySelector(tag)?.matches(':state(content)')),
      { timeout: 15_000 },
    );
    const timekit = emulator.requests.slice(before);
    await context.close();
    return {
      page: fromPage.length,
      detail: fromPage.join(', '),
      fromPageToTimekit: timekit.filter((r) => r.origin === app.origin).length,
      fromCompanion: timekit.filter((r) => r.origin !== app.origin).map((r) => `${r.method} ${r.path}`),
    };
  } finally {
    await app.close();
  }
}

async function heapUsed(session: { send(method: string): Promise<unknown> }): Promise<number> {
  await session.send('HeapProfiler.collectGarbage');
  await session.send('HeapProfiler.collectGarbage');
  return ((await session.send('Runtime.getHeapUsage')) as { usedSize: number }).usedSize;
}

export async function browserFigures(): Promise<Row[]> {
  const browser = await puppeteerCore.launch({
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const emulator = await startEmulator({ port: 0, profile: 'optimistic' });
  const rows: Row[] = [];
  try {
    for (const preload of [false, true]) {
      const r = await requestsBeforeInteractive(browser, emulator, preload);
      rows.push({
        figure: `page: requests before interactive${preload ? ', preloadCalendars' : ''} (budget ${preload ? 1 : 2})`,
        value: String(r.page),
        how: `all 4 elements, returning user (warm companion cache): the page's fetches until both pickers show calendars (${r.detail}); of them to Timekit, counted by the emulator: ${r.fromPageToTimekit}; companion → Timekit meanwhile: ${r.fromCompanion.length ? r.fromCompanion.join(', ') : 'none'}`,
      });
    }

    const app = await host();
    const page = await browser.newPage();
    try {
      await page.goto(`${app.origin}/bench`);
      await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true);
      await page.evaluate('window.bench.renderList(100)'); // warm-up: code compiled, strings loaded
      for (const n of [10, 100, 1000]) {
        const runs: Array<{ ms: number; longestTask: number }> = [];
        for (let i = 0; i < 5; i++) runs.push((await page.evaluate(`window.bench.renderList(${n})`)) as { ms: number; longestTask: number });
        // Long Tasks API: only tasks over 50 ms are reported, so 0 means none in that run
        const longest = runs.map((r) => r.longestTask);
        const tasks = (value: number) => (value > 0 ? ms(value) : 'none over 50 ms');
        rows.push({
          figure: `picker: data arrival → rendered list, ${n.toLocaleString('en')} calendars`,
          value: ms(median(runs.map((r) => r.ms))),
          how: `median of 5: calendars promise resolved → all ${n} rows in the shadow DOM and the next frame out (rAF + a task); longest task: ${tasks(median(longest))} in the median run, ${tasks(Math.max(...longest))} in the worst (budget: no task over 50 ms)`,
        });
      }

      const target = (await page.evaluate('window.bench.clickTarget()')) as { x: number; y: number };
      for (let i = 0; i < CLICK_RUNS; i++) {
        await page.mouse.click(target.x, target.y);
        await page.waitForFunction((count) => (window as unknown as { clickTimes: number[] }).clickTimes.length >= count, {}, i + 1);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const clicks = (await page.evaluate('window.clickTimes')) as number[];
      rows.push({
        figure: 'picker: click on a checkbox → painted change',
        value: ms(median(clicks)),
        how: `median of ${CLICK_RUNS} clicks (CDP mouse input, save="auto" answered in the page): the click event's timeStamp → the picker updated and the next frame out (budget: same frame, ≤ 16.7 ms at 60 Hz)`,
      });
      await page.reload();
      await page.waitForFunction(() => (window as unknown as { benchReady?: boolean }).benchReady === true);

      const cdp = await page.createCDPSession();
      for (const tag of ['tk-session', 'tk-google-connect', 'tk-calendar-picker', 'tk-booking-target']) {
        await page.evaluate(`window.bench.cycles(${JSON.stringify(tag)}, 10)`); // warm-up: one-time allocations
        const before = await heapUsed(cdp);
        await page.evaluate(`window.bench.cycles(${JSON.stringify(tag)}, ${CYCLES})`);
        const after = await heapUsed(cdp);
        rows.push({
          figure: `memory: <${tag}> × ${CYCLES.toLocaleString('en')} mount/unmount`,
          value: `${mb(before)} → ${mb(after)} (${after >= before ? '+' : ''}${((after - before) / 1e3).toFixed(0)} KB)`,
          how: 'JS heap used (CDP Runtime.getHeapUsage after two forced GCs) before and after; each cycle appends, waits for the render (calendars included), removes; 10 warm-up cycles first',
        });
      }
    } finally {
      await page.close();
      await app.close();
    }
  } finally {
    await emulator.close();
    await browser.close();
  }
  return rows;
}
