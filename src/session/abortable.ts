/**
 * Waiting on a promise that others share (the credential request, the calendar list) without
 * cancelling it for them: only this caller's wait ends when its signal aborts.
 */

/** Waits for `promise`, but stops waiting (with the signal's reason) when `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  return signal
    ? Promise.race([
        promise,
        new Promise<never>((_, reject) => {
          signal.throwIfAborted();
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      ])
    : promise;
}
