/**
 * Two companions on one store, in one process: the credential cache and its claim as the
 * companion uses them, on the memory and the SQLite store (the PostgreSQL one, across processes:
 * scale-out.test.ts). Concurrent misses on both mint once; a claim left by an instance that died
 * lapses and another takes over; a failed mint releases its claim at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createCompanion, toNodeHandler } from '../../../src/companion/index.js';
import { sqliteStore } from '../../../src/companion/stores/sqlite.js';
import type { CompanionStore } from '../../../src/companion/stores/contract.js';
import { memoryStore } from '../../../src/companion/stores/memory.js';
import { BASE_PATH, connect, PAGE, SECRET, startRig, type Rig } from './helpers.js';

const SECOND_PAGE = 'http://second.app.test:3000';
const THIRD_PAGE = 'http://third.app.test:3000';
const dir = mkdtempSync(join(tmpdir(), 'tk-shared-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function sharedStoreSuite(name: string, open: () => CompanionStore & { close?(): void }) {
  describe(`two companions on one ${name}`, () => {
    let rig: Rig;
    let store: CompanionStore & { close?(): void };
    let otherUrl: string;
    let closeOther: () => Promise<unknown>;
    let offsetMs = 0;
    const now = () => new Date(Date.now() + offsetMs);
    const authenticate = (request: { headers: { get(name: string): string | null } }) => /sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null;

    before(async () => {
      store = open();
      const allowedOrigins = [PAGE, SECOND_PAGE, THIRD_PAGE];
      rig = await startRig({ store, allowedOrigins, now, authenticate });
      const other = createCompanion({
        apiBase: rig.emulator.url,
        app: rig.emulator.app,
        appKey: rig.emulator.appKey,
        allowedOrigins,
        secret: SECRET,
        store,
        basePath: BASE_PATH,
        authenticate,
        now,
      });
      const server = createServer(toNodeHandler(other));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      otherUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE_PATH}`;
      closeOther = () => new Promise((resolve) => server.close(resolve));
      await connect(rig, 'ana', 'alex.morgan@example.com');
    });
    after(async () => {
      await closeOther();
      await rig.close();
      store.close?.();
    });

    const session = (instance: 'first' | 'second', origin = PAGE) =>
      rig.fetch(`${instance === 'first' ? rig.url : otherUrl}/session`, { method: 'POST', user: 'ana', origin });
    const mints = () => rig.count('POST', /^\/credentials$/);

    it('mints once for concurrent misses on both instances', async () => {
      const before = mints();
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => session(i % 2 ? 'first' : 'second')));
      assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
      assert.equal(new Set(answers.map((a) => (JSON.parse(a.body) as { token: string }).token)).size, 1);
      assert.equal(mints() - before, 1);
    });

    it('takes over a claim its instance never ended once it lapses', async () => {
      const { resourceId } = (await store.get('ana'))!;
      const claimedAt = now().getTime();
      assert.equal(await store.claimCredential!(resourceId, SECOND_PAGE, claimedAt + 10_000, claimedAt), true, 'an instance claims, then dies');
      const before = mints();
      const waiting = session('first', SECOND_PAGE);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(mints(), before, 'nobody mints while the claim is live');
      offsetMs += 11_000;
      assert.equal((await waiting).status, 200);
      assert.equal(mints() - before, 1, 'the waiting instance claimed the lapsed entry and minted');
    });

    it('releases the claim of a failed mint, so the next request mints at once', async () => {
      // Twice: a read is tried once more.
      rig.emulator.faults.add({ kind: 'status', status: 500, path: '/credentials', method: 'GET', count: 2 });
      assert.equal((await session('second', THIRD_PAGE)).status, 502);
      const started = performance.now();
      assert.equal((await session('first', THIRD_PAGE)).status, 200);
      assert.ok(performance.now() - started < 5_000, 'no wait for the claim to lapse');
    });
  });
}

describe("a store's optional capabilities", () => {
  it('refuses half a credential cache, or a capability that is no function, naming what is wrong', () => {
    const options = { app: 'a', appKey: 'k', allowedOrigins: [PAGE], secret: SECRET, authenticate: () => null };
    const partial = { get() {}, put() {}, readCredential() {}, claimCredential() {}, countHit: 3 };
    assert.throws(
      () => createCompanion({ ...options, store: partial as never }),
      (error: Error) =>
        error.message.includes('the shared credential cache needs all of readCredential, claimCredential, writeCredential, releaseCredential (it has only readCredential, claimCredential)') &&
        error.message.includes('store.countHit must be a function'),
    );
    assert.doesNotThrow(() => createCompanion({ ...options, store: { get() {}, put() {} } as never }), 'a store with none of them is fine');
  });
});

sharedStoreSuite('memory store', () => memoryStore());
sharedStoreSuite('SQLite file', () => sqliteStore(join(dir, 'shared.db')));
