/**
 * Figures measured in Chromium (puppeteer-core from @web/test-runner-chrome, Debian's
 * /usr/bin/chromium or CHROME_PATH, headless) on pages that load the built
 * dist/cdn/tk-elements.js (which `npm run bench` builds first):
 * - requests a page with all elements makes before it is interactive, with and without the
 *   companion's `preloadCalendars` (budget, docs/performance.md: 2, or 1 with preloading);
 * - data arrival to rendered list for 10, 100 and 1,000 calendars, and the longest task;
 * - long lists (1,000 and 5,000 calendars, each picker): data arrival to the first rows painted,
 *   to the virtualized list settled, and a filter keystroke, with the longest task of each;
 * - click on a checkbox to the painted change;
 * - `<tk-availability-rules>`' first paint;
 * - `<tk-availability-preview>` from an hour edit, and from a calendar toggle, to the repainted
 *   slots, on the real companion and emulator (the round trip and the sync included);
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
import { AVAILABILITY_PAGE, BENCH_PAGE, PAGE } from './pages.js';

const CDN_DIR = new URL('../dist/cdn/', import.meta.url);
const CLICK_RUNS = 15;
const PREVIEW_RUNS = 7;
const TOGGLE_RUNS = 5;
const CYCLES = 1000;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

/** A host app: the pages, the built CDN files, and (optionally) the companion at /timekit. */
async function host(companion?: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname;
    if (path.startsWith('/timekit/') && companion) return companion(req, res);
    const page = ({ '/': PAGE, '/bench': BENCH_PAGE, '/availability': AVAILABILITY_PAGE } as Record<string, string>)[path];
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(page);
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
/** A host app with the companion at /timekit on `emulator`, every request signed in as `user`. */
async function hostWithCompanion(emulator: Emulator, user: string, options: { preloadCalendars?: boolean } = {}) {
  // the companion needs the page's origin, which exists once the server listens
  const route: { companion?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const app = await host((req, res) => route.companion!(req, res));
  route.companion = toNodeHandler(
    createCompanion({
      apiBase: emulator.url,
      app: emulator.app,
      appKey: emulator.appKey,
      allowedOrigins: [app.origin],
      secret: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
      store: memoryStore(),
      authenticate: () => user,
      basePath: '/timekit',
      ...options,
    }),
  );
  return app;
}

async function requestsBeforeInteractive(browser: Browser, emulator: Emulator, preloadCalendars: boolean) {
  const app = await hostWithCompanion(emulator, 'bench-user', { preloadCalendars });
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

interface PreviewRun {
  ms: number;
  roundTrip: number;
  syncAt: number;
  longestTask: number;
}

/**
 * `<tk-availability-preview>` on the real companion (relay mode: `/availability` through it) and
 * emulator: an hour edit in `<tk-availability-rules>`, and a calendar toggled in the picker (whose
 * busy time reaches Timekit only after the sync), each to the repainted slots.
 */
async function previewUpdates(browser: Browser, emulator: Emulator): Promise<{ edit: PreviewRun[]; toggle: PreviewRun[] }> {
  const app = await hostWithCompanion(emulator, 'bench-preview-user');
  try {
    await connectThroughCompanion(`${app.origin}/timekit`, 'alex.morgan@example.com', { referer: `${app.origin}/` });
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 2000 });
    await page.goto(`${app.origin}/availability`);
    await page.waitForFunction('window.previewBench?.ready()', { timeout: 20_000 });
    const runs = async (act: 'edit' | 'toggle', count: number) => {
      const results: PreviewRun[] = [];
      for (let i = 0; i < count; i++) {
        results.push((await page.evaluate(`window.previewBench.measure(${JSON.stringify(act)})`)) as PreviewRun);
        // the rules element saves a moment after the edit: let it, so runs do not overlap
        await new Promise((resolve) => setTimeout(resolve, 800));
      }
      return results;
    };
    const edit = await runs('edit', PREVIEW_RUNS);
    const toggle = await runs('toggle', TOGGLE_RUNS);
    await context.close();
    return { edit, toggle };
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

    const { edit, toggle } = await previewUpdates(browser, emulator);
    const longTasks = (runs: PreviewRun[]) => {
      const worst = Math.max(...runs.map((r) => r.longestTask));
      return worst > 0 ? `longest task ${ms(worst)}` : 'no task over 50 ms in any run';
    };
    rows.push({
      figure: '<tk-availability-preview>: hour edit → repainted slots',
      value: ms(median(edit.map((r) => r.ms))),
      how: `median of ${PREVIEW_RUNS}, real companion (relay) and emulator: Monday's end hour changed in <tk-availability-rules> → the preview's slots changed and the next frame out. Of it: the preview's 300 ms debounce, then POST /availability (round trip median ${ms(median(edit.map((r) => r.roundTrip)))}); ${longTasks(edit)} (budget: debounce + one round trip + one frame, no task over 50 ms)`,
    });
    rows.push({
      figure: '<tk-availability-preview>: calendar toggle → repainted slots',
      value: ms(median(toggle.map((r) => r.ms))),
      how: `median of ${TOGGLE_RUNS}: the Work calendar toggled in the picker → its busy time in (or out of) the preview's painted slots. Of it: the session's sync ${ms(median(toggle.map((r) => r.syncAt)))} after the click (1.5 s after the write lands, so Timekit imports the calendar's events), then POST /availability (round trip median ${ms(median(toggle.map((r) => r.roundTrip)))}); ${longTasks(toggle)}`,
    });

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
          how: `median of 5: calendars promise resolved → ${n > 200 ? 'the rows on screen (virtualized: over 200 rows)' : `all ${n} rows`} in the shadow DOM and the next frame out (rAF + a task); longest task: ${tasks(median(longest))} in the median run, ${tasks(Math.max(...longest))} in the worst (budget: no task over 50 ms)`,
        });
      }

      type Step = { longestTask: number };
      type LongRun = { arrival: Step & { firstPaint: number; settled: number }; narrow: Step & { ms: number }; clear: Step & { ms: number } };
      const worstTask = (steps: Step[]) => {
        const worst = Math.max(...steps.map((step) => step.longestTask));
        return worst > 0 ? `longest task ${ms(worst)}` : 'no task over 50 ms';
      };
      await page.evaluate('window.bench.longList("tk-calendar-picker", 1000)'); // warm-up: the virtualizer's chunk fetched
      for (const tag of ['tk-calendar-picker', 'tk-booking-target']) {
        for (const n of [1000, 5000]) {
          const runs: LongRun[] = [];
          for (let i = 0; i < 5; i++) runs.push((await page.evaluate(`window.bench.longList(${JSON.stringify(tag)}, ${n})`)) as LongRun);
          const count = n.toLocaleString('en');
          rows.push(
            {
              figure: `<${tag}>: ${count} calendars, data arrival → first rows / virtualized list painted`,
              value: `${ms(median(runs.map((r) => r.arrival.firstPaint)))} / ${ms(median(runs.map((r) => r.arrival.settled)))}`,
              how: `median of 5: calendars promise resolved → the first rows painted (the first 200, at once), then the virtualizer's rows on screen painted (its chunk loaded by a warm-up); ${worstTask(runs.map((r) => r.arrival))} in any run (budget: no task over 50 ms)`,
            },
            {
              figure: `<${tag}>: ${count} calendars, filter keystroke → painted`,
              value: `${ms(median(runs.map((r) => r.narrow.ms)))} narrowing / ${ms(median(runs.map((r) => r.clear.ms)))} clearing`,
              how: `median of 5: the filter's input event → the list updated and the next frame out; narrowing: all → "Calendar 12" (${n === 1000 ? 11 : 111} rows), clearing: back to all ${count} (virtualized); ${worstTask(runs.flatMap((r) => [r.narrow, r.clear]))} in any run`,
            },
          );
        }
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

      await page.evaluate('window.bench.rulesFirstPaint()'); // warm-up: the element's chunk fetched
      const firstPaints: number[] = [];
      for (let i = 0; i < 5; i++) firstPaints.push((await page.evaluate('window.bench.rulesFirstPaint()')) as number);
      rows.push({
        figure: '<tk-availability-rules>: appended → painted weekly hours',
        value: ms(median(firstPaints)),
        how: 'median of 5: the element appended with a ready session whose saved rules are answered in the page (its chunk already loaded) → seven weekday rows in the shadow DOM and the next frame out',
      });

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
