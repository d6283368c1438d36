/**
 * Widget credentials: minted with `POST /credentials` as the resource (`client-token`, scope
 * `widget`, `referrer` = the page's origin, short `expires`), one per (resource, origin), reused
 * until three quarters of its life are spent. A cache hit is synchronous and calls nobody.
 *
 * On a miss (the only time Timekit is called) the companion lists the resource's client tokens:
 * it reuses a fresh one of its own (minted by another instance, or before a restart), else mints
 * one, and deletes its expired ones (every origin's: Timekit may ignore `expires`). Credentials it
 * has replaced stay valid for the browsers that hold them and are deleted by the resource's first
 * miss after they expire, or at once by `revoke` (the host's sign-out). So the in-memory cache is
 * only an optimisation: a thousand page views leave one live credential, not a thousand.
 *
 * With a store that shares the cache (`readCredential` and friends, see stores/contract.ts), a miss
 * first reads the shared entry, and only the instance that wins the entry's claim calls Timekit;
 * the others wait for what it writes. So several instances mint one credential between them.
 */
import type { TimekitCredential } from '../shared/timekit.js';
import { setBounded } from './bounded-map.js';
import { CompanionError } from './errors.js';
import type { RateLimits } from './limits.js';
import { hasCredentialCache, type CachedCredential, type CompanionStore, type CredentialCacheStore, type TimekitRecord } from './stores/contract.js';
import type { TimekitClient } from './timekit.js';

export interface WidgetCredential {
  id: string;
  token: string;
  /** Epoch ms. */
  expiresAt: number;
  /** The same, as RFC 3339 for the session response (formatted once, not per request). */
  expires: string;
  /** When the cache stops handing it out (epoch ms). */
  renewAt: number;
}

/** Marks the credentials this companion minted, so it never deletes anyone else's. */
const CREDENTIAL_DESCRIPTION = 'tk-companion widget credential';
/** The share of a credential's life after which it is handed out no more (relay tokens follow it too). */
export const RENEW_FRACTION = 0.75;
const MAX_ENTRIES = 10_000;
/** How long a claim on a shared entry lasts: longer than a mint takes, short enough that a dead instance's claim lapses soon. */
const CLAIM_MS = 10_000;
/** How often an instance waiting on another's claim reads the entry again. */
const CLAIM_POLL_MS = 20;

/** RFC 3339 the way Timekit writes it: `2026-05-26T15:30:00+00:00`. */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

function parseTime(value: string): number {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * A credential as the cache plans with it: it ends at Timekit's `expires`, or after the lifetime
 * the companion asks for (`ttlMs` after it was made), whichever comes first, since Timekit may
 * ignore the `expires` it was sent (docs/timekit-api.md).
 */
function fromTimekit(credential: TimekitCredential, ttlMs: number): WidgetCredential {
  const generatedAt = parseTime(credential.token_generated_at) || parseTime(credential.expires);
  const expiresAt = Math.min(parseTime(credential.expires), generatedAt + ttlMs);
  return fromCached({ id: credential.id, token: credential.token, expiresAt, renewAt: generatedAt + (expiresAt - generatedAt) * RENEW_FRACTION });
}

function fromCached({ id, token, expiresAt, renewAt }: CachedCredential): WidgetCredential {
  return { id, token, expiresAt, expires: formatTimestamp(expiresAt), renewAt };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class CredentialCache {
  private readonly entries = new Map<string, WidgetCredential>();
  private readonly inflight = new Map<string, Promise<WidgetCredential>>();
  private readonly shared: CredentialCacheStore | null;

  constructor(
    private readonly timekit: TimekitClient,
    store: CompanionStore,
    private readonly limits: RateLimits,
    private readonly options: {
      ttlMs: number;
      now: () => number;
      log: ((line: string) => void) | null;
    },
  ) {
    this.shared = hasCredentialCache(store) ? store : null;
  }

  /**
   * The widget credential for this user's resource on `origin`: synchronous on a cache hit;
   * concurrent misses for one key share one refresh.
   */
  get(userId: string, record: TimekitRecord, origin: string): WidgetCredential | Promise<WidgetCredential> {
    const key = `${record.resourceId} ${origin}`;
    const hit = this.entries.get(key);
    if (hit !== undefined && this.options.now() < hit.renewAt) return hit;
    let pending = this.inflight.get(key);
    if (pending === undefined) {
      pending = (this.shared ? this.fromShared(this.shared, userId, record, origin) : this.mint(userId, record, origin))
        .then((credential) => this.remember(key, credential))
        .finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private remember(key: string, credential: WidgetCredential): WidgetCredential {
    setBounded(this.entries, key, credential, MAX_ENTRIES);
    return credential;
  }

  /** The shared entry when fresh; else this instance claims it and mints, or waits for the instance that did. */
  private async fromShared(shared: CredentialCacheStore, userId: string, record: TimekitRecord, origin: string): Promise<WidgetCredential> {
    const deadline = this.options.now() + 2 * CLAIM_MS;
    for (;;) {
      const now = this.options.now();
      const cached = await shared.readCredential(record.resourceId, origin);
      if (cached && now < cached.renewAt) return fromCached(cached);
      if (await shared.claimCredential(record.resourceId, origin, now + CLAIM_MS, now)) {
        let credential: WidgetCredential;
        try {
          credential = await this.mint(userId, record, origin);
        } catch (error) {
          await shared.releaseCredential(record.resourceId, origin);
          throw error;
        }
        const { id, token, expiresAt, renewAt } = credential;
        await shared.writeCredential(record.resourceId, origin, { id, token, expiresAt, renewAt });
        return credential;
      }
      if (now >= deadline) {
        throw new CompanionError('timekit-unavailable', 'The credential is still being minted; try again shortly', { 'retry-after': '1' });
      }
      await sleep(CLAIM_POLL_MS);
    }
  }

  /**
   * Deletes at Timekit every widget credential of ours for the record's resource (every origin),
   * and forgets them in this instance's cache and the shared one, so the next session mints
   * afresh. Answers how many were deleted; rejects when Timekit could not list or delete them
   * (calling again finds the ones left). Other instances' own caches may hand theirs out until
   * they renew it; elements that get it then meet a 401 and ask again.
   */
  async revoke(record: TimekitRecord, origins: Iterable<string>): Promise<number> {
    const auth = { email: record.email, token: record.token };
    await this.forget(record.resourceId, origins);
    const ours = (await this.timekit.listClientTokens(auth)).filter((c) => c.description === CREDENTIAL_DESCRIPTION);
    await Promise.all(ours.map((c) => this.timekit.deleteCredential(auth, c.id)));
    return ours.length;
  }

  /** Stops handing out the cached credentials of `resourceId` (every origin in `origins`), here and in the shared cache. */
  async forget(resourceId: string, origins: Iterable<string>): Promise<void> {
    const now = this.options.now();
    for (const origin of origins) {
      this.entries.delete(`${resourceId} ${origin}`);
      const cached = await this.shared?.readCredential(resourceId, origin);
      // Kept, but due for renewal: the row still names the credential until a mint replaces it.
      if (cached) await this.shared!.writeCredential(resourceId, origin, { ...cached, expiresAt: now, renewAt: now });
    }
  }

  /** Calls Timekit: reuses a fresh credential of ours, else mints one, and deletes our expired ones. */
  private async mint(userId: string, record: TimekitRecord, origin: string): Promise<WidgetCredential> {
    await this.limits.mint(userId);
    const auth = { email: record.email, token: record.token };
    const now = this.options.now();
    const ours = (await this.timekit.listClientTokens(auth)).filter((c) => c.description === CREDENTIAL_DESCRIPTION);
    const { ttlMs } = this.options;
    const expired = ours.filter((c) => fromTimekit(c, ttlMs).expiresAt <= now);
    const reusable = ours
      .filter((c) => c.referrer.length === 1 && c.referrer[0] === origin && c.scopes.length === 1 && c.scopes[0] === 'widget')
      .map((c) => fromTimekit(c, ttlMs))
      .filter((c) => now < c.renewAt)
      .sort((a, b) => b.expiresAt - a.expiresAt)[0];
    const credential =
      reusable ??
      fromTimekit(
        await this.timekit.createWidgetCredential(auth, {
          origin,
          expires: formatTimestamp(now + this.options.ttlMs),
          description: CREDENTIAL_DESCRIPTION,
        }),
        ttlMs,
      );
    await Promise.all(
      expired.map((c) =>
        this.timekit.deleteCredential(auth, c.id).catch((error: unknown) => {
          // Cleanup is best effort: the next miss tries again.
          this.options.log?.(`could not delete an expired widget credential: ${(error as Error).message}`);
        }),
      ),
    );
    return credential;
  }
}
