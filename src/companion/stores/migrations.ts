/**
 * The SQL stores' schemas, versioned: migration n brings a database from version n to n + 1.
 * Append; never edit a shipped one. SQLite keeps its version in `PRAGMA user_version`, PostgreSQL
 * in `tk_companion_meta`; each migrates in one transaction that other instances wait for, and
 * refuses a database that a newer release has already migrated.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { PgPool } from './postgres.js';

/**
 * Version 1 is the schema every release before the version existed created, `IF NOT EXISTS`, so a
 * file of that time (at `user_version` 0) takes it as a no-op and is at version 1 after.
 */
const SQLITE_MIGRATIONS = [
  `CREATE TABLE IF NOT EXISTS records (user_id TEXT PRIMARY KEY, record TEXT NOT NULL, updated_at INTEGER NOT NULL);
   CREATE TABLE IF NOT EXISTS nonces (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
   CREATE INDEX IF NOT EXISTS nonces_expires_at ON nonces (expires_at);
   CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS credentials (
     resource_id TEXT NOT NULL, origin TEXT NOT NULL,
     credential_id TEXT, token TEXT, expires_at INTEGER, renew_at INTEGER, claim_until INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (resource_id, origin));
   CREATE INDEX IF NOT EXISTS credentials_expires_at ON credentials (expires_at);
   CREATE TABLE IF NOT EXISTS hits (key TEXT PRIMARY KEY, window_start INTEGER NOT NULL, window_end INTEGER NOT NULL, count INTEGER NOT NULL);
   CREATE INDEX IF NOT EXISTS hits_window_end ON hits (window_end);`,
];

export const POSTGRES_MIGRATIONS = [
  `CREATE TABLE tk_companion_records (
     user_id text PRIMARY KEY, resource_id text NOT NULL, email text NOT NULL, token text NOT NULL,
     accounts jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now());
   CREATE TABLE tk_companion_nonces (id text PRIMARY KEY, expires_at bigint NOT NULL);
   CREATE INDEX tk_companion_nonces_expires_at ON tk_companion_nonces (expires_at);
   CREATE TABLE tk_companion_credentials (
     resource_id text NOT NULL, origin text NOT NULL,
     credential_id text, token text, expires_at bigint, renew_at bigint, claim_until bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (resource_id, origin));
   CREATE INDEX tk_companion_credentials_expires_at ON tk_companion_credentials (expires_at);
   CREATE TABLE tk_companion_hits (key text PRIMARY KEY, window_start bigint NOT NULL, window_end bigint NOT NULL, count integer NOT NULL);
   CREATE INDEX tk_companion_hits_window_end ON tk_companion_hits (window_end);`,
  // A second resource waiting for the provider's yes (TimekitRecord.pending): its token encrypted like the record's.
  `ALTER TABLE tk_companion_records ADD COLUMN pending jsonb;`,
];

/** Any fixed number: the advisory lock that serialises PostgreSQL migrations between instances. */
const POSTGRES_MIGRATION_LOCK = 7_341_020;

/** The migrations a database at `version` still needs. */
function stepsFrom(version: number, migrations: readonly string[], database: string): readonly string[] {
  if (version > migrations.length) {
    throw new Error(`tk-companion: the ${database} schema is at version ${version}, newer than this companion knows (${migrations.length}); upgrade tk-elements`);
  }
  return migrations.slice(version);
}

/** Brings the file's schema up to date; answers its version. */
export function migrateSqlite(db: BetterSqlite3.Database): number {
  // IMMEDIATE takes the write lock before reading the version: another process opening the same
  // file waits (busy_timeout) and then finds nothing left to do.
  const migrate = db.transaction(() => {
    const version = db.pragma('user_version', { simple: true }) as number;
    for (const step of stepsFrom(version, SQLITE_MIGRATIONS, 'SQLite')) db.exec(step);
    db.pragma(`user_version = ${SQLITE_MIGRATIONS.length}`);
  });
  migrate.immediate();
  return SQLITE_MIGRATIONS.length;
}

/** Brings the schema up to date inside the caller's transaction on `client`; answers its version. */
export async function migratePostgres(client: Pick<PgPool, 'query'>): Promise<number> {
  await client.query('SELECT pg_advisory_xact_lock($1)', [POSTGRES_MIGRATION_LOCK]);
  await client.query('CREATE TABLE IF NOT EXISTS tk_companion_meta (key text PRIMARY KEY, value text NOT NULL)');
  const { rows } = await client.query("SELECT value FROM tk_companion_meta WHERE key = 'schema_version'");
  const version = rows.length === 0 ? 0 : Number(rows[0]!.value);
  for (const step of stepsFrom(version, POSTGRES_MIGRATIONS, 'PostgreSQL')) await client.query(step);
  await client.query(
    "INSERT INTO tk_companion_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [String(POSTGRES_MIGRATIONS.length)],
  );
  return POSTGRES_MIGRATIONS.length;
}
