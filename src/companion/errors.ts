/**
 * The companion's error table: every stable error code, the HTTP status it is answered with, and
 * when it happens; and `CompanionError`, the refusal every route throws, which takes its status
 * from the table. The hostile-input test checks every answer against it, and docs/companion.md's
 * table of refusals is checked against it by test/node/companion/errors.test.ts, so the code, the
 * docs and the tests cannot drift apart.
 *
 * Server side only: the browser elements read just the codes (a type), so this table never reaches
 * the browser bundle.
 */
import type { TkCompanionErrorCode } from '../shared/companion-protocol.js';

export interface CompanionErrorEntry {
  /** The HTTP status of a JSON refusal (and of a connect result page) with this code. */
  readonly status: number;
  /** When the companion answers it, in one line (Markdown). */
  readonly when: string;
}

/** In the order docs/companion.md lists them. */
export const COMPANION_ERRORS = {
  'origin-not-allowed': {
    status: 403,
    when: '`Origin` (or `Referer`) missing or not in `allowedOrigins`; `return_to` on another origin; a relay token used from another origin',
  },
  'endpoint-mismatch': {
    status: 403,
    when: "`/<provider>/start`'s `endpoint` (the companion URL the element uses) is not the companion's own mount path on the request's origin or the page's, or differs from `publicUrl`: the callback would leave the companion",
  },
  unauthenticated: { status: 401, when: "the host's `authenticate` found no user; a relay token missing, forged or expired" },
  invalid: { status: 400, when: 'a malformed body, query or callback; `POST /accounts/pending` when no second account waits to be confirmed' },
  'payload-too-large': { status: 413, when: 'a body over the limit' },
  'not-found': { status: 404, when: 'no such companion route' },
  'method-not-allowed': { status: 405, when: 'a companion route called with the wrong method' },
  'nonce-invalid': { status: 400, when: 'a connect callback whose nonce is missing or forged' },
  'nonce-expired': { status: 400, when: "a connect callback after the nonce's lifetime (10 minutes)" },
  'nonce-used': { status: 400, when: 'a connect callback replayed' },
  'consent-denied': { status: 403, when: "the user declined Google's consent (with or without an `error` parameter from Timekit)" },
  'connect-elsewhere': {
    status: 403,
    when: 'a connect callback finished in another browser than the one that started it, or by another signed-in user (nothing is stored)',
  },
  'not-allowed': { status: 403, when: 'a relay call outside the allow-list' },
  'rate-limited': {
    status: 429,
    when: "one user past a per-user limit (credential mints, connect starts, relay writes, relay syncs), or Timekit's own limit (`Retry-After` says when)",
  },
  'email-taken': { status: 409, when: '`provisionResource`: Timekit already has a user with this email (in this app or another)' },
  'timekit-rejected': { status: 502, when: 'Timekit refused a call the companion made (for example a revoked resource token)' },
  'timekit-unavailable': {
    status: 502,
    when: 'Timekit unreachable, timing out, failing (5xx) or answering malformed JSON; or `maxTimekitCalls` calls already waiting for it (`Retry-After: 1`)',
  },
  'store-unavailable': { status: 503, when: "the store's database unreachable or restarting (`Retry-After` says when to try again)" },
  internal: { status: 500, when: 'a bug or a failing host hook (details only in the log)' },
} as const satisfies Record<TkCompanionErrorCode, CompanionErrorEntry>;

/** The HTTP status the companion answers `code` with. */
export function statusOf(code: TkCompanionErrorCode): number {
  return COMPANION_ERRORS[code].status;
}

/**
 * A refusal: answered as JSON `{"error": {code, message}}` (or on a connect result page) with the
 * status the table above gives `code`, so no route picks a status of its own.
 */
export class CompanionError extends Error {
  readonly status: number;

  constructor(
    readonly code: TkCompanionErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'CompanionError';
    this.status = statusOf(code);
  }
}

/** The Markdown table docs/companion.md carries between its `companion-errors` markers. */
export function companionErrorsMarkdown(): string {
  const rows = Object.entries(COMPANION_ERRORS).map(([code, { status, when }]) => `| \`${code}\` | ${status} | ${when} |`);
  return ['| code | status | when |', '|---|---|---|', ...rows].join('\n');
}
