/**
 * scripts/node-summary-reporter.mjs: the closing `node: N passed, N failed[, N skipped]` line
 * counts leaf tests only, across files, including a file that fails to load.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const reporter = fileURLToPath(new URL('../../../scripts/node-summary-reporter.mjs', import.meta.url));

function runWithReporter(dir: string, files: string[]) {
  // A node:test child has NODE_TEST_CONTEXT set; a nested `node --test` must not inherit it, or
  // it reports to us in node's internal protocol instead of running its own reporters.
  const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
  const result = spawnSync(
    process.execPath,
    ['--test', `--test-reporter=${reporter}`, '--test-reporter-destination=stdout', ...files],
    { cwd: dir, encoding: 'utf8', env: { ...env, NODE_OPTIONS: '' } },
  );
  return { status: result.status, lines: result.stdout.split('\n').filter((line) => line.trim() !== '') };
}

describe('node summary reporter', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tk-node-reporter-'));
    writeFileSync(
      join(dir, 'mixed.test.mjs'),
      `import { describe, it, test } from 'node:test';
describe('suite', () => {
  it('passes', () => {});
  it.skip('is skipped', () => {});
  it.todo('is todo');
  describe('inner suite', () => {
    it('fails', () => { throw new Error('boom'); });
  });
});
test('parent with subtests', async (t) => {
  await t.test('sub passes', () => {});
});
test('plain passes', () => {});
`,
    );
    writeFileSync(join(dir, 'passing.test.mjs'), `import { test } from 'node:test';\ntest('ok', () => {});\n`);
    writeFileSync(join(dir, 'broken.test.mjs'), `import './does-not-exist.mjs';\n`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('counts leaves, not suites or parents, and prints only the closing line', () => {
    const { status, lines } = runWithReporter(dir, ['mixed.test.mjs', 'passing.test.mjs']);
    assert.equal(status, 1);
    assert.deepEqual(lines, ['node: 4 passed, 1 failed, 2 skipped']);
  });

  it('counts a file that does not load as one failure', () => {
    const { status, lines } = runWithReporter(dir, ['passing.test.mjs', 'broken.test.mjs']);
    assert.equal(status, 1);
    assert.deepEqual(lines, ['node: 1 passed, 1 failed']);
  });

  it('leaves out "skipped" when nothing was skipped', () => {
    const { status, lines } = runWithReporter(dir, ['passing.test.mjs']);
    assert.equal(status, 0);
    assert.deepEqual(lines, ['node: 1 passed, 0 failed']);
  });
});
