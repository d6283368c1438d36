/**
 * The memory store: for tests and single-process development. Its two helpers also serve the
 * companion itself, which burns nonces and counts limits in memory when its store cannot.
 */
import { setBounded } from '../bounded-map.js';
import type { CachedCredential, CompanionStore, TimekitRecord } from './contract.js';

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
