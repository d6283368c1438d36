/**
 * The companion alone in a process of its own, for the load runs of `npm run bench` (bench/load.ts
 * forks it with IPC): so the resident memory it reports is the server's, not the bench's, the
 * emulator's or autocannon's. Configured through the environment (keys stay out of `ps`); sends
 * `{url}` once listening, and answers each `'memory'` message with `{rss, heap}` in bytes, and
 * `'memory-gc'` the same after a full garbage collection (run with `--expose-gc`): the heap left
 * after it is what the server still holds, which tells a leak from memory not yet reclaimed.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCompanion, memoryStore, toNodeHandler } from '../src/companion/index.js';

const env = process.env;
const companion = createCompanion({
  apiBase: env.TK_BENCH_API_BASE!,
  app: env.TK_BENCH_APP!,
  appKey: env.TK_BENCH_APP_KEY!,
  mode: env.TK_BENCH_MODE === 'relay' ? 'relay' : 'direct',
  allowedOrigins: [env.TK_BENCH_ORIGIN!],
  secret: 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz',
  store: memoryStore(),
  // The bench's stand-in for the host's login.
  authenticate: (request) => request.headers.get('x-user'),
});

const server = createServer(toNodeHandler(companion));
server.keepAliveTimeout = 10_000;
server.listen(0, '127.0.0.1', () => process.send!({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }));
process.on('message', (message) => {
  if (message === 'memory-gc') globalThis.gc?.();
  if (message === 'memory' || message === 'memory-gc') {
    const { rss, heapUsed } = process.memoryUsage();
    process.send!({ rss, heap: heapUsed });
  }
});
// The bench ends this process by closing the channel; nothing else keeps it.
process.on('disconnect', () => process.exit(0));
