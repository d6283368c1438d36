/**
 * The companion's wire types: what `POST <endpoint>/session` (and `/accounts/pending`) answers, what the Google connect
 * page posts to its opener, and the JSON error bodies. Imported by the browser elements and by
 * the companion (src/companion/), so it must stay free of runtime dependencies on either side.
 */
import type { TimekitAccount, TimekitCalendar } from './timekit.js';

/**
 * How the elements' calendar calls (reading calendars, writing `provider_sync`, syncing) reach Timekit.
 * Widget calls (findtime, availability, bookings) always go straight to Timekit with the widget
 * credential (see {@link TkWidgetCredential}).
 * - `relay` (the companion's default): to `apiBase` (the companion's `<endpoint>/api/v2`) with
 *   `Authorization: Bearer <token>`; `token` is the companion's own short-lived, origin-bound session
 *   token and the companion forwards an allow-list of Timekit calls with the resource's token, which
 *   never leaves it. Works whatever Timekit lets widget credentials do (docs/timekit-api.md).
 * - `direct`: straight to `apiBase` (Timekit) with `Authorization: Basic base64(email + ":" + token)`
 *   and `Timekit-App: <app>`; `token` is the widget credential itself. Only for apps whose widget
 *   scope reaches `/calendars` and `/accounts` (`tk-companion doctor` says whether yours does).
 */
export type TkSessionMode = 'direct' | 'relay';

/**
 * A Timekit widget credential (`client-token`, scope `widget`, bound to the page's origin) for the
 * widget endpoints: `Authorization: Basic base64(email + ":" + token)` and `Timekit-App: <app>`
 * against `apiBase`. What a booking page (booking.js) is configured with. Secret: memory only.
 */
export interface TkWidgetCredential {
  /** Timekit's API base, e.g. `https://api.timekit.io/v2`. */
  apiBase: string;
  app: string;
  email: string;
  token: string;
  /** RFC 3339. */
  expiresAt: string;
}

/** The host user is signed in but has no Timekit resource yet: show the connect button. */
interface TkSignedOutSession {
  status: 'signed-out';
}

/** Everything the elements need to talk to Timekit for one resource. */
export interface TkReadySession {
  status: 'ready';
  mode: TkSessionMode;
  /**
   * The API base, no trailing slash: Timekit's (`…/v2`) in direct mode; in relay mode the
   * companion's relay, `<publicUrl>/api/v2` when the companion has a `publicUrl`, else a path
   * (`/timekit/api/v2`) to resolve against the endpoint the session reached the companion at.
   */
  apiBase: string;
  /** The Timekit app slug (the `Timekit-App` header in direct mode). */
  app: string;
  /** The resource's email: the Basic user name in direct mode, and who is connected. */
  email: string;
  resourceId: string;
  /** Secret: keep in memory only (never attributes, events, URLs, storage or logs). See {@link TkSessionMode}. */
  token: string;
  /** When `token` stops working (RFC 3339). Ask for a new session a little before. */
  expiresAt: string;
  /** The resource's connected calendar accounts (Google), as of the last connect. */
  accounts: TimekitAccount[];
  /**
   * The widget credential for Timekit's widget endpoints, in relay mode (in direct mode `token`
   * is that credential). Absent when the host's own `fetchCredentials` provides none.
   */
  widget?: TkWidgetCredential;
  /** The resource's calendars, when the companion preloads them (saves the elements one request). */
  calendars?: TimekitCalendar[];
  /**
   * A later connect put the provider on another resource (Timekit made a new one rather than
   * attaching the account): it waits for the provider's yes or no (`POST <endpoint>/accounts/pending`).
   * `provider` is null for a plain resource.
   */
  pendingAccount?: TkPendingAccount;
}

/** A second account waiting to be confirmed: display information only, no token, no resource id. */
export interface TkPendingAccount {
  provider: TimekitAccount['provider'] | null;
  email: string;
}

/** The body of a `200` from `POST <endpoint>/session`. */
export type TkSessionResponse = TkSignedOutSession | TkReadySession;

/**
 * The stable error codes of the companion. Every refusal is JSON `{"error": {code, message}}`
 * (see {@link TkCompanionErrorBody}); the Google connect pages carry the same codes. The status
 * each code is answered with, and when, is the companion's error table (`COMPANION_ERRORS` in
 * src/companion/errors.ts, printed in docs/companion.md): kept there, on the server, so the browser
 * bundle carries only these names.
 */
export type TkCompanionErrorCode =
  | 'origin-not-allowed'
  | 'endpoint-mismatch'
  | 'unauthenticated'
  | 'invalid'
  | 'payload-too-large'
  | 'not-found'
  | 'method-not-allowed'
  | 'nonce-invalid'
  | 'nonce-expired'
  | 'nonce-used'
  | 'consent-denied'
  | 'connect-elsewhere'
  | 'not-allowed'
  | 'rate-limited'
  | 'email-taken'
  | 'timekit-rejected'
  | 'timekit-unavailable'
  | 'store-unavailable'
  | 'internal';

/** Every companion error response: `{"error": {"code": "...", "message": "..."}}`. */
export interface TkCompanionErrorBody {
  error: { code: TkCompanionErrorCode; message: string };
}

/**
 * What the Google connect result page answers to a {@link TkConnectPing}, posted back to the
 * pinging window with the exact allowed page origin as the target. `state` echoes the one the
 * element sent to `/google/start`. Check `event.origin` (the companion's), `event.source` (the
 * popup) and `state` before trusting it.
 */
export type TkConnectMessage =
  | { source: 'tk-companion'; type: 'connect'; ok: true; email: string; state?: string }
  | { source: 'tk-companion'; type: 'connect'; ok: false; code: TkCompanionErrorCode; message: string; state?: string };

/**
 * What the element posts to its popup (target: the companion's origin) until the result page
 * answers. The popup is opened without an opener, so no page it passes through (Timekit, Google,
 * anything they redirect to) can reach or navigate the host page; the result page answers the
 * ping through `event.source` instead. The element pings only while the popup shows the result
 * page (see {@link TK_CONNECT_RESULT_FRAME}).
 */
export interface TkConnectPing {
  source: 'tk-elements';
  type: 'connect-ping';
}

/**
 * The name of an empty frame in the connect result page. The opener cannot read where a popup on
 * another origin is, but it can see a frame of it by name: so it pings only the result page, and
 * never Timekit's or the provider's pages, where the browser would drop each ping with a warning
 * that the target origin does not match.
 */
export const TK_CONNECT_RESULT_FRAME = 'tk-connect-result';

/**
 * In redirect mode the companion sends the browser back to `return_to` with this query parameter:
 * `ok`, or an error code.
 */
export const TK_CONNECT_RESULT_PARAM = 'tk_connect';

/** ... and this one: the `state` the element sent to `/google/start`, which it must find in its sessionStorage. */
export const TK_CONNECT_STATE_PARAM = 'tk_state';
