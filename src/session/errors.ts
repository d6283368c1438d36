/**
 * The fixed error codes every element reports in `tk-error`, and the mapping from HTTP answers
 * (Timekit's and the companion's) onto them. Messages shown to users come from the string table
 * keyed by `code`, never from server text.
 */
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
  | 'connect-timeout';

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

  constructor(code: TkErrorCode, message: string = code, status = 0, retryAfterMs = 0) {
    super(message);
    this.code = code;
    this.status = status;
    this.retryAfterMs = retryAfterMs;
    this.retryable = RETRYABLE.has(code);
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

export const isAbort = (error: unknown) => error instanceof DOMException && error.name === 'AbortError';
