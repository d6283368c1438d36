/**
 * The store adapter: where the companion keeps each host user's Timekit record (the resource and
 * its full-access token), and, optionally, what several companion instances must share: burned
 * connect nonces, the widget-credential cache and the per-user rate limits. Hosts plug in their
 * own database; `memoryStore()` is for tests and single-process development, `sqliteStore()`
 * (sqlite-store.ts) is the standalone server's default, `postgresStore()` (postgres-store.ts)
 * serves several instances. All three implement every optional capability, and the shared
 * contract suite (test/node/companion/store-contract.ts) runs against each.
 */
import type { TimekitAccount } from '../../shared/timekit.js';
import { setBounded } from '../bounded-map.js';

/** What the companion remembers per host user. `token` is a secret: keep it server-side only. */
export interface TimekitRecord {
  resourceId: string;
  /** The resource's email: the user name of its Basic credentials. */
  email: string;
  /** The resource's full-access Timekit token. */
  token: string;
  /** Connected calendar accounts, as of the last connect. */
  accounts: TimekitAccount[];
  /**
   * Another resource a later connect (or `provisionResource`) yielded, waiting for the provider to
   * confirm it (`POST <endpoint>/accounts/pending`): replacing the record at once would silently
   * drop the first account's calendars. Its `token` is as secret as the record's.
   */
  pending?: PendingResource;
}

/** A resource waiting to replace the record's (see `TimekitRecord.pending`). */
export interface PendingResource {
  resourceId: string;
  email: string;
  token: string;
  accounts: TimekitAccount[];
  /** The account's provider; absent for a plain resource (`provisionResource`). */
  provider?: TimekitAccount['provider'];
}

/** A widget credential as the shared cache keeps it. `token` is a secret (a bearer for the widget scope). */
export interface CachedCredential {
  /** Timekit's id of the credential (so an expired one can be deleted). */
  id: string;
  token: string;
  /** Epoch ms: Timekit stops accepting it. */
  expiresAt: number;
  /** Epoch ms: instances stop handing it out and one of them mints the next. */
  renewAt: number;
}

export type MaybePromise<T> = T | Promise<T>;

export interface CompanionStore {
  /** The user's record, or null when the user has no Timekit resource yet. */
  get(userId: string): MaybePromise<TimekitRecord | null | undefined>;
  /** Creates or replaces the user's record. */
  put(userId: string, record: TimekitRecord): MaybePromise<void>;
  /**
   * Burns a one-time value: true the first time `id` is seen, false after. The store may forget
   * it after `expiresAt` (epoch ms). Implement it on the shared database (a unique-key insert)
   * when several companion instances serve one app; without it, each instance burns nonces in
   * its own memory, which still stops replays against that instance.
   */
  consumeNonce?(id: string, expiresAt: number): MaybePromise<boolean>;

  /**
   * The shared widget-credential cache: one entry per (resource, origin). Implement all four
   * methods or none. Without them each instance caches (and mints) on its own.
   *
   * `readCredential` answers the cached credential, or null.
   */
  readCredential?(resourceId: string, origin: string): MaybePromise<CachedCredential | null>;
  /**
   * Claims the right to mint the next credential for (resource, origin) until `until` (epoch ms):
   * true for exactly one caller at a time, however many instances ask at the same moment; false
   * while another claim is live or the cached credential is still fresh at `now` (`now <
   * renewAt`). A claim that is never written or released lapses at `until` (its instance died).
   * On a database: an `INSERT … ON CONFLICT DO UPDATE … WHERE` on the entry's row.
   */
  claimCredential?(resourceId: string, origin: string, until: number, now: number): MaybePromise<boolean>;
  /** Stores the credential the claimer minted (or reused) and ends its claim. */
  writeCredential?(resourceId: string, origin: string, credential: CachedCredential): MaybePromise<void>;
  /** Ends a claim without a credential (the mint failed), so another caller may claim at once. */
  releaseCredential?(resourceId: string, origin: string): MaybePromise<void>;

  /**
   * Counts one hit against `key` in the fixed window `[windowStart, windowEnd)` (epoch ms; every
   * instance computes the same boundaries) and answers the window's count including this hit. A
   * hit in a new window starts it again at 1. The store may forget a key after its window ends.
   * With it, per-user limits (mints, connect starts) hold across instances; without it each
   * instance counts on its own.
   */
  countHit?(key: string, windowStart: number, windowEnd: number): MaybePromise<number>;
}

/**
 * Thrown by a store's `get` for a row that fails its integrity check: edited in the database by
 * someone without the secret. The companion then treats the user as not connected (a new connect
 * replaces the row) and logs it, rather than failing every request of that user.
 */
export class TamperedRowError extends Error {
  constructor(message: string) {
    super(`tk-companion: ${message}`);
    this.name = 'TamperedRowError';
  }
}

/**
 * Thrown by a store whose database cannot be reached right now (restarting, failing over, out of
 * connections): the companion answers `store-unavailable` (503, `Retry-After`) instead of an
 * internal error, and the store is expected to reconnect by itself.
 */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(`tk-companion: ${message}`, options);
    this.name = 'StoreUnavailableError';
  }
}

/** The names of the shared credential cache's methods: a store implements all of them or none. */
export const CREDENTIAL_CACHE_METHODS = ['readCredential', 'claimCredential', 'writeCredential', 'releaseCredential'] as const;

/** A store with the shared credential cache (see `CompanionStore.readCredential`). */
export type CredentialCacheStore = CompanionStore & Required<Pick<CompanionStore, (typeof CREDENTIAL_CACHE_METHODS)[number]>>;

export function hasCredentialCache(store: CompanionStore): store is CredentialCacheStore {
  return CREDENTIAL_CACHE_METHODS.every((name) => typeof store[name] === 'function');
}

/** Entries of the memory store's credential cache, at most. */
const CREDENTIAL_MEMORY_CAP = 10_000;
/** Live burned nonces one process keeps at most (about 100 bytes each). */
const NONCE_MEMORY_CAP = 100_000;

/**
 * Burns nonces in process memory. Every nonce has the same lifetime and is burned after it was
 * issued, so each entry expires within one lifetime of being burned: pruning from the front of
 * the Map's insertion order, while the front has expired, keeps only the nonces burned in the last
 * lifetime, with no sweep over the live ones. Past the hard cap the oldest entry goes first: it
 * is among the nearest to expiring, and its callback is still bound to the user who started it.
 */
export class NonceMemory {
  private readonly live = new Map<string, number>();

  constructor(private readonly cap = NONCE_MEMORY_CAP) {}

  get size(): number {
    return this.live.size;
  }

  consume(id: string, expiresAt: number, now: number): boolean {
    if (this.live.has(id)) return false;
    for (const [key, until] of this.live) {
      if (until > now && this.live.size < this.cap) break;
      this.live.delete(key);
    }
    this.live.set(id, expiresAt);
    return true;
  }
}

/** Fixed-window counters in process memory, bounded: when full, the oldest window goes, not everyone's. */
export class WindowCounters {
  private readonly windows = new Map<string, { start: number; end: number; count: number }>();

  constructor(private readonly cap = 10_000) {}

  get size(): number {
    return this.windows.size;
  }

  count(key: string, windowStart: number, windowEnd: number): number {
    let window = this.windows.get(key);
    if (window === undefined || window.start !== windowStart) {
      // Re-inserted at each new window, so the Map's order is window order: ended windows and,
      // past the cap, the oldest ones are at the front. A window that ended before this one
      // started is over whatever the caller's clock says (the caller's now is past windowStart).
      this.windows.delete(key);
      for (const [oldKey, old] of this.windows) {
        if (old.end > windowStart && this.windows.size < this.cap) break;
        this.windows.delete(oldKey);
      }
      window = { start: windowStart, end: windowEnd, count: 0 };
      this.windows.set(key, window);
    }
    return ++window.count;
  }
}

/**
 * A store in process memory: for tests and single-process development (lost on restart). It has
 * every optional capability, so companions sharing one in a process share their cache and limits.
 */
export function memoryStore(): CompanionStore & { records: Map<string, TimekitRecord> } {
  const records = new Map<string, TimekitRecord>();
  const nonces = new NonceMemory();
  const hits = new WindowCounters();
  const credentials = new Map<string, { credential: CachedCredential | null; claimUntil: number }>();
  const entryKey = (resourceId: string, origin: string) => `${resourceId} ${origin}`;
  return {
    records,
    get: (userId) => records.get(userId) ?? null,
    put: (userId, record) => void records.set(userId, structuredClone(record)),
    consumeNonce: (id, expiresAt) => nonces.consume(id, expiresAt, Date.now()),
    readCredential: (resourceId, origin) => credentials.get(entryKey(resourceId, origin))?.credential ?? null,
    claimCredential(resourceId, origin, until, now) {
      const key = entryKey(resourceId, origin);
      const entry = credentials.get(key);
      if (entry !== undefined && (entry.claimUntil > now || (entry.credential !== null && now < entry.credential.renewAt))) return false;
      credentials.set(key, { credential: entry?.credential ?? null, claimUntil: until });
      return true;
    },
    writeCredential(resourceId, origin, credential) {
      // Bounded like the companion's own copy.
      setBounded(credentials, entryKey(resourceId, origin), { credential: { ...credential }, claimUntil: 0 }, CREDENTIAL_MEMORY_CAP);
    },
    releaseCredential(resourceId, origin) {
      const entry = credentials.get(entryKey(resourceId, origin));
      if (entry !== undefined) entry.claimUntil = 0;
    },
    countHit: (key, windowStart, windowEnd) => hits.count(key, windowStart, windowEnd),
  };
}
