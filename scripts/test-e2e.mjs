#!/usr/bin/env node
/**
 * End-to-end tests: test/e2e/*.test.ts under node:test and tsx. Each file starts the demo's own
 * stack (Vite with the demo plugin: emulator + companion) and drives Debian's Chromium
 * (CHROME_PATH, default /usr/bin/chromium) with playwright-core. Prints the `spec` report and a
 * closing `e2e: N passed, N failed` line; exits non-zero on a failure.
 *
 *   npm run test:e2e
 *   UPDATE_SCREENSHOTS=1 npm run test:e2e     also rewrites docs/screenshots/*.png
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const browser = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(browser)) {
  console.error(`test:e2e: no Chromium at ${browser} (apt-get install -y chromium, or set CHROME_PATH)\n\ne2e: 0 passed, 1 failed`);
  process.exit(1);
}

const files = readdirSync(join(root, 'test', 'e2e'))
  .filter((name) => name.endsWith('.test.ts'))
  .sort()
  .map((name) => join('test', 'e2e', name));

const args = [
  '--import',
  'tsx',
  '--test',
  // Two files at a time: each starts a Vite server and a browser on free ports, and one file
  // alone keeps the 2 cores less than half busy (measured: 105 s one at a time, 80 s two).
  '--test-concurrency=2',
  // A hang fails its file instead of stalling the run. Node applies this bound to each file as a
  // whole, not to each test in it: the longest files take close to 60 s two at a time on a busy
  // machine, and a bound of 60 s failed them with every test passed. Playwright's own waits (10 s)
  // bound each step inside a test.
  '--test-timeout=180000',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'scripts', 'e2e-summary-reporter.mjs')}`,
  '--test-reporter-destination=stdout',
  ...files,
];

const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
