/**
 * A bounded load test of the connect round trip: 20,000 start/callback pairs (each callback, in
 * the browser and as the user that started it, burns its nonce and is refused for its made-up
 * email and token) over real HTTP, spread over enough users
 * that the per-user limits let them through. It prints the heap and the latency per quarter of
 * the run, and asserts only bounds generous enough to pass on a busy machine and tight enough to
 * catch a leak or a cost that grows with the live nonces. One test file per store
 * (nonce-load-*.test.ts), so each stays within a file's time limit.
 */
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { CompanionStore } from '../../../src/companion/stores/contract.js';
import { PAGE, startRig } from './helpers.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PAIRS = 20_000;
const QUARTERS = 4;
const CONCURRENCY = 8;
/** Pairs per user: within the default 10 connect starts a minute. */
const PAIRS_PER_USER = 8;

/** One GET on a keep-alive agent; node:http directly, so the client's own cost stays small and flat. */
function get(agent: Agent, url: URL, headers: Record<string, string>): Promise<{ status: number; location: string | undefined; cookie: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      res.resume();
      const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, cookie }));
    });
    req.on('error', reject);
    req.end();
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

/** Runs the pairs against a companion on `store`; throws when the heap or the latency is not bounded. */
export async function nonceLoad(name: string, store: CompanionStore) {
  // No request log: 40,000 kept lines would be the test's own leak.
  const rig = await startRig({ store, log: undefined });
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const base = new URL(rig.url);
  const quarters: { heapMb: number; p50: number; p99: number }[] = [];
  try {
    let next = 0;
    for (let quarter = 0; quarter < QUARTERS; quarter++) {
      const end = ((quarter + 1) * PAIRS) / QUARTERS;
      const latencies: number[] = [];
      const pair = async (i: number) => {
        const started = performance.now();
        const user = `sid=load-${Math.floor(i / PAIRS_PER_USER)}`;
        const start = await get(agent, new URL(`${base.pathname}/google/start`, base), { cookie: user, referer: `${PAGE}/settings` });
        assert.equal(start.status, 302);
        const callback = new URL(new URL(start.location!).searchParams.get('callback')!);
        callback.searchParams.set('email', 'not an email');
        callback.searchParams.set('token', 'x');
        const finished = await get(agent, callback, { cookie: `${user}; ${start.cookie}` });
        assert.equal(finished.status, 303);
        const outcome = JSON.parse(Buffer.from(finished.location!.split('/').at(-1)!.split('.')[0]!, 'base64url').toString()) as { m: { code?: string } };
        assert.equal(outcome.m.code, 'invalid', 'burned, then refused for its made-up email and token');
        latencies.push(performance.now() - started);
      };
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < end) await pair(next++);
        }),
      );
      gc();
      latencies.sort((a, b) => a - b);
      quarters.push({ heapMb: process.memoryUsage().heapUsed / 2 ** 20, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) });
    }
  } finally {
    agent.destroy();
    await rig.close();
  }
  console.log(
    `${name}: ${PAIRS} start/callback pairs, per quarter: ` +
      quarters.map((q) => `heap ${q.heapMb.toFixed(1)} MB, p50 ${q.p50.toFixed(2)} ms, p99 ${q.p99.toFixed(2)} ms`).join(' | '),
  );
  const [first, last] = [quarters[0]!, quarters.at(-1)!];
  // All 20,000 nonces are still live (they expire in 10 minutes): a few MB of them is expected,
  // tens of MB would be a leak.
  assert.ok(last.heapMb - first.heapMb < 40, `heap grew ${(last.heapMb - first.heapMb).toFixed(1)} MB`);
  // The median, not the p99, is the steady one on a machine shared with other work; a cost
  // that grows with the live nonces (a sweep over them) moves it by multiples.
  assert.ok(last.p50 < first.p50 * 3 + 5, `the median went from ${first.p50.toFixed(2)} ms to ${last.p50.toFixed(2)} ms`);
}

/** The pairs take a few seconds alone and several times that on a busy machine: up to a file's limit (two minutes, scripts/test-node.mjs). */
export const SLOW = { timeout: 115_000 };
