/**
 * Trying again after a passing failure (network, timeout, 429, 5xx): the one retry policy the
 * session uses, for its credential request and for every Timekit call.
 */
import { abortable } from './abortable.js';
import { TkError } from './errors.js';

/** How soon to try again when a background refresh fails for a passing reason. */
export const RETRY_MS = 10_000;
/** Retries after a passing failure, and the longest wait before one, whatever its Retry-After says. */
const MAX_RETRIES = 2;
const MAX_RETRY_WAIT_MS = 10_000;

export interface RetryOptions {
  /** The first retry's delay when the server gives no `Retry-After`; the second waits twice as long. */
  firstDelayMs: number;
  /** Stops the wait between attempts. */
  signal?: AbortSignal;
  /** A retryable error that must not be tried again here (it has had its retries elsewhere). */
  isFinal?: (error: unknown) => boolean;
  /** Called before each retry (the wait included). */
  onRetry?: () => void;
}

/**
 * Runs `run`, and again after a passing failure (a retryable TkError; an abort is none), at most
 * MAX_RETRIES times: after `Retry-After` or a doubling delay, capped at MAX_RETRY_WAIT_MS.
 */
export async function retrying<T>(run: () => Promise<T>, { firstDelayMs, signal, isFinal, onRetry }: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof TkError && error.retryable) || isFinal?.(error) || attempt === MAX_RETRIES) throw error;
      // `||`: no, an unparsable (NaN) or a zero Retry-After all take the doubling delay.
      const wait = Math.min(error.retryAfterMs || firstDelayMs * 2 ** attempt, MAX_RETRY_WAIT_MS);
      onRetry?.();
      await abortable(new Promise((resolve) => setTimeout(resolve, wait)), signal);
    }
  }
}
