/**
 * One contract, every store: memory, SQLite and PostgreSQL run the same suite (records, one-time
 * nonces, the shared credential cache with its claim, rate-limit windows), races included. Then
 * what only PostgreSQL does: tokens encrypted at rest, key rotation, a versioned schema.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { postgresStore, type PostgresStore } from '../../../src/companion/stores/postgres.js';
import { sqliteStore } from '../../../src/companion/stores/sqlite.js';
import { memoryStore, type CachedCredential, type CompanionStore } from '../../../src/companion/stores/contract.js';
import { postgresMissing, startCluster, type Cluster } from './postgres-cluster.js';

const record = {
  resourceId: '6f1b7c1e-0000-4000-8000-000000000001',
  email: 'ana@example.com',
  token: 'resource-token-xyz',
  accounts: [{ provider: 'google' as const, provider_id: 'ana@example.com', last_sync: null }],
};
/** A second resource waiting for the provider's yes (TimekitRecord.pending). */
const pending = {
  resourceId: '6f1b7c1e-0000-4000-8000-000000000002',
  email: 'ana@contoso.example',
  token: 'pending-token-abc',
  accounts: [{ provider: 'microsoft' as const, provider_id: 'ana@contoso.example', last_sync: null }],
  provider: 'microsoft' as const,
};
const SECRET = 'store-contract-secret-0123456789-abcdefghijkl';
const ORIGIN = 'https://app.example.com';
const credential = (now: number, id = 'cred-1'): CachedCredential => ({ id, token: `widget-token-${id}`, expiresAt: now + 60_000, renewAt: now + 45_000 });

/** The contract every store keeps. `open` gives a fresh, empty store. */
function storeContract(name: string, open: () => Promise<CompanionStore>) {
  describe(`${name}: the store contract`, () => {
    let store: CompanionStore;
    before(async () => {
      store = await open();
    });

    it('keeps records: none at first, then the last one put', async () => {
      assert.equal(await store.get('ana'), null);
      await store.put('ana', record);
      await store.put('ana', { ...record, email: 'ana2@example.com' });
      assert.deepEqual(await store.get('ana'), { ...record, email: 'ana2@example.com' });
      assert.equal(await store.get('ben'), null);
    });

    it('keeps a pending resource with its record (a plain one without provider), and forgets it when a record without one is put', async () => {
      await store.put('cyd', { ...record, pending });
      assert.deepEqual(await store.get('cyd'), { ...record, pending });
      const { provider: _provider, ...plain } = pending;
      await store.put('cyd', { ...record, pending: plain });
      assert.deepEqual(await store.get('cyd'), { ...record, pending: plain });
      await store.put('cyd', plain);
      assert.deepEqual(await store.get('cyd'), plain, 'the pending resource became the record, nothing pending');
    });

    it('burns a nonce once, even when many ask at the same moment', async () => {
      const expiresAt = Date.now() + 60_000;
      assert.equal(await store.consumeNonce!('n-once', expiresAt), true);
      assert.equal(await store.consumeNonce!('n-once', expiresAt), false);
      const racing = await Promise.all(Array.from({ length: 20 }, () => store.consumeNonce!('n-race', expiresAt)));
      assert.equal(racing.filter(Boolean).length, 1);
    });

    it('caches one credential per resource and origin, claimed by one caller at a time', async () => {
      const now = Date.now();
      assert.equal(await store.readCredential!('res-1', ORIGIN), null);
      const claims = await Promise.all(Array.from({ length: 20 }, () => store.claimCredential!('res-1', ORIGIN, now + 10_000, now)));
      assert.equal(claims.filter(Boolean).length, 1, 'exactly one of 20 simultaneous claims wins');
      assert.equal(await store.claimCredential!('res-1', ORIGIN, now + 10_000, now), false, 'the claim is live');
      assert.equal(await store.claimCredential!('res-1', 'https://other.example.com', now + 10_000, now), true, 'another origin is another entry');

      await store.writeCredential!('res-1', ORIGIN, credential(now));
      assert.deepEqual(await store.readCredential!('res-1', ORIGIN), credential(now));
      assert.equal(await store.claimCredential!('res-1', ORIGIN, now + 10_000, now), false, 'no claim while the credential is fresh');
      const renewal = now + 46_000;
      assert.equal(await store.claimCredential!('res-1', ORIGIN, renewal + 10_000, renewal), true, 'claimable once due for renewal');
      assert.deepEqual(await store.readCredential!('res-1', ORIGIN), credential(now), 'the old credential stays readable meanwhile');
      await store.releaseCredential!('res-1', ORIGIN);
      assert.equal(await store.claimCredential!('res-1', ORIGIN, renewal + 10_000, renewal), true, 'a released claim is claimable at once');
      assert.equal(await store.claimCredential!('res-1', ORIGIN, renewal + 20_000, renewal + 10_000), true, 'a claim nobody ended lapses');
    });

    it('counts hits in fixed windows, every hit counted once under a race', async () => {
      const start = 1_000_000;
      assert.equal(await store.countHit!('mint:ana', start, start + 60_000), 1);
      assert.equal(await store.countHit!('mint:ana', start, start + 60_000), 2);
      assert.equal(await store.countHit!('mint:ben', start, start + 60_000), 1, 'keys count apart');
      assert.equal(await store.countHit!('mint:ana', start + 60_000, start + 120_000), 1, 'a new window starts again');
      const counts = await Promise.all(Array.from({ length: 30 }, () => store.countHit!('race', start, start + 60_000)));
      assert.deepEqual([...counts].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'tk-store-contract-'));
const closers: (() => unknown)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

storeContract('memoryStore', async () => memoryStore());
storeContract('sqliteStore', async () => {
  const store = sqliteStore(join(dir, 'contract.db'));
  closers.push(() => store.close());
  return store;
});

const missing = postgresMissing();
describe('postgresStore', { skip: missing ?? false }, () => {
  let cluster: Cluster;
  before(async () => {
    cluster = await startCluster();
    closers.push(() => cluster.stop());
  });

  let database = 0;
  async function open(options: { secret: string; previousSecrets?: string[] } = { secret: SECRET }, url?: string): Promise<{ store: PostgresStore; url: string }> {
    url ??= await cluster.createDatabase(`contract_${++database}`);
    const store = postgresStore(url, options);
    closers.push(() => store.close());
    return { store, url };
  }

  storeContract('postgresStore', async () => (await open()).store);

  it('encrypts resource and widget tokens at rest, bound to their row', async () => {
    const { store, url } = await open();
    await store.put('ana', { ...record, pending });
    await store.writeCredential!('res-1', ORIGIN, credential(Date.now()));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const dump = JSON.stringify([(await client.query('SELECT * FROM tk_companion_records')).rows, (await client.query('SELECT * FROM tk_companion_credentials')).rows]);
      assert.ok(!dump.includes(record.token) && !dump.includes(pending.token) && !dump.includes('widget-token-cred-1'), 'no token in the clear');
      assert.ok(dump.includes(record.email) && dump.includes(pending.email), 'the rest stays readable');
      // The pending token does not decrypt as the record's, nor once its entry names another resource.
      await client.query("UPDATE tk_companion_records SET token = pending->>'token' WHERE user_id = 'ana'");
      await assert.rejects(async () => store.get('ana'));
      await store.put('ana', { ...record, pending });
      await client.query(`UPDATE tk_companion_records SET pending = jsonb_set(pending, '{resourceId}', '"${record.resourceId}"') WHERE user_id = 'ana'`);
      await assert.rejects(async () => store.get('ana'));
      await store.put('ana', record);
      // A ciphertext copied onto another user's row does not decrypt there.
      await store.put('ben', { ...record, token: 'bens-token' });
      await client.query("UPDATE tk_companion_records SET token = (SELECT token FROM tk_companion_records WHERE user_id = 'ana') WHERE user_id = 'ben'");
      await assert.rejects(async () => store.get('ben'));
    } finally {
      await client.end();
    }
  });

  it('rotates the key: old rows read with previousSecrets, reencrypt() moves them to the new key', async () => {
    const { store: before, url } = await open();
    await before.put('ana', { ...record, pending });
    const rotated = 'rotated-secret-0123456789-abcdefghijklmnopqrst';
    const { store: withoutOld } = await open({ secret: rotated }, url);
    await assert.rejects(async () => withoutOld.get('ana'), /previousSecrets/);
    const { store: during } = await open({ secret: rotated, previousSecrets: [SECRET] }, url);
    assert.deepEqual(await during.get('ana'), { ...record, pending });
    assert.equal(await during.reencrypt(), 2, 'the record and its pending resource');
    assert.equal(await during.reencrypt(), 0, 'nothing left under the old key');
    const { store: afterwards } = await open({ secret: rotated }, url);
    assert.deepEqual(await afterwards.get('ana'), { ...record, pending });
  });

  it('creates a versioned schema once, however many instances start together', async () => {
    const url = await cluster.createDatabase('contract_schema');
    const stores = await Promise.all([1, 2, 3].map(() => open({ secret: SECRET }, url)));
    assert.deepEqual(await Promise.all(stores.map(({ store }) => store.migrate())), [2, 2, 2]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT value FROM tk_companion_meta WHERE key = 'schema_version'");
      assert.deepEqual(rows, [{ value: '2' }]);
    } finally {
      await client.end();
    }
  });

  it('sweeps expired nonces, windows and lapsed claims, never a credential it has not deleted at Timekit', async () => {
    const { store, url } = await open();
    const now = Date.now();
    await store.consumeNonce!('old', now - 1);
    await store.consumeNonce!('live', now + 60_000);
    await store.countHit!('old', now - 120_000, now - 60_000);
    await store.writeCredential!('res-old', ORIGIN, { id: 'x', token: 't', expiresAt: now - 1, renewAt: now - 2 });
    await store.claimCredential!('res-claimed', ORIGIN, now - 1, now - 10_000);
    await store.sweep(now);
    assert.equal((await store.readCredential!('res-old', ORIGIN))?.id, 'x', 'an expired credential keeps its row until the companion replaces it');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const counts = await client.query(
        'SELECT (SELECT count(*) FROM tk_companion_nonces)::int AS nonces, (SELECT count(*) FROM tk_companion_hits)::int AS hits, (SELECT count(*) FROM tk_companion_credentials)::int AS credentials',
      );
      assert.deepEqual(counts.rows[0], { nonces: 1, hits: 0, credentials: 1 });
    } finally {
      await client.end();
    }
  });

  it("runs on the host's own pg.Pool, and leaves it open on close", async () => {
    const pool = new pg.Pool({ connectionString: await cluster.createDatabase('contract_pool') });
    try {
      const store = postgresStore(pool, { secret: SECRET });
      await store.put('ana', record);
      assert.deepEqual(await store.get('ana'), record);
      await store.close();
      assert.equal((await pool.query('SELECT count(*)::int AS n FROM tk_companion_records')).rows[0].n, 1, 'the pool still works');
    } finally {
      await pool.end();
    }
  });

  it('refuses to open without a key for tokens at rest', () => {
    assert.throws(() => postgresStore('postgres://127.0.0.1/none', { secret: 'short' }), /at least 32 characters/);
  });
});
