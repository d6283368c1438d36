/**
 * A durable store on SQLite (better-sqlite3): the standalone server's default, and usable by any
 * host. Several companion processes can share one file (WAL mode, busy timeout): records, burned
 * nonces and the signing secret all live in it, nothing only in one process's memory.
 *
 * better-sqlite3 is an optional peer dependency (it compiles natively), loaded only when a SQLite store
 * is opened, so hosts that bring their own store never need it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { CompanionStore, TimekitRecord } from './store.js';

export interface SqliteStore extends CompanionStore {
  /** The companion signing secret kept in the database, created on first use and shared by every instance on it. */
  secret(): string;
  close(): void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (user_id TEXT PRIMARY KEY, record TEXT NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS nonces (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

function loadDriver(): typeof BetterSqlite3 {
  try {
    return createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  } catch (error) {
    throw new Error(
      `tk-companion: the SQLite store needs the better-sqlite3 package, which is not installed or did not build ` +
        `(${(error as Error).message.split('\n')[0]}). Install it with \`npm install better-sqlite3\`.`,
    );
  }
}

/** Opens (creating when needed) the store at `path`; `:memory:` for a throwaway one. */
export function sqliteStore(path: string): SqliteStore {
  const Database = loadDriver();
  // The file holds resource tokens: create it readable by this user only.
  if (path !== ':memory:') closeSync(openSync(path, 'a', 0o600));
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(SCHEMA);

  const getRecord = db.prepare<[string], { record: string }>('SELECT record FROM records WHERE user_id = ?');
  const putRecord = db.prepare(
    'INSERT INTO records (user_id, record, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at',
  );
  const burn = db.prepare('INSERT OR IGNORE INTO nonces (id, expires_at) VALUES (?, ?)');
  const prune = db.prepare('DELETE FROM nonces WHERE expires_at < ?');
  const insertMeta = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  let burnsSincePrune = 0;

  return {
    get(userId) {
      const row = getRecord.get(userId);
      return row ? (JSON.parse(row.record) as TimekitRecord) : null;
    },
    put(userId, record) {
      const { resourceId, email, token, accounts } = record;
      putRecord.run(userId, JSON.stringify({ resourceId, email, token, accounts }), Date.now());
    },
    consumeNonce(id, expiresAt) {
      if (++burnsSincePrune >= 100) {
        burnsSincePrune = 0;
        prune.run(Date.now());
      }
      return burn.run(id, expiresAt).changes === 1;
    },
    secret() {
      // Whichever instance inserts first wins; every other one reads the same value.
      insertMeta.run('secret', randomBytes(48).toString('base64url'));
      return getMeta.get('secret')!.value;
    },
    close() {
      db.close();
    },
  };
}
