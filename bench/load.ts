/**
 * Bounded load on the companion, to show it stays bounded (docs/performance.md): `POST /session` (direct mode, warm credential cache) and
 * the relay (`GET /api/v2/calendars`, relay mode, forwarded to the emulator). Each companion runs
 * alone in a forked process (bench/load-server.ts), autocannon in another, the emulator in this
 * one, all on loopback; each run stops by itself after a fixed time. Reported: requests/s, p50 and
 * p99 latency, errors (budget 0: transport errors, timeouts and non-2xx answers together), and the
 * server process's resident memory before and after the run.
 */
import { execFile, fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { connectThroughCompanion } from './consent.js';

const PAGE = 'http://app.bench:3000';
const IDENTITY = 'alex.morgan@example.com';
const WARMUP_S = 1;
const DURATION_S = 6;
const CONNECTIONS = 20;
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const SERVER = fileURLToPath(new URL('./load-server.ts', import.meta.url));
const run = promisify(execFile);

interface Row {
  figure: string;
  value: string;
  how: string;
}

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

/** One autocannon run in its own process (20 connections): requests per second, latency p50/p99 in ms, every kind of error. */
export async function autocannon(url: string, seconds: number, method: string, headers: Record<string, string>): Promise<Load> {
  const args = [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(seconds), '-m', method];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const { stdout } = await run(process.execPath, [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as {
    requests: { average: number };
    latency: { p50: number; p99: number };
    errors: number;
    timeouts: number;
    non2xx: number;
  };
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
}

/** The companion in its own process; `memory()` asks it for its resident memory and heap. */
async function startServer(emulator: Emulator, mode: 'direct' | 'relay') {
  const child: ChildProcess = fork(SERVER, [], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
    env: {
      ...process.env,
      TK_BENCH_API_BASE: emulator.url,
      TK_BENCH_APP: emulator.app,
      TK_BENCH_APP_KEY: emulator.appKey,
      TK_BENCH_MODE: mode,
      TK_BENCH_ORIGIN: PAGE,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [{ url }] = (await once(child, 'message')) as [{ url: string }];
  return {
    url,
    async memory(collect = false): Promise<{ rss: number; heap: number }> {
      child.send(collect ? 'memory-gc' : 'memory');
      const [memory] = (await once(child, 'message')) as [{ rss: number; heap: number }];
      return memory;
    },
    async close() {
      const exited = once(child, 'exit');
      child.disconnect();
      await exited;
    },
  };
}

/** Connects the bench user through the fake consent screen, as a browser would; answers its session. */
async function connectUser(url: string) {
  await connectThroughCompanion(url, IDENTITY, { referer: `${PAGE}/`, 'x-user': 'bench' });
  const session = (await (await fetch(`${url}/session`, { method: 'POST', headers: { origin: PAGE, 'x-user': 'bench' } })).json()) as {
    status: string;
    token: string;
  };
  if (session.status !== 'ready') throw new Error('the bench user did not connect');
  return session;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

async function measure(emulator: Emulator, mode: 'direct' | 'relay', label: string, how: string): Promise<Row[]> {
  const server = await startServer(emulator, mode);
  try {
    const session = await connectUser(server.url);
    const [method, path, headers]: [string, string, Record<string, string>] =
      mode === 'direct'
        ? ['POST', '/session', { origin: PAGE, 'x-user': 'bench' }]
        : ['GET', '/api/v2/calendars', { origin: PAGE, authorization: `Bearer ${session.token}` }];
    // A short run first, so JIT compilation and connection pools are not part of the figures.
    await autocannon(`${server.url}${path}`, WARMUP_S, method, headers);
    const before = await server.memory();
    const heapBefore = (await server.memory(true)).heap;
    const load = await autocannon(`${server.url}${path}`, DURATION_S, method, headers);
    const after = await server.memory();
    const heapAfter = (await server.memory(true)).heap;
    if (load.errors > 0) process.exitCode = 1;
    const runHow = `${how}; autocannon in its own process, ${CONNECTIONS} connections, ${DURATION_S} s after a ${WARMUP_S} s warm-up, loopback`;
    return [
      { figure: `load: ${label}`, value: `${Math.round(load.rps)} req/s`, how: runHow },
      {
        figure: `load: ${label}, latency p50 / p99`,
        value: `${load.p50} / ${load.p99} ms`,
        how: 'autocannon latency histogram of the same run, in whole milliseconds (0 = under 1 ms)',
      },
      { figure: `load: ${label}, errors (budget 0)`, value: String(load.errors), how: 'transport errors + timeouts + non-2xx answers, same run' },
      {
        figure: `load: ${label}, server RSS before → after`,
        value: `${mb(before.rss)} → ${mb(after.rss)}`,
        how: "process.memoryUsage().rss of the companion's own process, right before and right after the run",
      },
      {
        figure: `load: ${label}, server heap before → after, each after a full GC`,
        value: `${mb(heapBefore)} → ${mb(heapAfter)}`,
        how: 'heapUsed of the same process after a forced full GC: what it still holds (a leak would show here, not only in RSS)',
      },
    ];
  } finally {
    await server.close();
  }
}

export async function loadFigures(): Promise<Row[]> {
  const emulator = await startEmulator({ port: 0, profile: 'optimistic' });
  try {
    const session = await measure(emulator, 'direct', 'POST /session', 'direct mode, warm credential cache (no Timekit call)');
    const relay = await measure(emulator, 'relay', 'relay GET /api/v2/calendars', `relay mode, each request forwarded to the emulator in the bench process (${IDENTITY}: a few calendars)`);
    return [...session, ...relay];
  } finally {
    await emulator.close();
  }
}
