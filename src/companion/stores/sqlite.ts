/**
 * A durable store on SQLite (better-sqlite3): the standalone server's default, and usable by any
 * host. Several companion processes can share one file (WAL mode, busy timeout): records, burned
 * nonces, the widget-credential cache, the rate-limit counters and the signing secret all live in
 * it, nothing only in one process's memory. Expired rows are swept on a timer, off the request path.
 *
 * better-sqlite3 is an optional peer dependency (it compiles natively), loaded only when a SQLite store
 * is opened, so hosts that bring their own store never need it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { CachedCredential, CompanionStore, TimekitRecord } from './contract.js';

export interface SqliteStore extends CompanionStore {
  /** The companion signing secret kept in the database, created on first use and shared by every instance on it. */
  secret(): string;
  /** Deletes expired nonces, rate-limit windows and lapsed credential claims now (the store also does it every minute). */
  sweep(now?: number): void;
  close(): void;
}

const SWEEP_EVERY_MS = 60_000;
/** Bytes of WAL kept after a checkpoint: about what SQLite's auto-checkpoint lets it reach (1,000 pages). */
const WAL_SIZE_LIMIT = 4 * 1024 * 1024;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS records (user_id TEXT PRIMARY KEY, record TEXT NOT NULL, updated_at INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS nonces (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS nonces_expires_at ON nonces (expires_at);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS credentials (
    resource_id TEXT NOT NULL, origin TEXT NOT NULL,
    credential_id TEXT, token TEXT, expires_at INTEGER, renew_at INTEGER, claim_until INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (resource_id, origin));
  CREATE INDEX IF NOT EXISTS credentials_expires_at ON credentials (expires_at);
  CREATE TABLE IF NOT EXISTS hits (key TEXT PRIMARY KEY, window_start INTEGER NOT NULL, window_end INTEGER NOT NULL, count INTEGER NOT NULL);
  CREATE INDEX IF NOT EXISTS hits_window_end ON hits (window_end);
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

/** The file holds resource tokens: readable by this user only, including a file that already existed and its WAL. */
function restrictToOwner(path: string) {
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

interface CredentialRow {
  credential_id: string | null;
  token: string | null;
  expires_at: number | null;
  renew_at: number | null;
}

/** Opens (creating when needed) the store at `path`; `:memory:` for a throwaway one. */
export function sqliteStore(path: string): SqliteStore {
  const Database = loadDriver();
  const onDisk = path !== ':memory:';
  if (onDisk) restrictToOwner(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  // A WAL reused after a checkpoint keeps its high-water size unless told to shrink back.
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  db.exec(SCHEMA);
  if (onDisk) restrictToOwner(path);

  const getRecord = db.prepare<[string], { record: string }>('SELECT record FROM records WHERE user_id = ?');
  const putRecord = db.prepare(
    'INSERT INTO records (user_id, record, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at',
  );
  const burn = db.prepare('INSERT OR IGNORE INTO nonces (id, expires_at) VALUES (?, ?)');
  const insertMeta = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const readCredential = db.prepare<[string, string], CredentialRow>(
    'SELECT credential_id, token, expires_at, renew_at FROM credentials WHERE resource_id = ? AND origin = ?',
  );
  // One statement settles the race: the row is claimed only when no claim is live and the cached
  // credential (if any) is due for renewal.
  const claimCredential = db.prepare(`
    INSERT INTO credentials (resource_id, origin, claim_until) VALUES (@resourceId, @origin, @until)
    ON CONFLICT (resource_id, origin) DO UPDATE SET claim_until = excluded.claim_until
    WHERE credentials.claim_until <= @now AND (credentials.renew_at IS NULL OR credentials.renew_at <= @now)`);
  const writeCredential = db.prepare(`
    INSERT INTO credentials (resource_id, origin, credential_id, token, expires_at, renew_at, claim_until)
    VALUES (@resourceId, @origin, @id, @token, @expiresAt, @renewAt, 0)
    ON CONFLICT (resource_id, origin) DO UPDATE SET credential_id = excluded.credential_id, token = excluded.token,
      expires_at = excluded.expires_at, renew_at = excluded.renew_at, claim_until = 0`);
  const releaseCredential = db.prepare('UPDATE credentials SET claim_until = 0 WHERE resource_id = ? AND origin = ?');
  const countHit = db.prepare<[{ key: string; start: number; end: number }], { count: number }>(`
    INSERT INTO hits (key, window_start, window_end, count) VALUES (@key, @start, @end, 1)
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN hits.window_start = excluded.window_start THEN hits.count + 1 ELSE 1 END,
      window_start = excluded.window_start, window_end = excluded.window_end
    RETURNING count`);
  const sweeps = [
    db.prepare('DELETE FROM nonces WHERE expires_at < @now'),
    db.prepare('DELETE FROM hits WHERE window_end < @now'),
    // Only lapsed claims: a row naming a credential stays until the companion replaces it (one row
    // per resource and origin), so no credential Timekit may still accept is forgotten.
    db.prepare('DELETE FROM credentials WHERE credential_id IS NULL AND claim_until <= @now'),
  ];
  const sweep = (now = Date.now()) => {
    for (const statement of sweeps) statement.run({ now });
    db.pragma('wal_checkpoint(TRUNCATE)');
  };
  const timer = setInterval(sweep, SWEEP_EVERY_MS);
  timer.unref();

  return {
    get(userId) {
      const row = getRecord.get(userId);
      return row ? (JSON.parse(row.record) as TimekitRecord) : null;
    },
    put(userId, record) {
      const { resourceId, email, token, accounts, pending } = record;
      const kept: TimekitRecord = { resourceId, email, token, accounts };
      if (pending) {
        const { provider } = pending;
        kept.pending = { resourceId: pending.resourceId, email: pending.email, token: pending.token, accounts: pending.accounts, ...(provider ? { provider } : {}) };
      }
      putRecord.run(userId, JSON.stringify(kept), Date.now());
    },
    consumeNonce: (id, expiresAt) => burn.run(id, expiresAt).changes === 1,
    readCredential(resourceId, origin): CachedCredential | null {
      const row = readCredential.get(resourceId, origin);
      if (!row || row.credential_id === null || row.token === null) return null;
      return { id: row.credential_id, token: row.token, expiresAt: row.expires_at!, renewAt: row.renew_at! };
    },
    claimCredential: (resourceId, origin, until, now) => claimCredential.run({ resourceId, origin, until, now }).changes === 1,
    writeCredential: (resourceId, origin, credential) => void writeCredential.run({ resourceId, origin, ...credential }),
    releaseCredential: (resourceId, origin) => void releaseCredential.run(resourceId, origin),
    // Not .get(): a statement left unfinished (RETURNING read one row) never lets SQLite's WAL
    // auto-checkpoint run, so the WAL would grow without bound under rate-limit hits.
    countHit: (key, start, end) => countHit.all({ key, start, end })[0]!.count,
    secret() {
      // Whichever instance inserts first wins; every other one reads the same value.
      insertMeta.run('secret', randomBytes(48).toString('base64url'));
      return getMeta.get('secret')!.value;
    },
    sweep,
    close() {
      clearInterval(timer);
      db.close();
    },
  };
}
