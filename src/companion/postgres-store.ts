/**
 * A store on PostgreSQL for several companion instances behind one address: the user records,
 * burned connect nonces, the shared widget-credential cache (one row per resource and origin,
 * claimed by one instance at a time, so one mint serves them all) and the per-user rate-limit
 * counters. Every race is settled by the database (unique-key inserts and `INSERT … ON CONFLICT
 * DO UPDATE … WHERE` on one row), never in a process.
 *
 *   const store = postgresStore(process.env.DATABASE_URL, { secret: process.env.TK_SECRET });
 *   createCompanion({ …, secret: process.env.TK_SECRET, store });
 *
 * Resource tokens and cached widget tokens are encrypted at rest (AES-256-GCM, bound to their
 * row) with a key derived from `secret`, so a dump of the database alone hands out no Timekit
 * access. The schema is created on first use (or by `await store.migrate()`), and versioned in
 * `tk_companion_meta` so a later release can migrate it.
 *
 * `pg` is an optional peer dependency, imported only when a connection string is given: hosts
 * that pass their own pool, or use another store, never load it.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { TimekitAccount } from '../shared/timekit.js';
import type { CachedCredential, CompanionStore, TimekitRecord } from './store.js';

/** What the store needs of a pool: `pg.Pool` has it (`query` with `$n` parameters and named prepared statements, and `connect`). */
export interface PgPool {
  query(query: string | { name?: string; text: string; values?: unknown[] }, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number | null }>;
  connect(): Promise<{ query: PgPool['query']; release(): void }>;
  end?(): Promise<void>;
}

export interface PostgresStoreOptions {
  /**
   * Derives the key that encrypts tokens at rest: the companion's `secret`, or a separate key of
   * at least 32 characters.
   */
  secret: string;
  /** Keys that still decrypt (never encrypt) rows written before a rotation; see `reencrypt()`. */
  previousSecrets?: readonly string[];
}

export interface PostgresStore extends CompanionStore {
  /** Creates or upgrades the schema (also done on first use); resolves to the schema version. */
  migrate(): Promise<number>;
  /** Rewrites every encrypted token under the current `secret` (after a rotation); resolves to the rows rewritten. */
  reencrypt(): Promise<number>;
  /** Deletes expired nonces, rate-limit windows and lapsed credential claims now (also done every minute). */
  sweep(now?: number): Promise<void>;
  /** Stops the sweep, and ends the pool when the store made it from a connection string. */
  close(): Promise<void>;
}

const SWEEP_EVERY_MS = 60_000;
/** Any fixed number: the advisory lock that serialises schema migrations between instances. */
const MIGRATION_LOCK = 7_341_020;

/** Migration n brings the schema from version n to n + 1. Append; never edit a shipped one. */
const MIGRATIONS = [
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
];

/** AES-256-GCM under keys derived from secrets; each ciphertext names its key, so old rows stay readable after a rotation. */
class TokenCipher {
  private readonly current: { id: string; key: Buffer };
  private readonly byId: Map<string, Buffer>;

  constructor(secret: string, previous: readonly string[]) {
    const derive = (value: string) => {
      const key = Buffer.from(hkdfSync('sha256', value, 'tk-companion', 'postgres-store token encryption v1', 32));
      return { id: createHash('sha256').update(key).digest('base64url').slice(0, 8), key };
    };
    this.current = derive(secret);
    this.byId = new Map([this.current, ...previous.map(derive)].map(({ id, key }) => [id, key]));
  }

  /** `v1.<key id>.<iv>.<ciphertext+tag>`; `row` is authenticated too, so a ciphertext moved to another row does not decrypt. */
  encrypt(plain: string, row: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.key, iv).setAAD(Buffer.from(row));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `v1.${this.current.id}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  decrypt(text: string, row: string): string {
    const [version, id, iv, sealed] = text.split('.');
    const key = id === undefined ? undefined : this.byId.get(id);
    if (version !== 'v1' || key === undefined || iv === undefined || sealed === undefined) {
      throw new Error('tk-companion: a token in the PostgreSQL store is encrypted with a key this companion does not have (see previousSecrets)');
    }
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(row));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
  }

  isCurrent(text: string): boolean {
    return text.startsWith(`v1.${this.current.id}.`);
  }
}

async function poolFrom(connection: PgPool | string): Promise<PgPool> {
  if (typeof connection !== 'string') return connection;
  let pg: typeof import('pg');
  try {
    pg = await import('pg');
  } catch (error) {
    throw new Error(
      `tk-companion: the PostgreSQL store needs the pg package, which is not installed ` +
        `(${(error as Error).message.split('\n')[0]}). Install it with \`npm install pg\`.`,
    );
  }
  const pool = new pg.Pool({ connectionString: connection });
  // An idle connection the database drops (a restart, a failover) is reported here; the pool
  // opens a new one on the next query, so it is no reason to crash the process.
  pool.on('error', () => {});
  return pool as unknown as PgPool;
}

const recordRow = (userId: string) => `record ${userId}`;
const credentialRow = (resourceId: string, origin: string) => `credential ${resourceId} ${origin}`;

/**
 * Opens the store on a `pg.Pool` (or anything with its `query` and `connect`), or on a connection
 * string (`postgres://user@host/db`), from which it makes and owns a pool.
 */
export function postgresStore(connection: PgPool | string, options: PostgresStoreOptions): PostgresStore {
  if (typeof options?.secret !== 'string' || options.secret.length < 32) {
    throw new TypeError('tk-companion: postgresStore needs { secret }: the companion secret (or a separate key), at least 32 characters; it encrypts tokens at rest');
  }
  const cipher = new TokenCipher(options.secret, options.previousSecrets ?? []);
  const owned = typeof connection === 'string';
  const pool = poolFrom(connection);
  // Keeps the process from crashing on an unhandled rejection when the first use reports the failure.
  pool.catch(() => {});
  let ready: Promise<number> | null = null;

  async function migrate(): Promise<number> {
    const client = await (await pool).connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS tk_companion_meta (key text PRIMARY KEY, value text NOT NULL)');
      const { rows } = await client.query("SELECT value FROM tk_companion_meta WHERE key = 'schema_version'");
      const version = rows.length === 0 ? 0 : Number(rows[0]!.value);
      if (version > MIGRATIONS.length) {
        throw new Error(`tk-companion: the PostgreSQL schema is at version ${version}, newer than this companion knows (${MIGRATIONS.length}); upgrade tk-elements`);
      }
      for (let step = version; step < MIGRATIONS.length; step++) await client.query(MIGRATIONS[step]!);
      await client.query(
        "INSERT INTO tk_companion_meta (key, value) VALUES ('schema_version', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [String(MIGRATIONS.length)],
      );
      await client.query('COMMIT');
      return MIGRATIONS.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** The pool once the schema is in place; a failed migration is tried again on the next call. */
  async function db(): Promise<PgPool> {
    ready ??= migrate().catch((error: unknown) => {
      ready = null;
      throw error;
    });
    await ready;
    return pool;
  }

  /** Every statement is named: each connection prepares it once, not at every call (the session's read is the hot path). */
  async function query(name: string, text: string, values: unknown[]) {
    return (await db()).query({ name: `tk_companion_${name}`, text, values });
  }

  async function sweep(now = Date.now()) {
    await query('sweep_nonces', 'DELETE FROM tk_companion_nonces WHERE expires_at < $1', [now]);
    await query('sweep_hits', 'DELETE FROM tk_companion_hits WHERE window_end < $1', [now]);
    // Only lapsed claims: a row naming a credential stays until the companion replaces it (one row
    // per resource and origin), so no credential Timekit may still accept is forgotten.
    await query('sweep_credentials', 'DELETE FROM tk_companion_credentials WHERE credential_id IS NULL AND claim_until <= $1', [now]);
  }
  const timer = setInterval(() => {
    // A failed sweep (the database restarting) is retried on the next tick; expired rows are never read as live.
    sweep().catch(() => {});
  }, SWEEP_EVERY_MS);
  timer.unref();

  return {
    async get(userId) {
      const { rows } = await query('get_record', 'SELECT resource_id, email, token, accounts FROM tk_companion_records WHERE user_id = $1', [userId]);
      const row = rows[0];
      if (row === undefined) return null;
      return {
        resourceId: row.resource_id as string,
        email: row.email as string,
        token: cipher.decrypt(row.token as string, recordRow(userId)),
        accounts: row.accounts as TimekitAccount[],
      };
    },
    async put(userId, record: TimekitRecord) {
      await query(
        'put_record',
        `INSERT INTO tk_companion_records (user_id, resource_id, email, token, accounts, updated_at) VALUES ($1, $2, $3, $4, $5, now())
         ON CONFLICT (user_id) DO UPDATE SET resource_id = excluded.resource_id, email = excluded.email, token = excluded.token,
           accounts = excluded.accounts, updated_at = excluded.updated_at`,
        [userId, record.resourceId, record.email, cipher.encrypt(record.token, recordRow(userId)), JSON.stringify(record.accounts)],
      );
    },
    async consumeNonce(id, expiresAt) {
      const { rowCount } = await query('burn_nonce', 'INSERT INTO tk_companion_nonces (id, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [id, expiresAt]);
      return rowCount === 1;
    },
    async readCredential(resourceId, origin): Promise<CachedCredential | null> {
      const { rows } = await query(
        'read_credential',
        'SELECT credential_id, token, expires_at, renew_at FROM tk_companion_credentials WHERE resource_id = $1 AND origin = $2',
        [resourceId, origin],
      );
      const row = rows[0];
      if (row === undefined || row.credential_id === null || row.token === null) return null;
      return {
        id: row.credential_id as string,
        token: cipher.decrypt(row.token as string, credentialRow(resourceId, origin)),
        expiresAt: Number(row.expires_at),
        renewAt: Number(row.renew_at),
      };
    },
    async claimCredential(resourceId, origin, until, now) {
      // The row lock settles the race: a second claimer waits for the first's insert or update,
      // then finds the claim live and updates nothing.
      const { rowCount } = await query(
        'claim_credential',
        `INSERT INTO tk_companion_credentials (resource_id, origin, claim_until) VALUES ($1, $2, $3)
         ON CONFLICT (resource_id, origin) DO UPDATE SET claim_until = excluded.claim_until
         WHERE tk_companion_credentials.claim_until <= $4
           AND (tk_companion_credentials.renew_at IS NULL OR tk_companion_credentials.renew_at <= $4)`,
        [resourceId, origin, until, now],
      );
      return rowCount === 1;
    },
    async writeCredential(resourceId, origin, credential) {
      await query(
        'write_credential',
        `INSERT INTO tk_companion_credentials (resource_id, origin, credential_id, token, expires_at, renew_at, claim_until)
         VALUES ($1, $2, $3, $4, $5, $6, 0)
         ON CONFLICT (resource_id, origin) DO UPDATE SET credential_id = excluded.credential_id, token = excluded.token,
           expires_at = excluded.expires_at, renew_at = excluded.renew_at, claim_until = 0`,
        [resourceId, origin, credential.id, cipher.encrypt(credential.token, credentialRow(resourceId, origin)), credential.expiresAt, credential.renewAt],
      );
    },
    async releaseCredential(resourceId, origin) {
      await query('release_credential', 'UPDATE tk_companion_credentials SET claim_until = 0 WHERE resource_id = $1 AND origin = $2', [resourceId, origin]);
    },
    async countHit(key, windowStart, windowEnd) {
      const { rows } = await query(
        'count_hit',
        `INSERT INTO tk_companion_hits (key, window_start, window_end, count) VALUES ($1, $2, $3, 1)
         ON CONFLICT (key) DO UPDATE SET
           count = CASE WHEN tk_companion_hits.window_start = excluded.window_start THEN tk_companion_hits.count + 1 ELSE 1 END,
           window_start = excluded.window_start, window_end = excluded.window_end
         RETURNING count`,
        [key, windowStart, windowEnd],
      );
      return Number(rows[0]!.count);
    },
    migrate: () => db().then(() => MIGRATIONS.length),
    async reencrypt() {
      let rewritten = 0;
      const records = await query('reencrypt_read_records', 'SELECT user_id, token FROM tk_companion_records', []);
      for (const row of records.rows) {
        const userId = row.user_id as string;
        if (cipher.isCurrent(row.token as string)) continue;
        const token = cipher.encrypt(cipher.decrypt(row.token as string, recordRow(userId)), recordRow(userId));
        rewritten += (await query('reencrypt_record', 'UPDATE tk_companion_records SET token = $2 WHERE user_id = $1 AND token = $3', [userId, token, row.token])).rowCount ?? 0;
      }
      const credentials = await query('reencrypt_read_credentials', 'SELECT resource_id, origin, token FROM tk_companion_credentials WHERE token IS NOT NULL', []);
      for (const row of credentials.rows) {
        const where = credentialRow(row.resource_id as string, row.origin as string);
        if (cipher.isCurrent(row.token as string)) continue;
        const token = cipher.encrypt(cipher.decrypt(row.token as string, where), where);
        rewritten += (
          await query('reencrypt_credential', 'UPDATE tk_companion_credentials SET token = $3 WHERE resource_id = $1 AND origin = $2 AND token = $4', [row.resource_id, row.origin, token, row.token])
        ).rowCount ?? 0;
      }
      return rewritten;
    },
    sweep,
    async close() {
      clearInterval(timer);
      if (owned) await (await pool).end?.();
    },
  };
}
