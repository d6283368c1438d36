/**
 * What a host meets at start-up: options given lazily (route modules that `next build` loads
 * without the runtime environment), `await companion.check()` naming a wrong app key or API base
 * before any provider tries to connect, and log lines that carry the error code.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCompanion, type CompanionOptions } from '../../../src/companion/index.js';
import { startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { companionOptions, PAGE, startRig, type Rig } from './helpers.js';

describe('companion: start-up', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ port: 0 });
  });
  after(() => emulator.close());

  const options = (overrides: Partial<CompanionOptions> = {}): CompanionOptions => companionOptions(emulator, { authenticate: () => 'user-1', ...overrides });

  describe('options as a function', () => {
    it('reads nothing at creation, so a build without the environment passes', () => {
      let reads = 0;
      createCompanion(() => {
        reads++;
        return options({ appKey: process.env.TK_NOT_SET_ANYWHERE! });
      });
      assert.equal(reads, 0);
    });

    it('checks them on first use: every request fails with the option problems until they are fixed, then they are read once', async () => {
      const env: { appKey?: string } = {};
      let reads = 0;
      const companion = createCompanion(() => {
        reads++;
        return options({ appKey: env.appKey! });
      });
      const session = () => companion.handler(new Request('http://app.test/session', { method: 'POST', headers: { origin: PAGE } }));
      await assert.rejects(session(), /invalid options:[\s\S]*appKey/);
      await assert.rejects(session(), /invalid options:[\s\S]*appKey/);
      env.appKey = emulator.appKey;
      assert.equal((await session()).status, 200);
      assert.equal((await session()).status, 200);
      assert.equal(reads, 3, 'two failed reads, then one that built the companion');
    });

    it('check() and provisionResource() go through the same lazy companion', async () => {
      const companion = createCompanion(() => options());
      await companion.check();
      const provisioned = await companion.provisionResource('user-9', { name: 'Ada', email: 'ada.lazy@example.com', timezone: 'Europe/London' });
      assert.match(provisioned.resourceId, /^[0-9a-f-]{36}$/);
    });
  });

  describe('check()', () => {
    it('passes with the right app key and API base', async () => {
      await createCompanion(options()).check();
    });

    it('names a wrong app key as such', async () => {
      await assert.rejects(createCompanion(options({ appKey: 'not-the-key' })).check(), (error: Error) => {
        assert.match(error.message, /refused the app key \(401\): check appKey/);
        assert.ok(!error.message.includes('not-the-key'), 'the message never shows the key');
        return true;
      });
    });

    it('names an API base that is not Timekit', async () => {
      // The emulator's origin without /v2: a server, but no Timekit API there.
      await assert.rejects(createCompanion(options({ apiBase: emulator.origin })).check(), /no Timekit API at .*: check apiBase/);
    });

    it('names an API base nobody answers at', async () => {
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const port = (closed.address() as AddressInfo).port;
      await new Promise((resolve) => closed.close(resolve));
      await assert.rejects(createCompanion(options({ apiBase: `http://127.0.0.1:${port}/v2` })).check(), /cannot reach Timekit at .*: check apiBase/);
    });
  });

  describe('log lines', () => {
    let rig: Rig;
    before(async () => {
      rig = await startRig();
    });
    after(() => rig.close());

    it('carry the error code of a refusal, and none for a success', async () => {
      await rig.fetch('/nowhere', { user: 'u1' });
      await rig.fetch('/session', { method: 'POST' });
      await rig.fetch('/session', { method: 'POST', origin: 'http://evil.test' });
      await rig.fetch('/session', { method: 'POST', user: 'u1' });
      assert.match(rig.logs.at(-4)!, /^GET \/timekit\/nowhere 404 not-found \d+\.\dms$/);
      assert.match(rig.logs.at(-3)!, /^POST \/timekit\/session 401 unauthenticated /);
      assert.match(rig.logs.at(-2)!, /^POST \/timekit\/session 403 origin-not-allowed /);
      assert.match(rig.logs.at(-1)!, /^POST \/timekit\/session 200 \d+\.\dms$/);
    });
  });
});
