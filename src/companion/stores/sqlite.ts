/**
 * A durable store on SQLite (better-sqlite3): the standalone server's default, and usable by any
 * host. Several companion processes can share one file (WAL mode, busy timeout): records, burned
 * nonces, the widget-credential cache, the rate-limit counters and the signing secret all live in
 * it, nothing only in one process's memory. Expired rows are swept on a timer, off the request path.
 * The schema is versioned in `PRAGMA user_version` and migrated on open (migrations.ts).
 *
 * better-sqlite3 is an optional peer dependency (it compiles natively), loaded only when a SQLite store
 * is opened, so hosts that bring their own store never need it.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import type { CompanionStore, TimekitRecord } from './contract.js';
import { migrateSqlite } from './migrations.js';
import { credentialFromRow, sharedStatements, storedRecord, type CredentialRow } from './sql.js';

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
  try {
    migrateSqlite(db);
  } catch (error) {
    db.close();
    throw error;
  }
  if (onDisk) restrictToOwner(path);

  const getRecord = db.prepare<[string], { record: string }>('SELECT record FROM records WHERE user_id = ?');
  const putRecord = db.prepare(
    'INSERT INTO records (user_id, record, updated_at) VALUES (?, ?, ?) ON CONFLICT (user_id) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at',
  );
  const insertMeta = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
  const getMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const shared = sharedStatements('');
  const burnNonce = db.prepare(shared.burnNonce);
  const readCredential = db.prepare<[{ resourceId: string; origin: string }], CredentialRow>(shared.readCredential);
  const claimCredential = db.prepare(shared.claimCredential);
  const writeCredential = db.prepare(shared.writeCredential);
  const releaseCredential = db.prepare(shared.releaseCredential);
  const countHit = db.prepare<[{ key: string; windowStart: number; windowEnd: number }], { count: number }>(shared.countHit);
  const sweeps = [shared.sweepNonces, shared.sweepHits, shared.sweepCredentials].map((text) => db.prepare(text));
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
    put: (userId, record) => void putRecord.run(userId, JSON.stringify(storedRecord(record)), Date.now()),
    consumeNonce: (id, expiresAt) => burnNonce.run({ id, expiresAt }).changes === 1,
    readCredential: (resourceId, origin) => credentialFromRow(readCredential.get({ resourceId, origin })),
    claimCredential: (resourceId, origin, until, now) => claimCredential.run({ resourceId, origin, until, now }).changes === 1,
    writeCredential: (resourceId, origin, credential) => void writeCredential.run({ resourceId, origin, ...credential }),
    releaseCredential: (resourceId, origin) => void releaseCredential.run({ resourceId, origin }),
    // Not .get(): a statement left unfinished (RETURNING read one row) never lets SQLite's WAL
    // auto-checkpoint run, so the WAL would grow without bound under rate-limit hits.
    countHit: (key, windowStart, windowEnd) => countHit.all({ key, windowStart, windowEnd })[0]!.count,
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
