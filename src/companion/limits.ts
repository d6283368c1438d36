/**
 * Per-user rate limits, one limiter for everything that costs: credential mints (each one calls
 * Timekit), connect starts (each one can leave a burned nonce in the store for its lifetime), and
 * the relay's writes and syncs (each one makes Timekit work, a sync with Google too).
 * Counted in fixed windows aligned on the clock, so every instance agrees on the boundaries; in
 * the store when it can count (`countHit`), so the limits hold across instances, else in this
 * process's memory.
 */
import { CompanionError } from './errors.js';
import type { CompanionStore } from './stores/contract.js';
import { WindowCounters } from './stores/memory.js';

const MINUTE_MS = 60_000;
/** The lifetime of a connect nonce (connect.ts): a user's starts in one such window bound their live nonces. */
const NONCE_LIFETIME_MS = 10 * MINUTE_MS;
/**
 * Connect starts one user may make per nonce lifetime, in minutes of `connectsPerMinute`: a user
 * starting at the full rate is stopped after three minutes' worth, so at most that many nonces
 * are live per user (twice that across an aligned window's boundary). A person connecting needs a
 * handful.
 */
const LIVE_CONNECT_MINUTES = 3;

export class RateLimits {
  private readonly memory = new WindowCounters();

  constructor(
    private readonly store: CompanionStore,
    private readonly options: {
      mintsPerMinute: number;
      connectsPerMinute: number;
      relayWritesPerMinute: number;
      relaySyncsPerMinute: number;
      now: () => number;
    },
  ) {}

  /** Counts one credential mint for the user; throws `rate-limited` (429, Retry-After) past the limit. */
  async mint(userId: string): Promise<void> {
    const retryAfter = await this.take(`mint:${userId}`, this.options.mintsPerMinute, MINUTE_MS);
    if (retryAfter !== null) throw rateLimited('Too many credentials requested for this user; try again shortly', retryAfter);
  }

  /** Counts one relay write (`PUT /calendars/:id`) for the user; throws `rate-limited` past the limit. */
  async relayWrite(userId: string): Promise<void> {
    const retryAfter = await this.take(`relay-write:${userId}`, this.options.relayWritesPerMinute, MINUTE_MS);
    if (retryAfter !== null) throw rateLimited('Too many calendar changes for this user; try again shortly', retryAfter);
  }

  /** Counts one relay `POST /accounts/sync` for the user; throws `rate-limited` past the limit. */
  async relaySync(userId: string): Promise<void> {
    const retryAfter = await this.take(`relay-sync:${userId}`, this.options.relaySyncsPerMinute, MINUTE_MS);
    if (retryAfter !== null) throw rateLimited('Too many syncs for this user; try again shortly', retryAfter);
  }

  /** Counts one connect start (`/<provider>/start`) for the user: null when allowed, else the `rate-limited` error to report. */
  async connectStart(userId: string): Promise<CompanionError | null> {
    const perMinute = await this.take(`connect:${userId}`, this.options.connectsPerMinute, MINUTE_MS);
    const live = perMinute ?? (await this.take(`connect-live:${userId}`, LIVE_CONNECT_MINUTES * this.options.connectsPerMinute, NONCE_LIFETIME_MS));
    return live === null ? null : rateLimited('Too many connects started for this user; try again shortly', live);
  }

  /** Counts one hit; null while within `limit`, else the seconds until the window ends. */
  private async take(key: string, limit: number, windowMs: number): Promise<number | null> {
    const now = this.options.now();
    const start = now - (now % windowMs);
    const end = start + windowMs;
    const count = this.store.countHit ? await this.store.countHit(key, start, end) : this.memory.count(key, start, end);
    return count <= limit ? null : Math.max(1, Math.ceil((end - now) / 1000));
  }
}

function rateLimited(message: string, retryAfterSeconds: number): CompanionError {
  return new CompanionError('rate-limited', message, { 'retry-after': String(retryAfterSeconds) });
}
