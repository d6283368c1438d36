/**
 * The fixed error codes every element reports in `tk-error`, and the mapping from HTTP answers
 * (Timekit's and the companion's) onto them. Messages shown to users come from the string table
 * keyed by `code`, never from server text; a TkError's own `message` is for the developer.
 */
import type { TkCompanionErrorCode } from '../shared/session.js';

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
  | 'origin-mismatch';

const RETRYABLE: ReadonlySet<TkErrorCode> = new Set(['network', 'rate-limited', 'unavailable', 'popup-blocked', 'consent-denied']);

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
      return 'consent-denied';
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

const warned = new Set<string>();

/** One `console.warn` per distinct misconfiguration: the page may ask the companion again and again. */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/**
 * The companion's refusal of `POST <endpoint>/session` as an error a developer can act on: the
 * companion's code and message, or "no companion at <endpoint>" when something else answered
 * (a 404 without the companion's JSON, or a companion route that does not exist there). Warns
 * once on the console with the fix for each misconfiguration.
 */
export async function sessionRefusal(response: Response, endpoint: string): Promise<TkError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: TkCompanionErrorCode; message?: string } } | null;
  const status = response.status;
  const retryAfterMs = Number(response.headers.get('retry-after')) * 1e3;
  const companion = typeof body?.error?.code === 'string' ? body.error : undefined;
  const route = `POST ${endpoint}/session`;

  if (status === 404 && (companion === undefined || companion.code === 'not-found')) {
    const message = `No companion at ${endpoint}: ${route} answered 404${companion?.message ? ` (${companion.message})` : ''}`;
    warnOnce(`tk-session: ${message}. Check <tk-session endpoint> against the path the companion is mounted under (and its basePath).`);
    // Users see "unavailable": the page is misconfigured, no calendar is missing.
    return new TkError('unavailable', message, status, retryAfterMs, companion?.code);
  }
  if (companion === undefined) return new TkError(codeForStatus(status), `HTTP ${status}`, status, retryAfterMs);

  const said = companion.message ? `: ${companion.message}` : '';
  let message = `The companion refused ${route} with ${status} ${companion.code}${said}`;
  if (companion.code === 'unauthenticated') {
    message = `Not signed in to your app: the companion's authenticate() found no user for ${route}${said}`;
    warnOnce(
      `tk-session: ${message}. Sign in first; if you are, make sure your login cookie reaches ${endpoint} ` +
        '(same site, not blocked) and that your own auth middleware runs before the companion.',
    );
  } else if (companion.code === 'origin-not-allowed') {
    warnOnce(`tk-session: the companion at ${endpoint} does not allow this page's origin${said}. Add ${location.origin} to its allowedOrigins.`);
  }
  return new TkError(codeForCompanionError(companion.code, status), message, status, retryAfterMs, companion.code);
}
