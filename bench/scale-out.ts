/**
 * The scale-out figures (docs/performance.md): `POST /session` through a round-robin
 * proxy to one and to three `tk-companion` processes on one PostgreSQL store, warm credential
 * cache, and the Timekit calls they make per 1,000 sessions (budget 0 warm; one mint per resource
 * and origin per credential lifetime between all instances). Needs PostgreSQL (see the test
 * helpers it shares with test/node/companion/scale-out.test.ts); without it the section says so.
 */
import type { Emulator } from '../src/emulator/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { postgresMissing, startCluster } from '../test/node/companion/postgres-cluster.js';
import { loginCookie, startScaleOut } from '../test/node/companion/scale-out-stack.js';
import { connectThroughCompanion } from './consent.js';
import { autocannon, type Load } from './load.js';
import type { Row } from './run.js';

const PAGE = 'http://app.bench:3000';
/** One Google identity (so one Timekit resource, one credential) per measured stack. */
const IDENTITIES = ['alex.morgan@example.com', 'yuki.tanaka@example.jp'];
const WARMUP_S = 1;
const DURATION_S = 5;

interface Measured {
  load: Load;
  timekitCalls: number;
  coldMints: number;
}

async function measure(emulator: Emulator, databaseUrl: string, instances: number, identity: string): Promise<Measured> {
  const stack = await startScaleOut({ instances, databaseUrl, apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey, origins: [PAGE] });
  try {
    const user = `bench-${instances}`;
    const cookie = await loginCookie(user);
    await connectThroughCompanion(stack.proxyUrl, identity, { referer: `${PAGE}/`, cookie });
    const headers = { origin: PAGE, cookie };
    // The first sessions, all at once over every instance: one mint between them.
    const mintsBefore = emulator.requests.filter((r) => r.method === 'POST' && r.path === '/credentials').length;
    const first = await Promise.all(Array.from({ length: 30 }, () => fetch(`${stack.proxyUrl}/session`, { method: 'POST', headers }).then((r) => r.json())));
    if (first.some((s: { status: string }) => s.status !== 'ready')) throw new Error('the bench user did not connect');
    const coldMints = emulator.requests.filter((r) => r.method === 'POST' && r.path === '/credentials').length - mintsBefore;

    await autocannon(`${stack.proxyUrl}/session`, WARMUP_S, 'POST', headers);
    const callsBefore = emulator.requests.length;
    const load = await autocannon(`${stack.proxyUrl}/session`, DURATION_S, 'POST', headers);
    return { load, timekitCalls: emulator.requests.length - callsBefore, coldMints };
  } finally {
    await stack.close();
  }
}

export async function scaleOutFigures(): Promise<Row[]> {
  let missing: string | null;
  try {
    missing = postgresMissing();
  } catch (error) {
    missing = (error as Error).message;
  }
  if (missing !== null) return [{ figure: 'scale-out: PostgreSQL store', value: 'not measured', how: missing }];

  const cluster = await startCluster();
  const emulator = await startEmulator({ port: 0 });
  try {
    const databaseUrl = await cluster.createDatabase('bench_scale_out');
    const one = await measure(emulator, databaseUrl, 1, IDENTITIES[0]!);
    const three = await measure(emulator, databaseUrl, 3, IDENTITIES[1]!);
    const how = (n: number) =>
      `${n} tk-companion process${n > 1 ? 'es' : ''} on one PostgreSQL 15 store behind a round-robin node:http proxy, warm cache; autocannon in its own process, 20 connections, ${DURATION_S} s after ${WARMUP_S} s`;
    const row = (n: number, m: Measured): Row[] => [
      { figure: `scale-out: POST /session, ${n} instance${n > 1 ? 's' : ''}`, value: `${Math.round(m.load.rps)} req/s, p99 ${m.load.p99} ms`, how: how(n) },
      {
        figure: `scale-out: Timekit calls per 1,000 sessions, ${n} instance${n > 1 ? 's' : ''} (budget 0)`,
        value: (m.timekitCalls / ((m.load.rps * DURATION_S) / 1000)).toFixed(2),
        how: `emulator request log during the run (${m.timekitCalls} calls); errors ${m.load.errors}`,
      },
      {
        figure: `scale-out: credentials minted for 30 simultaneous first sessions, ${n} instance${n > 1 ? 's' : ''} (budget 1)`,
        value: String(m.coldMints),
        how: 'POST /credentials in the emulator log: the instances settle the race on the credential row in PostgreSQL',
      },
    ];
    if (one.load.errors + three.load.errors > 0) process.exitCode = 1;
    return [
      ...row(1, one),
      ...row(3, three),
      {
        figure: 'scale-out: three instances / one instance',
        value: `${(three.load.rps / one.load.rps).toFixed(2)}×`,
        how: "two cores bound the absolute figure: the instances, PostgreSQL's backends, the proxy and autocannon share them, so more processes here only add contention (a ratio below 1); on separate machines each instance brings its own cores, and the store's share per session is one indexed read",
      },
    ];
  } finally {
    await emulator.close();
    await cluster.stop();
  }
}
