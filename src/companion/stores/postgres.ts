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
 * access (token-cipher.ts). The schema is created on first use (or by `await store.migrate()`), and
 * versioned in `tk_companion_meta` so a later release can migrate it (migrations.ts).
 *
 * `pg` is an optional peer dependency, imported only when a connection string is given: hosts
 * that pass their own pool, or use another store, never load it.
 */
import type { TimekitAccount } from '../../shared/timekit.js';
import { StoreUnavailableError, type CompanionStore, type PendingResource, type TimekitRecord } from './contract.js';
import { migratePostgres, POSTGRES_MIGRATIONS } from './migrations.js';
import { credentialFromRow, sharedStatements, storedPending, type CredentialRow } from './sql.js';
import { credentialBinding, pendingBinding, recordBinding, TokenCipher, type TokenBinding } from './token-cipher.js';

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

/** The `tk_companion_meta` key naming the key every instance encrypts with (switched by `reencrypt()`). */
const ENCRYPTION_KEY = 'encryption_key';

/** Every statement the store runs, with `@name` placeholders: the shared ones and the records', which only PostgreSQL keeps in columns. */
const STATEMENTS = {
  ...sharedStatements('tk_companion_'),
  getRecord: 'SELECT resource_id, email, token, accounts, pending FROM tk_companion_records WHERE user_id = @userId',
  putRecord: `
    INSERT INTO tk_companion_records (user_id, resource_id, email, token, accounts, pending, updated_at)
    VALUES (@userId, @resourceId, @email, @token, @accounts, @pending, now())
    ON CONFLICT (user_id) DO UPDATE SET resource_id = excluded.resource_id, email = excluded.email, token = excluded.token,
      accounts = excluded.accounts, pending = excluded.pending, updated_at = excluded.updated_at`,
  readEncryptionKey: `SELECT value FROM tk_companion_meta WHERE key = '${ENCRYPTION_KEY}'`,
  switchEncryptionKey: `INSERT INTO tk_companion_meta (key, value) VALUES ('${ENCRYPTION_KEY}', @keyId) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  readAllRecords: 'SELECT user_id, resource_id, email, token, pending FROM tk_companion_records',
  // reencrypt()'s swaps: the guard on the old value leaves a row another instance rewrote meanwhile to it.
  replaceRecordToken: 'UPDATE tk_companion_records SET token = @sealed WHERE user_id = @userId AND token = @old',
  replacePending: 'UPDATE tk_companion_records SET pending = @sealed WHERE user_id = @userId AND pending = @old',
  readAllCredentials: 'SELECT resource_id, origin, token FROM tk_companion_credentials WHERE token IS NOT NULL',
  replaceCredentialToken: 'UPDATE tk_companion_credentials SET token = @sealed WHERE resource_id = @resourceId AND origin = @origin AND token = @old',
};
type StatementName = keyof typeof STATEMENTS;

/**
 * Each statement as pg runs it: named, so each connection prepares it once rather than at every
 * call (the session's read is the hot path), with `@name` turned into `$n`.
 */
const PREPARED = Object.fromEntries(
  Object.entries(STATEMENTS).map(([name, text]) => {
    const names: string[] = [];
    const positional = text.replace(/@(\w+)/g, (_, param: string) => {
      if (!names.includes(param)) names.push(param);
      return `$${names.indexOf(param) + 1}`;
    });
    return [name, { name: `tk_companion_${name}`, text: positional, names }];
  }),
) as Record<StatementName, { name: string; text: string; names: string[] }>;

/** A token the store keeps encrypted, where it is, and how to swap it for its re-encryption. */
interface SealedToken {
  sealed: string;
  binding: TokenBinding;
  replace(sealed: string): Promise<number>;
}

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
      const version = await migratePostgres(client);
      // The first instance names the key in use; only reencrypt() changes it.
      await client.query('INSERT INTO tk_companion_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [ENCRYPTION_KEY, cipher.currentKeyId]);
      await client.query('COMMIT');
      return version;
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

  /** A lost connection rejects as StoreUnavailableError; pg.Pool drops the dead client, and the next query opens a new one. */
  async function query<Row = Record<string, unknown>>(statement: StatementName, params: Record<string, unknown> = {}): Promise<{ rows: Row[]; rowCount: number | null }> {
    const { name, text, names } = PREPARED[statement];
    try {
      return (await (await db()).query({ name, text, values: names.map((param) => params[param]) })) as { rows: Row[]; rowCount: number | null };
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
    const named = (await query('readEncryptionKey')).rows[0]?.value as string | undefined;
    return named !== undefined && cipher.hasKey(named) ? named : cipher.currentKeyId;
  }

  async function sweep(now = Date.now()) {
    for (const statement of ['sweepNonces', 'sweepHits', 'sweepCredentials'] as const) await query(statement, { now });
  }

  /** Every token the database holds: each record's, each pending resource's, each cached credential's. */
  async function sealedTokens(): Promise<SealedToken[]> {
    const rowCount = async (statement: StatementName, params: Record<string, unknown>) => (await query(statement, params)).rowCount ?? 0;
    const tokens: SealedToken[] = [];
    for (const row of (await query('readAllRecords')).rows) {
      const { user_id: userId, resource_id: resourceId, email, token } = row as Record<string, string>;
      tokens.push({ sealed: token!, binding: recordBinding(userId!, resourceId!, email!), replace: (sealed) => rowCount('replaceRecordToken', { userId, sealed, old: token }) });
      const pending = row.pending as PendingResource | null;
      if (pending === null) continue;
      tokens.push({
        sealed: pending.token,
        binding: pendingBinding(userId!, pending.resourceId, pending.email),
        replace: (sealed) => rowCount('replacePending', { userId, sealed: JSON.stringify({ ...pending, token: sealed }), old: JSON.stringify(pending) }),
      });
    }
    for (const row of (await query('readAllCredentials')).rows) {
      const { resource_id: resourceId, origin, token } = row as Record<string, string>;
      tokens.push({ sealed: token!, binding: credentialBinding(resourceId!, origin!), replace: (sealed) => rowCount('replaceCredentialToken', { resourceId, origin, sealed, old: token }) });
    }
    return tokens;
  }

  /** One pass of reencrypt(): the tokens rewritten. Those that fail their integrity check are left as they are. */
  async function reencryptPass(): Promise<number> {
    let rewritten = 0;
    for (const { sealed, binding, replace } of await sealedTokens()) {
      if (cipher.isCurrent(sealed, binding)) continue;
      const plain = cipher.decryptUnlessTampered(sealed, binding);
      if (plain !== null) rewritten += await replace(cipher.encrypt(plain, binding, cipher.currentKeyId));
    }
    return rewritten;
  }

  const timer = setInterval(() => {
    // A failed sweep (the database restarting) is retried on the next tick; expired rows are never read as live.
    sweep().catch(() => {});
  }, SWEEP_EVERY_MS);
  timer.unref();

  return {
    async get(userId) {
      const row = (await query('getRecord', { userId })).rows[0];
      if (row === undefined) return null;
      const { resource_id: resourceId, email, token } = row as Record<string, string>;
      const record: TimekitRecord = {
        resourceId: resourceId!,
        email: email!,
        token: cipher.decrypt(token!, recordBinding(userId, resourceId!, email!)),
        accounts: row.accounts as TimekitAccount[],
      };
      const pending = row.pending as PendingResource | null;
      if (pending !== null) record.pending = { ...pending, token: cipher.decrypt(pending.token, pendingBinding(userId, pending.resourceId, pending.email)) };
      return record;
    },
    async put(userId, record) {
      const keyId = await encryptionKeyId();
      const { resourceId, email, pending } = record;
      await query('putRecord', {
        userId,
        resourceId,
        email,
        token: cipher.encrypt(record.token, recordBinding(userId, resourceId, email), keyId),
        accounts: JSON.stringify(record.accounts),
        pending: pending ? JSON.stringify(storedPending(pending, cipher.encrypt(pending.token, pendingBinding(userId, pending.resourceId, pending.email), keyId))) : null,
      });
    },
    consumeNonce: async (id, expiresAt) => (await query('burnNonce', { id, expiresAt })).rowCount === 1,
    async readCredential(resourceId, origin) {
      const row = (await query<CredentialRow>('readCredential', { resourceId, origin })).rows[0];
      return credentialFromRow(row, (token) => cipher.decrypt(token, credentialBinding(resourceId, origin)));
    },
    claimCredential: async (resourceId, origin, until, now) => (await query('claimCredential', { resourceId, origin, until, now })).rowCount === 1,
    async writeCredential(resourceId, origin, credential) {
      const token = cipher.encrypt(credential.token, credentialBinding(resourceId, origin), await encryptionKeyId());
      await query('writeCredential', { resourceId, origin, ...credential, token });
    },
    releaseCredential: async (resourceId, origin) => void (await query('releaseCredential', { resourceId, origin })),
    countHit: async (key, windowStart, windowEnd) => Number((await query('countHit', { key, windowStart, windowEnd })).rows[0]!.count),
    migrate: () => db().then(() => POSTGRES_MIGRATIONS.length),
    async reencrypt() {
      await query('switchEncryptionKey', { keyId: cipher.currentKeyId });
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
