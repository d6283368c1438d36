/**
 * The store adapter: where the companion keeps each host user's Timekit record (the resource and
 * its full-access token) and burns one-time connect nonces. Hosts plug in their own database;
 * `memoryStore()` is for tests and single-process development, `sqliteStore()` (sqlite-store.ts)
 * is the durable one the standalone server uses.
 */
import type { TimekitAccount } from '../shared/timekit.js';

/** What the companion remembers per host user. `token` is a secret: keep it server-side only. */
export interface TimekitRecord {
  resourceId: string;
  /** The resource's email: the user name of its Basic credentials. */
  email: string;
  /** The resource's full-access Timekit token. */
  token: string;
  /** Connected calendar accounts, as of the last connect. */
  accounts: TimekitAccount[];
}

type MaybePromise<T> = T | Promise<T>;

export interface CompanionStore {
  /** The user's record, or null when the user has no Timekit resource yet. */
  get(userId: string): MaybePromise<TimekitRecord | null | undefined>;
  /** Creates or replaces the user's record. */
  put(userId: string, record: TimekitRecord): MaybePromise<void>;
  /**
   * Burns a one-time value: true the first time `id` is seen, false after. The companion may
   * forget it after `expiresAt` (epoch ms). Implement it on the shared database (a unique-key
   * insert) when several companion instances serve one app; without it, each instance burns
   * nonces in its own memory, which still stops replays against that instance.
   */
  consumeNonce?(id: string, expiresAt: number): MaybePromise<boolean>;
}

/** Burns nonces in process memory, forgetting them once expired. */
export class NonceMemory {
  private readonly seen = new Map<string, number>();

  consume(id: string, expiresAt: number, now: number): boolean {
    if (this.seen.size > 1000) {
      for (const [key, until] of this.seen) if (until <= now) this.seen.delete(key);
    }
    if (this.seen.has(id)) return false;
    this.seen.set(id, expiresAt);
    return true;
  }
}

/** A store in process memory: for tests and single-process development (lost on restart). */
export function memoryStore(): CompanionStore & { records: Map<string, TimekitRecord> } {
  const records = new Map<string, TimekitRecord>();
  const nonces = new NonceMemory();
  return {
    records,
    get: (userId) => records.get(userId) ?? null,
    put: (userId, record) => void records.set(userId, structuredClone(record)),
    consumeNonce: (id, expiresAt) => nonces.consume(id, expiresAt, Date.now()),
  };
}
