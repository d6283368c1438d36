/**
 * Trying again after a passing failure (network, timeout, 429, 5xx): the one retry policy the
 * session uses, for its credential request and for every Timekit call.
 */
import { abortable } from './abortable.js';
import type { TkError } from './errors.js';

/**
 * How soon to try again when a background refresh fails for a passing reason; also the longest
 * wait before retrying a Timekit call, whatever its Retry-After says.
 */
export const RETRY_MS = 10_000;

export interface RetryOptions {
  /** The first retry's delay when the server gives no `Retry-After`; the second waits twice as long. */
  firstDelayMs: number;
  /** Stops the wait between attempts. */
  signal?: AbortSignal;
  /** A retryable error that must not be tried again here (it has had its retries elsewhere). */
  isFinal?: (error: unknown) => boolean;
}

/**
 * Runs `run`, and again after a passing failure (a retryable TkError; an abort is none), at most
 * twice: after `Retry-After` or a doubling delay, capped at RETRY_MS.
 */
export async function retrying<T>(run: () => Promise<T>, { firstDelayMs, signal, isFinal }: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error as TkError).retryable || isFinal?.(error) || attempt > 1) throw error;
      // No, an unparsable (NaN) or a zero Retry-After all take the doubling delay.
      const wait = Math.min((error as TkError).retryAfterMs || firstDelayMs * 2 ** attempt, RETRY_MS);
      await abortable(new Promise((resolve) => setTimeout(resolve, wait)), signal);
    }
  }
}
