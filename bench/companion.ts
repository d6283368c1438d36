/**
 * The companion's budget (docs/performance.md): `POST /session` on a warm
 * credential cache serves at least half the requests per second of a bare node:http hello-world
 * measured in the same run, and makes zero Timekit calls per cache hit.
 */
import { execFile } from 'node:child_process';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createCompanion, memoryStore, toNodeHandler } from '../src/companion/index.js';
import { startEmulator } from '../src/emulator/index.js';
import { connectThroughCompanion } from './consent.js';

const PAGE = 'http://app.bench:3000';
const DURATION_S = 2;
const ROUNDS = 3;
const CONNECTIONS = 20;
const AUTOCANNON = fileURLToPath(new URL('../node_modules/autocannon/autocannon.js', import.meta.url));
const run = promisify(execFile);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function listen(handler: RequestListener) {
  const server = createServer(handler);
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Load from a separate autocannon process, so client and server each get a core of their own. */
async function requestsPerSecond(url: string, { method = 'GET', headers = {} }: { method?: string; headers?: Record<string, string> } = {}): Promise<number> {
  const args = [AUTOCANNON, '-j', '-c', String(CONNECTIONS), '-d', String(DURATION_S), '-m', method];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}=${value}`);
  const { stdout } = await run(process.execPath, [...args, url], { maxBuffer: 16 * 1024 * 1024 });
  const result = JSON.parse(stdout) as { requests: { average: number }; non2xx: number; errors: number };
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

export async function companionFigures() {
  const emulator = await startEmulator({ port: 0, profile: 'optimistic' });
  const companion = createCompanion({
    apiBase: emulator.url,
    app: emulator.app,
    appKey: emulator.appKey,
    allowedOrigins: [PAGE],
    secret: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
    store: memoryStore(),
    authenticate: (request) => request.headers.get('x-user'),
  });
  const hello = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('hello');
  });
  const served = await listen(toNodeHandler(companion));
  try {
    // Connect one user through the fake consent screen, then warm the credential cache.
    await connectThroughCompanion(served.url, 'alex.morgan@example.com', { referer: `${PAGE}/`, 'x-user': 'bench' });
    const headers = { origin: PAGE, 'x-user': 'bench' };
    const warm = await (await fetch(`${served.url}/session`, { method: 'POST', headers })).json();
    if (warm.status !== 'ready') throw new Error('the bench user did not connect');

    // Alternate the two servers over a few rounds, so a noisy neighbour hits both alike.
    const helloRuns: number[] = [];
    const sessionRuns: number[] = [];
    const timekitCalls = emulator.requests.length;
    for (let round = 0; round < ROUNDS; round++) {
      helloRuns.push(await requestsPerSecond(hello.url));
      sessionRuns.push(await requestsPerSecond(`${served.url}/session`, { method: 'POST', headers }));
    }
    const callsDuringRun = emulator.requests.length - timekitCalls;
    const helloRps = median(helloRuns);
    const sessionRps = median(sessionRuns);
    const ratio = median(sessionRuns.map((rps, i) => rps / helloRuns[i]!));
    const how = `median of ${ROUNDS} alternating rounds of ${DURATION_S} s, autocannon in its own process, ${CONNECTIONS} connections, loopback`;
    return [
      { figure: 'companion: bare node:http hello-world', value: `${Math.round(helloRps)} req/s`, how },
      { figure: 'companion: POST /session, warm credential cache', value: `${Math.round(sessionRps)} req/s`, how },
      { figure: 'companion: session / hello-world (budget ≥ 0.5)', value: ratio.toFixed(2), how: `median of the ${ROUNDS} rounds' ratios` },
      { figure: 'companion: Timekit calls during the session run', value: String(callsDuringRun), how: 'emulator request log (budget: 0)' },
    ];
  } finally {
    await served.close();
    await hello.close();
    await emulator.close();
  }
}
