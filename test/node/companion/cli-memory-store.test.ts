/**
 * `tk-companion --store :memory:` is the memory store: a throwaway sidecar (a Python or Ruby shop
 * trying the kit) needs no native better-sqlite3, which compiles with a C++ toolchain. A file of
 * its own, so no other test in the process has loaded the driver first.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import { run as runCompanionCommand } from '../../../src/companion/cli.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { captureIo, firstLineOf } from '../cli-io.js';
import { PAGE } from './helpers.js';

const driverLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((path) => path.includes('better-sqlite3'));

describe('tk-companion --store :memory:', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator.close());

  it('serves sessions from the memory store without loading better-sqlite3', async () => {
    const captured = captureIo();
    const args = ['--port', '0', '--json', '--api-base', emulator.url, '--app', emulator.app, '--origin', PAGE, '--store', ':memory:', '--dev-user', 'ana'];
    const running = runCompanionCommand(args, { TK_COMPANION_APP_KEY: emulator.appKey }, captured.io);
    try {
      const { url } = JSON.parse(await firstLineOf(running, captured)) as { url: string };
      const answer = await fetch(`${url}/session`, { method: 'POST', headers: { origin: PAGE } });
      assert.equal(answer.status, 200);
      assert.deepEqual(await answer.json(), { status: 'signed-out' });
      assert.equal(driverLoaded(), false, 'better-sqlite3 was loaded');
    } finally {
      captured.stop();
    }
    assert.equal(await running, 0, captured.stderr());
  });
});
