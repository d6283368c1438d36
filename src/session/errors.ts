/**
 * The fixed error codes every element reports in `tk-error`, and the mapping from HTTP answers
 * (Timekit's and the companion's) onto them. Messages shown to users come from the string table
 * keyed by `code`, never from server text; a TkError's own `message` is for the developer.
 */
import type { TkCompanionErrorCode } from '../shared/companion-protocol.js';

export type TkErrorCode =
  | 'network'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'invalid'
  | 'rate-limited'
  | 'unavailable'
  | 'popup-blocked'
  | 'consent-denied'
  | 'origin-mismatch'
  | 'connect-elsewhere'
  | 'connect-timeout'
  | 'misconfigured';

const RETRYABLE: ReadonlySet<TkErrorCode> = new Set([
  'network',
  'rate-limited',
  'unavailable',
  'popup-blocked',
  'consent-denied',
  'connect-elsewhere',
  'connect-timeout',
]);

export class TkError extends Error {
  override readonly name = 'TkError';
  readonly code: TkErrorCode;
  readonly retryable: boolean;
  /** The HTTP status when the error came from an answer; 0 for network failures and local checks. */
  readonly status: number;
  /** How long the server asked to wait before trying again (`Retry-After` in ms): 0 when it did not say, NaN when not in seconds. */
  readonly retryAfterMs: number;
  /** The companion's own code when the companion refused (`origin-not-allowed`, `unauthenticated`…); its message is `message`. */
  readonly companionCode: TkCompanionErrorCode | undefined;

  constructor(code: TkErrorCode, message: string = code, status = 0, retryAfterMs = 0, companionCode?: TkCompanionErrorCode) {
    super(message);
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.companionCode = companionCode;
    // A 4xx other than 429 says the request itself is wrong: asking again cannot help.
    this.retryable = RETRYABLE.has(code) && !(status >= 400 && status < 500 && status !== 429);
  }
}

/** Maps an HTTP status (Timekit's or the companion's) onto a code. */
export function codeForStatus(status: number): TkErrorCode {
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'unavailable';
  return 'invalid';
}

/**
 * Companion error codes that say more than their status does; a connect outcome (a message or
 * the redirect's result) has no status, only its code.
 */
export function codeForCompanionError(code: string | undefined, status: number): TkErrorCode {
  switch (code) {
    case 'consent-denied':
    case 'connect-elsewhere':
      return code;
    case 'origin-not-allowed':
    case 'endpoint-mismatch':
      return 'origin-mismatch';
    case 'unauthenticated':
      return 'unauthorized';
    case 'rate-limited':
      return 'rate-limited';
    case 'timekit-unavailable':
    case 'internal':
      return 'unavailable';
    default:
      return codeForStatus(status);
  }
}

/** Anything thrown on the way (a TypeError from fetch, a SyntaxError from JSON) as a TkError. */
export function toTkError(error: unknown): TkError {
  if (error instanceof TkError) return error;
  if (error instanceof SyntaxError) return new TkError('unavailable', 'Malformed answer');
  return new TkError('network', error instanceof Error ? error.message : 'Network error');
}

/**
 * A relay call that got no answer at the address the companion named, away from the endpoint the
 * page reaches the companion at: the companion's `publicUrl` (or an older companion's Host header)
 * names a place this page cannot reach. Trying again cannot help; the console says what to set.
 */
export function unreachableRelay(apiBase: string, endpoint: string): TkError {
  void import('../internal/diagnostics.js').then(
    (diagnostics) => diagnostics.warnUnreachableRelay(apiBase, endpoint),
    () => {}, // the texts could not be fetched: the code still says what happened
  );
  return new TkError('misconfigured', `No answer from the relay at ${apiBase}`);
}

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';

/**
 * The companion's refusal of `POST <endpoint>/session` as an error a developer can act on: the
 * companion's code and message. A 404 without the companion's JSON, or for a companion route that
 * does not exist there, is no companion at the endpoint: users read `unavailable`, since no
 * calendar is missing. The developer texts (src/internal/diagnostics.ts) load only when a
 * refusal happens, so no page downloads them before.
 */
export async function sessionRefusal(response: Response, endpoint: string): Promise<TkError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: TkCompanionErrorCode; message?: string } } | null;
  const status = response.status;
  const error = typeof body?.error?.code === 'string' ? body.error : undefined;
  const noCompanion = status === 404 && (error === undefined || error.code === 'not-found');
  const code = noCompanion ? 'unavailable' : error ? codeForCompanionError(error.code, status) : codeForStatus(status);
  let message = `HTTP ${status}`;
  try {
    message = (await import('../internal/diagnostics.js')).explainRefusal(status, error, endpoint, noCompanion);
  } catch {
    // the texts could not be fetched (the network went away): the code still says what happened
  }
  return new TkError(code, message, status, Number(response.headers.get('retry-after')) * 1e3, error?.code);
}

/**
 * The session's error for an endpoint that is not http(s) (`forbidden`: this page may not use it).
 * The developer text loads only then, as for a refusal.
 */
export async function endpointRefusal(protocol: string): Promise<never> {
  let message = `Not an http(s) endpoint: ${protocol}`;
  try {
    message = (await import('../internal/diagnostics.js')).explainEndpointScheme(protocol);
  } catch {
    // the texts could not be fetched: the code still says what happened
  }
  throw new TkError('forbidden', message);
}
