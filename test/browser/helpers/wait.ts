/**
 * `waitUntil` as every browser test uses it: open-wc's, with a 5 s default budget instead of 1 s.
 * During `npm test` three engines share two cores, and a page can go a second without running a
 * timer; a condition that holds is still seen at the next poll, a wrong one fails a little later.
 */
import { waitUntil as pollUntil } from '@open-wc/testing';

const DEFAULT_WAIT_MS = 5_000;

export function waitUntil(
  predicate: () => unknown | Promise<unknown>,
  message?: string,
  options: { interval?: number; timeout?: number } = {},
): Promise<void> {
  return pollUntil(predicate, message, { ...options, timeout: options.timeout ?? DEFAULT_WAIT_MS });
}
