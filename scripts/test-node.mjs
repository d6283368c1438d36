#!/usr/bin/env node
/**
 * Node tests: every test/node/**\/*.test.ts, run by node:test under tsx, with the `spec` reporter
 * and a closing `node: N passed, N failed` line (scripts/node-summary-reporter.mjs).
 *
 *   npm run test:node                      all files
 *   npm run test:node -- test/node/foo     only files under (or equal to) the given paths
 *
 * Exits with node:test's status (non-zero on a failure), or 1 when no test file is found.
 */
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const testDir = join(root, 'test', 'node');

function findTests(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : findTests(path);
    return entry.isFile() && entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2).map((arg) => resolve(arg));
const files = findTests(testDir)
  .filter((file) => filters.length === 0 || filters.some((f) => file === f || file.startsWith(f + '/')))
  .sort();

for (const f of filters) {
  try {
    statSync(f);
  } catch {
    console.error(`test:node: ${relative(root, f)} does not exist`);
    process.exit(1);
  }
}
if (files.length === 0) {
  const where = filters.length ? filters.map((f) => relative(root, f)).join(', ') : relative(root, testDir);
  console.error(`test:node: no test file (*.test.ts) found under ${where}`);
  process.exit(1);
}

// Test files run in child processes; each may start servers on ephemeral ports, so they can run
// side by side. One per core (2 here).
const concurrency = Math.max(1, availableParallelism());

const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  // A hang (an emulator loop, a missed close) fails its file instead of stalling the run (Node
  // applies this bound to each file as a whole, not to each test in it). Two minutes, so the file
  // of bounded load tests (40,000 requests) passes on a busy shared machine too.
  '--test-timeout=120000',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  `--test-reporter=${join(root, 'scripts', 'node-summary-reporter.mjs')}`,
  '--test-reporter-destination=stdout',
  ...files.map((file) => relative(root, file)),
];

const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal] ?? 0) : 1));
});
