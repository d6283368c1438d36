/**
 * One contract, every store: memory, SQLite and PostgreSQL run the suite the package ships as
 * `tk-elements/companion/testing` (records, one-time nonces, the shared credential cache with its
 * claim, rate-limit windows), races included. Then what only PostgreSQL does: tokens encrypted at
 * rest, key rotation, a versioned schema.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { postgresStore, type PostgresStore } from '../../../src/companion/stores/postgres.js';
import { sqliteStore } from '../../../src/companion/stores/sqlite.js';
import { memoryStore } from '../../../src/companion/stores/memory.js';
import { sampleCredential, samplePending, sampleRecord, storeContract } from '../../../src/companion/testing.js';
import { postgresMissing, startCluster, type Cluster } from './postgres-cluster.js';

const record = sampleRecord;
const pending = samplePending;
const credential = sampleCredential;
const SECRET = 'store-contract-secret-0123456789-abcdefghijkl';
const ORIGIN = 'https://app.example.com';

const dir = mkdtempSync(join(tmpdir(), 'tk-store-contract-'));
const closers: (() => unknown)[] = [];
after(async () => {
  for (const close of closers.reverse()) await close();
  rmSync(dir, { recursive: true, force: true });
});

describe('memoryStore', () => storeContract(memoryStore, { describe, it }));
describe('sqliteStore', () =>
  storeContract(() => {
    const store = sqliteStore(join(dir, 'contract.db'));
    closers.push(() => store.close());
    return store;
  }, { describe, it }));

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

  storeContract(async () => (await open()).store, { describe, it });

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

  it('migrates a database at version 1 (before pending resources) to 2, keeping its records, and refuses one a newer release migrated', async () => {
    const { store, url } = await open();
    await store.put('ana', record);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      // What version 1 had: no pending column.
      await client.query("ALTER TABLE tk_companion_records DROP COLUMN pending; UPDATE tk_companion_meta SET value = '1' WHERE key = 'schema_version'");
      const { store: upgraded } = await open({ secret: SECRET }, url);
      assert.equal(await upgraded.migrate(), 2);
      assert.deepEqual(await upgraded.get('ana'), record);
      await upgraded.put('ana', { ...record, pending });
      assert.deepEqual(await upgraded.get('ana'), { ...record, pending });

      await client.query("UPDATE tk_companion_meta SET value = '3' WHERE key = 'schema_version'");
      const { store: older } = await open({ secret: SECRET }, url);
      await assert.rejects(older.migrate(), /PostgreSQL schema is at version 3, newer than this companion knows \(2\)/);
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
