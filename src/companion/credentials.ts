/**
 * Widget credentials: minted with `POST /credentials` as the resource (`client-token`, scope
 * `widget`, `referrer` = the page's origin, short `expires`), one per (resource, origin), reused
 * until three quarters of its life are spent. A cache hit is synchronous and calls nobody.
 *
 * On a miss (the only time Timekit is called) the companion lists the resource's client tokens:
 * it reuses a fresh one of its own (minted by another instance, or before a restart), else mints
 * one, and deletes its expired ones. Credentials it has replaced stay valid for the browsers that
 * hold them and are deleted by the first miss after they expire. So the in-memory cache is only an
 * optimisation: a thousand page views leave one live credential, not a thousand.
 */
import type { TimekitCredential } from '../shared/timekit.js';
import { CompanionError } from './http.js';
import type { TimekitRecord } from './store.js';
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
export const CREDENTIAL_DESCRIPTION = 'tk-companion widget credential';
const RENEW_FRACTION = 0.75;
const MAX_ENTRIES = 10_000;

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
  return {
    id: credential.id,
    token: credential.token,
    expiresAt,
    expires: formatTimestamp(expiresAt),
    renewAt: generatedAt + (expiresAt - generatedAt) * RENEW_FRACTION,
  };
}

export class CredentialCache {
  private readonly entries = new Map<string, WidgetCredential>();
  private readonly inflight = new Map<string, Promise<WidgetCredential>>();
  private readonly mintWindows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly timekit: TimekitClient,
    private readonly options: {
      ttlMs: number;
      mintsPerMinute: number;
      now: () => number;
      log: ((line: string) => void) | null;
    },
  ) {}

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
      pending = this.refresh(key, userId, record, origin).finally(() => this.inflight.delete(key));
      this.inflight.set(key, pending);
    }
    return pending;
  }

  private async refresh(key: string, userId: string, record: TimekitRecord, origin: string): Promise<WidgetCredential> {
    this.countMint(userId);
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
    this.entries.delete(key);
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, credential);
    return credential;
  }

  /** Per-user rate limit on misses (each costs Timekit calls), in fixed one-minute windows. */
  private countMint(userId: string) {
    const now = this.options.now();
    let window = this.mintWindows.get(userId);
    if (window === undefined || now - window.start >= 60_000) {
      if (this.mintWindows.size >= MAX_ENTRIES) this.mintWindows.clear();
      window = { start: now, count: 0 };
      this.mintWindows.set(userId, window);
    }
    if (window.count >= this.options.mintsPerMinute) {
      const retryAfter = Math.max(1, Math.ceil((window.start + 60_000 - now) / 1000));
      throw new CompanionError(429, 'rate-limited', 'Too many credentials requested for this user; try again shortly', {
        'retry-after': String(retryAfter),
      });
    }
    window.count++;
  }
}
