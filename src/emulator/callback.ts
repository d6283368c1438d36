/**
 * The signup's way back to the app: which callback URLs the emulator accepts (so a consent link
 * cannot send a resource token off this machine) and how consent appends its answer to one.
 */
import { invalidField } from './errors.js';
import { isLoopbackHost } from './secrets.js';

/**
 * A callback must be an absolute http(s) URL on this machine (a loopback host) or on one of the
 * `allowedOrigins`: the browser is sent there with a resource token, so a consent link must not
 * be able to send it anywhere else.
 */
export function checkCallback(callback: string | null, allowedOrigins: readonly string[]): string {
  if (!callback) throw invalidField('callback', 'The callback field is required: this app has no registered callback URL');
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    throw invalidField('callback', 'The callback must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidField('callback', 'The callback must be an http or https URL');
  }
  if (!isLoopbackHost(url.hostname) && !allowedOrigins.includes(url.origin)) {
    throw invalidField('callback', `The callback origin ${url.origin} is not allowed; start the emulator with --callback-origin ${url.origin}`);
  }
  return url.toString();
}

/**
 * Where consent sends the browser back: the callback with `params`. Optimistic side: set with the
 * URL API, which keeps the callback's own query and encodes every value. `asText` (the
 * `callbackAsText` switch, doubt #5 in docs/emulator.md): the parameters are appended to the
 * callback string after a `?`, values as they are, as the one documented callback (a hash route)
 * needs.
 */
export function callbackWith(callback: string, params: Record<string, string>, asText = false): string {
  if (Object.keys(params).length === 0) return callback;
  if (asText) return `${callback}?${Object.entries(params).map(([key, value]) => `${key}=${value}`).join('&')}`;
  const url = new URL(callback);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
