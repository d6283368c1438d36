/** 20,000 connect start/callback pairs on the SQLite store (nonce-load.ts): flat heap, steady latency. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { sqliteStore } from '../../../src/companion/stores/sqlite.js';
import { nonceLoad, SLOW } from './nonce-load.js';

it('SQLite store: 20,000 start/callback pairs with a flat heap and a steady latency', SLOW, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tk-nonce-load-'));
  const store = sqliteStore(join(dir, 'load.db'));
  try {
    await nonceLoad('sqliteStore', store);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
