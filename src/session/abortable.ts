/**
 * Waiting on a promise that others share (the credential request, the calendar list) without
 * cancelling it for them: only this caller's wait ends when its signal aborts.
 */

/** Waits for `promise`, but stops waiting (with the signal's reason) when `signal` aborts. */
export function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    // the shared promise may outlive this caller's signal: stop listening once it settles
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
