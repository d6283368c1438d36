/** The SQLite store: durable across restarts, shared by several instances, private on disk. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { sqliteStore } from '../../../src/companion/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tk-companion-store-'));
const record = {
  resourceId: '6f1b7c1e-0000-4000-8000-000000000001',
  email: 'ana@example.com',
  token: 'resource-token-xyz',
  accounts: [{ provider: 'google' as const, provider_id: 'ana@example.com', last_sync: null }],
};

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
});
