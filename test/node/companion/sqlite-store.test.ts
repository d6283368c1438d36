/** The SQLite store: durable across restarts, shared by several instances, private on disk. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { sqliteStore } from '../../../src/companion/stores/sqlite.js';
import { sampleRecord } from '../../../src/companion/testing.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-companion-store-'));
const record = sampleRecord;

describe('sqliteStore', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps records, burned nonces and the secret across a restart', () => {
    const path = join(dir, 'restart.db');
    const first = sqliteStore(path);
    assert.equal(first.get('ana'), null);
    first.put('ana', record);
    first.put('ana', { ...record, email: 'ana2@example.com' });
    assert.equal(first.consumeNonce!('n1', Date.now() + 60_000), true);
    assert.equal(first.consumeNonce!('n1', Date.now() + 60_000), false);
    const secret = first.secret();
    assert.ok(secret.length >= 32);
    first.close();

    const second = sqliteStore(path);
    assert.deepEqual(second.get('ana'), { ...record, email: 'ana2@example.com' });
    assert.equal(second.consumeNonce!('n1', Date.now() + 60_000), false, 'still burned after the restart');
    assert.equal(second.secret(), secret);
    second.close();
    assert.equal(statSync(path).mode & 0o777, 0o600, 'tokens on disk are readable by this user only');
  });

  it('is shared by two open instances: one burns, the other sees it', () => {
    const path = join(dir, 'shared.db');
    const a = sqliteStore(path);
    const b = sqliteStore(path);
    assert.equal(a.secret(), b.secret());
    a.put('ben', record);
    assert.deepEqual(b.get('ben'), record);
    assert.equal(b.consumeNonce!('n2', Date.now() + 60_000), true);
    assert.equal(a.consumeNonce!('n2', Date.now() + 60_000), false);
    a.close();
    b.close();
  });

  it('versions its schema: a file from before the version (user_version 0) is migrated in place and keeps its rows', () => {
    const path = join(dir, 'unversioned.db');
    const first = sqliteStore(path);
    first.put('ana', record);
    first.close();
    // The earlier releases created these same tables without a version.
    const db = new Database(path);
    db.pragma('user_version = 0');
    db.close();
    const reopened = sqliteStore(path);
    assert.deepEqual(reopened.get('ana'), record);
    reopened.close();
    const check = new Database(path, { readonly: true });
    assert.equal(check.pragma('user_version', { simple: true }), 1);
    check.close();
  });

  it('refuses a file whose schema a newer release has migrated', () => {
    const path = join(dir, 'newer.db');
    sqliteStore(path).close();
    const db = new Database(path);
    db.pragma('user_version = 99');
    db.close();
    assert.throws(() => sqliteStore(path), /SQLite schema is at version 99, newer than this companion knows \(1\)/);
  });

  it('tightens a store file that already exists to 0600, its WAL included', () => {
    const path = join(dir, 'loose.db');
    writeFileSync(path, '', { mode: 0o644 });
    const store = sqliteStore(path);
    store.put('ana', record);
    for (const file of [path, `${path}-wal`]) {
      assert.ok(existsSync(file), file);
      assert.equal(statSync(file).mode & 0o777, 0o600, `${file} is readable by this user only`);
    }
    store.close();
  });

  it('indexes nonces by expiry, and sweeps expired nonces, windows and lapsed claims, never a credential it has not deleted at Timekit', () => {
    const file = join(dir, 'sweep.db');
    const store = sqliteStore(file);
    const now = Date.now();
    store.consumeNonce!('old', now - 1);
    store.consumeNonce!('live', now + 60_000);
    store.countHit!('old', now - 120_000, now - 60_000);
    const expired = { id: 'c', token: 't', expiresAt: now - 1, renewAt: now - 2 };
    store.writeCredential!('res', 'https://app.example.com', expired);
    store.claimCredential!('res-claimed', 'https://app.example.com', now - 1, now - 10_000);
    store.sweep(now);
    assert.equal(store.consumeNonce!('old', now + 60_000), true, 'the expired nonce was swept');
    assert.equal(store.consumeNonce!('live', now + 60_000), false, 'the live one stays burned');
    assert.equal(store.countHit!('old', now - 120_000, now - 60_000), 1, 'the ended window was swept');
    assert.deepEqual(store.readCredential!('res', 'https://app.example.com'), expired, 'an expired credential keeps its row until the companion replaces it');
    store.close();
    const db = new Database(file, { readonly: true });
    assert.deepEqual(db.prepare('SELECT resource_id FROM credentials').all(), [{ resource_id: 'res' }], 'the lapsed claim, with no credential, was swept');
    db.close();
  });

  it('keeps its WAL bounded under rate-limit hits for many distinct users, and shrinks it at the sweep', () => {
    const path = join(dir, 'hits.db');
    const store = sqliteStore(path);
    const windowStart = Date.now() - (Date.now() % 60_000);
    const walSize = () => statSync(`${path}-wal`).size;
    let largest = 0;
    for (let i = 1; i <= 10_000; i++) {
      assert.equal(store.countHit!(`connect:user-${i}`, windowStart, windowStart + 60_000), 1);
      if (i % 500 === 0) largest = Math.max(largest, walSize());
    }
    // SQLite checkpoints at about 4 MB of WAL; unbounded, 10,000 hits leave about 130 MB.
    assert.ok(largest < 16e6, `the WAL reached ${(largest / 1e6).toFixed(1)} MB`);
    assert.equal(store.countHit!('connect:user-1', windowStart, windowStart + 60_000), 2, 'every hit was counted');
    store.sweep();
    assert.ok(walSize() < 1e6, `the sweep's checkpoint truncates the WAL (${(walSize() / 1e6).toFixed(1)} MB left)`);
    store.close();
  });
});
