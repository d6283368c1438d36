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
import type { TimekitAccount } from '../../shared/timekit.js';
import { StoreUnavailableError, TamperedRowError, type CachedCredential, type CompanionStore, type PendingResource, type TimekitRecord } from './contract.js';

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
  /**
   * Other keys that decrypt: the secret before a rotation. While the database still names one of
   * them as the key in use, this instance encrypts with it too, so instances not yet restarted
   * with the new secret read everything; `reencrypt()` switches every instance to `secret`.
   */
  previousSecrets?: readonly string[];
}

export interface PostgresStore extends CompanionStore {
  /** Creates or upgrades the schema (also done on first use); resolves to the schema version. */
  migrate(): Promise<number>;
  /**
   * Makes `secret` the key every instance encrypts with, and rewrites every token under it (and in
   * the current format); resolves to the rows rewritten. Call it once every instance runs with the
   * new secret and the old one in `previousSecrets`, then drop the old one. Rows that fail their
   * integrity check are left as they are.
   */
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
  // A second resource waiting for the provider's yes (TimekitRecord.pending): its token encrypted like the record's.
  `ALTER TABLE tk_companion_records ADD COLUMN pending jsonb;`,
];

/**
 * AES-256-GCM under keys derived from secrets: `<format>.<key id>.<iv>.<ciphertext+tag>`. Each
 * ciphertext names its key, so rows stay readable while the key changes, and its format names what
 * its authenticated data binds (see `recordRow`), so rows of an earlier release stay readable too.
 */
class TokenCipher {
  readonly currentKeyId: string;
  private readonly byId: Map<string, Buffer>;

  constructor(secret: string, previous: readonly string[]) {
    const derive = (value: string) => {
      const key = Buffer.from(hkdfSync('sha256', value, 'tk-companion', 'postgres-store token encryption v1', 32));
      return [createHash('sha256').update(key).digest('base64url').slice(0, 8), key] as const;
    };
    const current = derive(secret);
    this.currentKeyId = current[0];
    this.byId = new Map([current, ...previous.map(derive)]);
  }

  hasKey(id: string): boolean {
    return this.byId.has(id);
  }

  /** `row` is authenticated too: the ciphertext decrypts only for the row it was written for. */
  encrypt(plain: string, format: string, row: string, keyId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.byId.get(keyId)!, iv).setAAD(Buffer.from(row));
    const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${format}.${keyId}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
  }

  /** `rowFor` answers the authenticated data a format binds, or undefined for a format this kind of row never had. */
  decrypt(text: string, rowFor: (format: string) => string | undefined): string {
    const [format = '', id, iv, sealed] = text.split('.');
    const row = rowFor(format);
    if (row === undefined || iv === undefined || sealed === undefined) throw new TamperedRowError('a token in the PostgreSQL store is malformed');
    const key = id === undefined ? undefined : this.byId.get(id);
    if (key === undefined) {
      throw new Error('tk-companion: a token in the PostgreSQL store is encrypted with a key this companion does not have (see previousSecrets)');
    }
    const bytes = Buffer.from(sealed, 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(row));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      return Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8');
    } catch {
      throw new TamperedRowError('a token in the PostgreSQL store does not authenticate for its row');
    }
  }

  /** True when `text` is already in `format` under the current key. */
  isCurrent(text: string, format: string): boolean {
    return text.startsWith(`${format}.${this.currentKeyId}.`);
  }
}

/**
 * A failure of the connection rather than of the statement: the server restarting or refusing
 * connections (SQLSTATE classes 08 connection exception, 53 insufficient resources, 57P operator
 * intervention), a socket error, or pg's own "Connection terminated".
 */
function isConnectionFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (/^(08|53|57P)/.test(code) || /^E[A-Z]+$/.test(code))) return true;
  return typeof message === 'string' && /^Connection terminated|^timeout exceeded when trying to connect/.test(message);
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

/**
 * A record's token is bound to its user and to the plain columns the companion trusts with it: a
 * writer without the secret who points her row at another provider's resource (whose cached
 * widget credential the companion would hand her) or email gets a row that no longer decrypts.
 * NUL never occurs in these values, so the fields cannot be shifted into one another.
 */
const RECORD_FORMAT = 'v2';
const recordRow = (userId: string, resourceId: string, email: string) => `record\0${userId}\0${resourceId}\0${email}`;
/** Before RECORD_FORMAT, a record's token was bound to its user only. */
const LEGACY_RECORD_FORMAT = 'v1';
const legacyRecordRow = (userId: string) => `record ${userId}`;
const recordRowFor = (userId: string, resourceId: string, email: string) => (format: string) =>
  format === RECORD_FORMAT ? recordRow(userId, resourceId, email) : format === LEGACY_RECORD_FORMAT ? legacyRecordRow(userId) : undefined;

/**
 * A pending resource's token (in the `pending` column's JSON) is bound to its user and to the
 * pending resource and email: distinct from the record's own, so neither token can stand in for
 * the other, and a pending entry pointed at another resource no longer decrypts.
 */
const PENDING_FORMAT = 'v1';
const pendingRow = (userId: string, resourceId: string, email: string) => `pending\0${userId}\0${resourceId}\0${email}`;
const pendingRowFor = (userId: string, resourceId: string, email: string) => (format: string) =>
  format === PENDING_FORMAT ? pendingRow(userId, resourceId, email) : undefined;

/** The `pending` column as stored: the pending resource with its token encrypted. */
type StoredPending = Omit<PendingResource, 'token'> & { token: string };

const CREDENTIAL_FORMAT = 'v1';
const credentialRow = (resourceId: string, origin: string) => `credential ${resourceId} ${origin}`;
const credentialRowFor = (resourceId: string, origin: string) => (format: string) =>
  format === CREDENTIAL_FORMAT ? credentialRow(resourceId, origin) : undefined;

/** The `tk_companion_meta` key naming the key every instance encrypts with (switched by `reencrypt()`). */
const ENCRYPTION_KEY = 'encryption_key';

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
      // The first instance names the key in use; only reencrypt() changes it.
      await client.query('INSERT INTO tk_companion_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [ENCRYPTION_KEY, cipher.currentKeyId]);
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

  /**
   * Every statement is named: each connection prepares it once, not at every call (the session's
   * read is the hot path). A lost connection rejects as StoreUnavailableError; pg.Pool drops the
   * dead client, and the next query opens a new one.
   */
  async function query(name: string, text: string, values: unknown[]) {
    try {
      return await (await db()).query({ name: `tk_companion_${name}`, text, values });
    } catch (error) {
      if (isConnectionFailure(error)) throw new StoreUnavailableError(`PostgreSQL is unavailable (${(error as Error).message})`, { cause: error });
      throw error;
    }
  }

  /**
   * The key to encrypt with: the one the database names, while a rotation rolls out and the
   * instances not yet restarted only have that one; this instance's own once it has no such key.
   * Read at every write: writes are rare (a connect, a mint), and reencrypt() may switch it.
   */
  async function encryptionKeyId(): Promise<string> {
    const { rows } = await query('read_encryption_key', 'SELECT value FROM tk_companion_meta WHERE key = $1', [ENCRYPTION_KEY]);
    const named = rows[0]?.value as string | undefined;
    return named !== undefined && cipher.hasKey(named) ? named : cipher.currentKeyId;
  }

  async function sweep(now = Date.now()) {
    await query('sweep_nonces', 'DELETE FROM tk_companion_nonces WHERE expires_at < $1', [now]);
    await query('sweep_hits', 'DELETE FROM tk_companion_hits WHERE window_end < $1', [now]);
    // Only lapsed claims: a row naming a credential stays until the companion replaces it (one row
    // per resource and origin), so no credential Timekit may still accept is forgotten.
    await query('sweep_credentials', 'DELETE FROM tk_companion_credentials WHERE credential_id IS NULL AND claim_until <= $1', [now]);
  }
  /** One pass of reencrypt(): the rows rewritten. A row another instance rewrote meanwhile is left to it. */
  async function reencryptPass(): Promise<number> {
    const keyId = cipher.currentKeyId;
    let rewritten = 0;
    const records = await query('reencrypt_read_records', 'SELECT user_id, resource_id, email, token, pending FROM tk_companion_records', []);
    for (const row of records.rows) {
      const [userId, resourceId, email, old] = [row.user_id, row.resource_id, row.email, row.token] as string[];
      const pending = row.pending as StoredPending | null;
      if (pending !== null && !cipher.isCurrent(pending.token, PENDING_FORMAT)) {
        const plain = decryptUnlessTampered(pending.token, pendingRowFor(userId!, pending.resourceId, pending.email));
        if (plain !== null) {
          const moved = { ...pending, token: cipher.encrypt(plain, PENDING_FORMAT, pendingRow(userId!, pending.resourceId, pending.email), keyId) };
          rewritten +=
            (await query('reencrypt_pending', 'UPDATE tk_companion_records SET pending = $2 WHERE user_id = $1 AND pending = $3', [userId, JSON.stringify(moved), JSON.stringify(pending)]))
              .rowCount ?? 0;
        }
      }
      if (cipher.isCurrent(old!, RECORD_FORMAT)) continue;
      const plain = decryptUnlessTampered(old!, recordRowFor(userId!, resourceId!, email!));
      if (plain === null) continue;
      const token = cipher.encrypt(plain, RECORD_FORMAT, recordRow(userId!, resourceId!, email!), keyId);
      rewritten += (await query('reencrypt_record', 'UPDATE tk_companion_records SET token = $2 WHERE user_id = $1 AND token = $3', [userId, token, old])).rowCount ?? 0;
    }
    const credentials = await query('reencrypt_read_credentials', 'SELECT resource_id, origin, token FROM tk_companion_credentials WHERE token IS NOT NULL', []);
    for (const row of credentials.rows) {
      const [resourceId, origin, old] = [row.resource_id, row.origin, row.token] as string[];
      if (cipher.isCurrent(old!, CREDENTIAL_FORMAT)) continue;
      const plain = decryptUnlessTampered(old!, credentialRowFor(resourceId!, origin!));
      if (plain === null) continue;
      const token = cipher.encrypt(plain, CREDENTIAL_FORMAT, credentialRow(resourceId!, origin!), keyId);
      rewritten += (
        await query('reencrypt_credential', 'UPDATE tk_companion_credentials SET token = $3 WHERE resource_id = $1 AND origin = $2 AND token = $4', [resourceId, origin, token, old])
      ).rowCount ?? 0;
    }
    return rewritten;
  }

  function decryptUnlessTampered(text: string, rowFor: (format: string) => string | undefined): string | null {
    try {
      return cipher.decrypt(text, rowFor);
    } catch (error) {
      if (error instanceof TamperedRowError) return null;
      throw error;
    }
  }

  const timer = setInterval(() => {
    // A failed sweep (the database restarting) is retried on the next tick; expired rows are never read as live.
    sweep().catch(() => {});
  }, SWEEP_EVERY_MS);
  timer.unref();

  return {
    async get(userId) {
      const { rows } = await query('get_record', 'SELECT resource_id, email, token, accounts, pending FROM tk_companion_records WHERE user_id = $1', [userId]);
      const row = rows[0];
      if (row === undefined) return null;
      const record: TimekitRecord = {
        resourceId: row.resource_id as string,
        email: row.email as string,
        token: cipher.decrypt(row.token as string, recordRowFor(userId, row.resource_id as string, row.email as string)),
        accounts: row.accounts as TimekitAccount[],
      };
      const pending = row.pending as StoredPending | null;
      if (pending !== null) record.pending = { ...pending, token: cipher.decrypt(pending.token, pendingRowFor(userId, pending.resourceId, pending.email)) };
      return record;
    },
    async put(userId, record: TimekitRecord) {
      const keyId = await encryptionKeyId();
      let pending: StoredPending | null = null;
      if (record.pending) {
        const { resourceId, email, token, accounts, provider } = record.pending;
        pending = { resourceId, email, accounts, ...(provider ? { provider } : {}), token: cipher.encrypt(token, PENDING_FORMAT, pendingRow(userId, resourceId, email), keyId) };
      }
      await query(
        'put_record',
        `INSERT INTO tk_companion_records (user_id, resource_id, email, token, accounts, pending, updated_at) VALUES ($1, $2, $3, $4, $5, $6, now())
         ON CONFLICT (user_id) DO UPDATE SET resource_id = excluded.resource_id, email = excluded.email, token = excluded.token,
           accounts = excluded.accounts, pending = excluded.pending, updated_at = excluded.updated_at`,
        [
          userId,
          record.resourceId,
          record.email,
          cipher.encrypt(record.token, RECORD_FORMAT, recordRow(userId, record.resourceId, record.email), keyId),
          JSON.stringify(record.accounts),
          pending === null ? null : JSON.stringify(pending),
        ],
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
        token: cipher.decrypt(row.token as string, credentialRowFor(resourceId, origin)),
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
        [resourceId, origin, credential.id, cipher.encrypt(credential.token, CREDENTIAL_FORMAT, credentialRow(resourceId, origin), await encryptionKeyId()), credential.expiresAt, credential.renewAt],
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
      await query(
        'switch_encryption_key',
        'INSERT INTO tk_companion_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        [ENCRYPTION_KEY, cipher.currentKeyId],
      );
      // A write that read the old key just before the switch may land after a pass: passes
      // repeat until one finds nothing left.
      let total = 0;
      for (let rewritten = await reencryptPass(); rewritten > 0; rewritten = await reencryptPass()) total += rewritten;
      return total;
    },
    sweep,
    async close() {
      clearInterval(timer);
      if (owned) await (await pool).end?.();
    },
  };
}
