/**
 * The store contract: where the companion keeps each host user's Timekit record (the resource and
 * its full-access token), and, optionally, what several companion instances must share: burned
 * connect nonces, the widget-credential cache and the per-user rate limits. Hosts plug in their
 * own database; `memoryStore()` (memory.ts) is for tests and single-process development,
 * `sqliteStore()` (sqlite.ts) is the standalone server's default, `postgresStore()` (postgres.ts)
 * serves several instances. All three implement every optional capability, and the contract suite
 * (`tk-elements/companion/testing`, src/companion/testing.ts) runs against each.
 */
import type { TimekitAccount } from '../../shared/timekit.js';

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
