/**
 * The pages the browser bench (bench/browser.ts) loads, with their in-page scripts: the elements
 * on the built CDN file, a session answered in the page for the list and click figures, and the
 * working-hours step on the real stack for the preview figures.
 */
/** In-page: resolves once the frame showing the current DOM has been painted (rAF, then the next task). */
const PAINTED = `
const painted = () => new Promise((resolve) => requestAnimationFrame(() => {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => resolve(performance.now());
  channel.port2.postMessage(null);
}));
`;

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
  async loadAvailabilityRules() {
    const constraints = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].map((day) => ({ allow_day_and_time: { day, start: 9, end: 17 } }));
    return { timezone: 'Europe/Berlin', constraints, saved: true };
  }
}

${PAINTED}
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

/** Long tasks (over 50 ms, the Long Tasks API's floor) while \`work\` runs: the longest, or 0 for none. */
async function longestTaskDuring(work) {
  const tasks = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: 'longtask' });
  const result = await work();
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the observer deliver
  observer.disconnect();
  return { ...result, longestTask: Math.max(0, ...tasks) };
}

/** Lists over 200 rows render only the rows on screen: ready once the virtualizer's rows are in. */
const listReady = (el, n) => (n > 200 ? rendered(el.shadowRoot, '[role="listitem"] [part~="option"]', 1) : rendered(el.shadowRoot, '[part~="option"]', n));

window.bench = {
  /** ms from the calendars' promise resolving to the painted list (n rows, or the rows on screen of a long list), and the longest task. */
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
    await listReady(el, n);
    const end = await painted();
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the observer deliver
    observer.disconnect();
    el.remove();
    return { ms: end - start, longestTask: Math.max(0, ...tasks) };
  },

  /**
   * A picker (\`tag\`) receiving n calendars: ms to the first rows painted, to the virtualized list
   * painted, and for one filter keystroke (all → "Calendar 12", then cleared → all), each to the
   * next frame out, with the longest task of each step.
   */
  async longList(tag, n) {
    const session = new BenchSession();
    await session.refresh();
    let arrive;
    session.gate = { promise: new Promise((resolve) => (arrive = resolve)) };
    const el = await mount(tag, session);
    await painted();
    const arrival = await longestTaskDuring(async () => {
      const start = performance.now();
      arrive(calendars(n));
      await rendered(el.shadowRoot, '[part~="option"]', 1);
      const firstPaint = (await painted()) - start;
      await listReady(el, n);
      return { firstPaint, settled: (await painted()) - start };
    });
    const filter = el.shadowRoot.querySelector('[part~="filter"]');
    const keystroke = (value, ready) =>
      longestTaskDuring(async () => {
        const start = performance.now();
        filter.value = value;
        filter.dispatchEvent(new Event('input'));
        await el.updateComplete;
        await ready();
        return { ms: (await painted()) - start };
      });
    // "Calendar 12": 12, 120–129, 1200–1299 … a short list again
    const narrow = await keystroke('Calendar 12', () => rendered(el.shadowRoot, '[part~="option"]', 11));
    const clear = await keystroke('', () => listReady(el, n));
    el.remove();
    return { arrival, narrow, clear };
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

  /**
   * ms from appending <tk-availability-rules> to its painted weekly hours (the saved rules answered
   * in the page). The first call also fetches the element's chunk; the figures come from later ones.
   */
  async rulesFirstPaint() {
    const session = new BenchSession();
    await session.refresh();
    const el = document.createElement('tk-availability-rules');
    el.session = session;
    const start = performance.now();
    document.body.append(el);
    await customElements.whenDefined('tk-availability-rules');
    await rendered(el.shadowRoot, '[part~="day"]', 7);
    const end = await painted();
    el.remove();
    return end - start;
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

export const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tk bench</title></head>
<body>
<tk-session endpoint="/timekit">
  <tk-google-connect></tk-google-connect>
  <tk-calendar-picker name="availability"></tk-calendar-picker>
  <tk-booking-target name="target"></tk-booking-target>
</tk-session>
<script type="module" src="/tk-elements.js"></script>
</body></html>`;

/**
 * The working-hours step on the real stack, and how long an edit or a toggle takes to reach the
 * preview's painted slots: `window.previewBench.measure('edit' | 'toggle')`.
 */
const AVAILABILITY_SCRIPT = `
const preview = document.querySelector('tk-availability-preview');
const rules = document.querySelector('tk-availability-rules');
const picker = document.querySelector('tk-calendar-picker');
const session = document.querySelector('tk-session').session;
const settled = () => preview.matches(':state(content)') && !preview.matches(':state(refreshing)') && session.syncStatus === 'idle';
${PAINTED}
let tasks = [];
new PerformanceObserver((list) => tasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
const requests = (after, path) => performance.getEntriesByType('resource').slice(after).filter((e) => e.name.includes(path));

window.previewBench = {
  ready: () => settled() && preview.slots.length > 0 && rules.matches(':state(content)') && picker.matches(':state(content)'),
  async measure(act) {
    const before = JSON.stringify(preview.slots);
    const resourcesBefore = performance.getEntriesByType('resource').length;
    tasks = [];
    const start = performance.now();
    if (act === 'edit') {
      // Monday's first range ends an hour earlier, or back at 17:00
      const end = rules.shadowRoot.querySelector('[part~="day"] [part~="end"]');
      end.value = end.value === '17' ? '16' : '17';
      end.dispatchEvent(new Event('change', { bubbles: true }));
    } else {
      const row = [...picker.shadowRoot.querySelectorAll('[part~="option"]')].find((r) => r.textContent.trim().startsWith('Work'));
      row.querySelector('input').click();
    }
    await new Promise((resolve, reject) => {
      const limit = setTimeout(() => reject(new Error(act + ': the preview did not change within 20 s')), 20000);
      const check = () => (JSON.stringify(preview.slots) !== before && settled() ? (clearTimeout(limit), resolve()) : requestAnimationFrame(check));
      check();
    });
    const end = await painted();
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the observer deliver
    const availability = requests(resourcesBefore, '/availability');
    const sync = requests(resourcesBefore, '/accounts/sync');
    return {
      ms: end - start,
      roundTrip: availability.length ? availability.at(-1).responseEnd - availability.at(-1).startTime : NaN,
      syncAt: sync.length ? sync.at(-1).startTime - start : NaN,
      longestTask: Math.max(0, ...tasks),
    };
  },
};
`;

export const AVAILABILITY_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tk bench</title></head>
<body style="inline-size: 60rem">
<tk-session endpoint="/timekit">
  <tk-calendar-picker></tk-calendar-picker>
  <tk-availability-rules></tk-availability-rules>
  <tk-availability-preview length="30 minutes" days="8"></tk-availability-preview>
</tk-session>
<script type="module" src="/tk-elements.js"></script>
<script type="module">
await Promise.all(['tk-availability-rules', 'tk-availability-preview'].map((tag) => customElements.whenDefined(tag)));
${AVAILABILITY_SCRIPT}
</script>
</body></html>`;

export const BENCH_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>tk bench</title></head>
<body><script type="module">${BENCH_SCRIPT}</script></body></html>`;
