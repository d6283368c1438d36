/**
 * `tk-elements/companion/testing`: the contract suite every companion store passes (memory, SQLite,
 * PostgreSQL, and a host's own on Redis, MySQL or anything else): records, pending resources,
 * one-time nonces, the shared credential cache with its claim, and rate-limit windows, races
 * included. It brings no test runner of its own: hand it yours.
 *
 *   import { describe, it } from 'node:test';           // or vitest's, or jest's globals
 *   storeContract(() => myStore(), { describe, it });
 *
 * `open` is called once, at the first test, and answers an empty store; closing it is the caller's
 * (in its runner's `after`). The suite needs every optional capability: a store without the shared
 * cache, nonces or counters still works with the companion, but is not what this suite checks.
 * Claims are asked at times ahead of the clock (`now` of a later renewal), so a store decides them
 * by the `now` it is given, as the companion's instances do, not by its own clock.
 */
import assert from 'node:assert/strict';
import type { CachedCredential, CompanionStore, MaybePromise, PendingResource, TimekitRecord } from './stores/contract.js';

/** What the suite needs of a test runner: node:test's, vitest's and jest's `describe` and `it` have it. */
export interface TestRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>): unknown;
}

/** A record as the suite writes it (the token is not a real one). */
export const sampleRecord: TimekitRecord = {
  resourceId: '6f1b7c1e-0000-4000-8000-000000000001',
  email: 'ana@example.com',
  token: 'resource-token-xyz',
  accounts: [{ provider: 'google', provider_id: 'ana@example.com', last_sync: null }],
};

/** A second resource waiting for the provider's yes (`TimekitRecord.pending`). */
export const samplePending: PendingResource = {
  resourceId: '6f1b7c1e-0000-4000-8000-000000000002',
  email: 'ana@contoso.example',
  token: 'pending-token-abc',
  accounts: [{ provider: 'microsoft', provider_id: 'ana@contoso.example', last_sync: null }],
  provider: 'microsoft',
};

/** A widget credential fresh at `now`, due for renewal 45 s later. */
export const sampleCredential = (now: number, id = 'cred-1'): CachedCredential => ({ id, token: `widget-token-${id}`, expiresAt: now + 60_000, renewAt: now + 45_000 });

const ORIGIN = 'https://app.example.com';

/** Declares the contract's tests with the runner's `describe` and `it`, against the store `open` answers. */
export function storeContract(open: () => MaybePromise<CompanionStore>, { describe, it }: TestRunner): void {
  let opened: Promise<CompanionStore> | undefined;
  // Opened at the first test rather than in a `before` hook: runners name their hooks differently.
  const store = () => (opened ??= Promise.resolve(open()));
  const record = sampleRecord;
  const pending = samplePending;

  describe('the store contract', () => {
    it('keeps records: none at first, then the last one put', async () => {
      const s = await store();
      assert.equal(await s.get('ana'), null);
      await s.put('ana', record);
      await s.put('ana', { ...record, email: 'ana2@example.com' });
      assert.deepEqual(await s.get('ana'), { ...record, email: 'ana2@example.com' });
      assert.equal(await s.get('ben'), null);
    });

    it('keeps a pending resource with its record (a plain one without provider), and forgets it when a record without one is put', async () => {
      const s = await store();
      await s.put('cyd', { ...record, pending });
      assert.deepEqual(await s.get('cyd'), { ...record, pending });
      const { provider: _provider, ...plain } = pending;
      await s.put('cyd', { ...record, pending: plain });
      assert.deepEqual(await s.get('cyd'), { ...record, pending: plain });
      await s.put('cyd', plain);
      assert.deepEqual(await s.get('cyd'), plain, 'the pending resource became the record, nothing pending');
    });

    it('burns a nonce once, even when many ask at the same moment', async () => {
      const s = await store();
      const expiresAt = Date.now() + 60_000;
      assert.equal(await s.consumeNonce!('n-once', expiresAt), true);
      assert.equal(await s.consumeNonce!('n-once', expiresAt), false);
      const racing = await Promise.all(Array.from({ length: 20 }, () => s.consumeNonce!('n-race', expiresAt)));
      assert.equal(racing.filter(Boolean).length, 1);
    });

    it('caches one credential per resource and origin, claimed by one caller at a time', async () => {
      const s = await store();
      const now = Date.now();
      assert.equal(await s.readCredential!('res-1', ORIGIN), null);
      const claims = await Promise.all(Array.from({ length: 20 }, () => s.claimCredential!('res-1', ORIGIN, now + 10_000, now)));
      assert.equal(claims.filter(Boolean).length, 1, 'exactly one of 20 simultaneous claims wins');
      assert.equal(await s.claimCredential!('res-1', ORIGIN, now + 10_000, now), false, 'the claim is live');
      assert.equal(await s.claimCredential!('res-1', 'https://other.example.com', now + 10_000, now), true, 'another origin is another entry');

      await s.writeCredential!('res-1', ORIGIN, sampleCredential(now));
      assert.deepEqual(await s.readCredential!('res-1', ORIGIN), sampleCredential(now));
      assert.equal(await s.claimCredential!('res-1', ORIGIN, now + 10_000, now), false, 'no claim while the credential is fresh');
      const renewal = now + 46_000;
      assert.equal(await s.claimCredential!('res-1', ORIGIN, renewal + 10_000, renewal), true, 'claimable once due for renewal');
      assert.deepEqual(await s.readCredential!('res-1', ORIGIN), sampleCredential(now), 'the old credential stays readable meanwhile');
      await s.releaseCredential!('res-1', ORIGIN);
      assert.equal(await s.claimCredential!('res-1', ORIGIN, renewal + 10_000, renewal), true, 'a released claim is claimable at once');
      assert.equal(await s.claimCredential!('res-1', ORIGIN, renewal + 20_000, renewal + 10_000), true, 'a claim nobody ended lapses');
    });

    it('counts hits in fixed windows, every hit counted once under a race', async () => {
      const s = await store();
      // A live window: a store may forget a key once its window has ended (Redis's PEXPIREAT).
      const start = Date.now();
      assert.equal(await s.countHit!('mint:ana', start, start + 60_000), 1);
      assert.equal(await s.countHit!('mint:ana', start, start + 60_000), 2);
      assert.equal(await s.countHit!('mint:ben', start, start + 60_000), 1, 'keys count apart');
      assert.equal(await s.countHit!('mint:ana', start + 60_000, start + 120_000), 1, 'a new window starts again');
      const counts = await Promise.all(Array.from({ length: 30 }, () => s.countHit!('race', start, start + 60_000)));
      assert.deepEqual([...counts].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
    });
  });
}
