/**
 * `npm run bench`: prints measured figures, each with how it was measured: the emulator, the
 * companion's session budget (bench/companion.ts), its bounded load runs (bench/load.ts), three
 * instances on PostgreSQL (bench/scale-out.ts), the package's sizes (bench/size.ts, with the core
 * page by part from bench/core-page-parts.ts) and the elements in Chromium (bench/browser.ts); the
 * last two read dist/, which `npm run bench` builds first. `npm run bench -- size browser` runs
 * only the named sections.
 */
import { availableParallelism, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { startEmulator } from '../src/emulator/index.js';
import { companionFigures } from './companion.js';
import { allowConsent } from './consent.js';
import { loadFigures } from './load.js';
import { scaleOutFigures } from './scale-out.js';
import { sizeFigures } from './size.js';
import { browserFigures } from './browser.js';

export interface Row {
  figure: string;
  value: string;
  how: string;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;

async function time(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function emulatorFigures(): Promise<Row[]> {
  const emulator = await startEmulator({ port: 0, profile: 'optimistic' });
  try {
    // Connect the 1,000-calendar identity through the consent form, as a browser would.
    const callback = new URL(await allowConsent(emulator, 'http://localhost/callback', 'sam.lee@example.com'));
    const auth = {
      authorization: `Basic ${Buffer.from(`${callback.searchParams.get('email')}:${callback.searchParams.get('token')}`).toString('base64')}`,
      'timekit-app': emulator.app,
      'content-type': 'application/json',
    };
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${emulator.url}${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) });
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
      return response.json();
    };
    const syncMs = await time(1, () => call('POST', '/accounts/sync'));
    const listMs = await time(20, () => call('GET', '/calendars?limit=1000'));
    const findtimeMs = await time(20, () => call('POST', '/findtime', { future: '4 weeks', length: '1 hour' }));
    return [
      { figure: 'emulator: first sync of 1,000 Google calendars', value: ms(syncMs), how: 'POST /accounts/sync, one run' },
      { figure: 'emulator: GET /calendars?limit=1000', value: ms(listMs), how: 'median of 20, loopback' },
      { figure: 'emulator: POST /findtime, 4 weeks, 1 hour slots', value: ms(findtimeMs), how: 'median of 20, 1,000 calendars' },
    ];
  } finally {
    await emulator.close();
  }
}

const sections: Record<string, () => Promise<Row[]>> = {
  emulator: emulatorFigures,
  companion: companionFigures,
  load: loadFigures,
  'scale-out': scaleOutFigures,
  size: sizeFigures,
  browser: browserFigures,
};
const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !(name in sections));
if (unknown.length) throw new Error(`unknown bench section ${unknown.join(', ')}; sections: ${Object.keys(sections).join(', ')}`);
const rows: Row[] = [];
for (const [name, figures] of Object.entries(sections)) if (chosen.length === 0 || chosen.includes(name)) rows.push(...(await figures()));
// Figures on a shared machine move with its load: say what it was.
console.log(`${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end of the run\n`);
const widths = [0, 1, 2].map((i) => Math.max(...[['figure', 'value', 'how'], ...rows.map((r) => [r.figure, r.value, r.how])].map((c) => c[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(line(['figure', 'value', 'how']));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const row of rows) console.log(line([row.figure, row.value, row.how]));
