/** `<tk-google-connect>`'s class: connecting Google through the companion, in a popup or a redirect. */
import { TkConnectElement, type TkConnectTexts } from '../../internal/tk-connect-element.js';

/**
 * A button that connects the provider's Google Calendar through the companion: it opens
 * `<endpoint>/google/start` in a popup without an opener (or, when the popup is blocked or
 * `mode="redirect"`, the whole page goes there and comes back), asks the companion's result page
 * for the outcome, accepts it only from that popup, the companion's origin and with its own
 * one-time state, refreshes the session and reports the result. Lists the resource's Google
 * accounts with their status (Reconnect on one that stopped working) and offers to connect another.
 *
 * @summary Connect a Google Calendar account.
 * @tagname tk-google-connect
 * @slot signed-out - Extra guidance shown before anything is connected.
 * @slot error - Shown instead of the default error text (the retry button stays).
 * @fires {TkConnectEvent} tk-connect - The user asked to connect, before any popup or redirect; cancelable.
 * @fires {TkConnectedEvent} tk-connected - An account was connected and the session refreshed; `detail` is `{email, resourceId, provider}`. Also once after a redirect round trip.
 * @fires {TkCancelEvent} tk-cancel - The user closed the popup (or pressed Cancel or Escape) before finishing.
 * @fires {TkErrorEvent} tk-error - Connecting failed or was declined; `detail` is `{code, message, retryable}`.
 * @csspart base - The wrapper.
 * @csspart button - The connect button; "Try again" after a failed or declined connect (its one retry); a secondary style once a Google account is connected (a host restyles it with `::part(button)`).
 * @csspart accounts - The list of the resource's calendar accounts of this provider.
 * @csspart account - One account: its provider, email and status.
 * @csspart account-status - An account's status (connected or disconnected).
 * @csspart reconnect-button - On a disconnected account of this element's provider: runs the round trip again.
 * @csspart question - When a connect put the new account on a new resource: the question whether to switch to it (in the element of that account's provider).
 * @csspart switch-button - The question's answer that moves to the new resource.
 * @csspart keep-button - The question's answer that keeps the current resource.
 * @csspart question-error - Why the answer failed, with a retry button.
 * @csspart status - The polite live region: shown while loading, while the popup is open ("Waiting for Google…", then the hint) and for a while after a cancel; otherwise visually hidden (connected).
 * @csspart progress - The turning ring in the status while the popup is open (still under `prefers-reduced-motion: reduce`).
 * @csspart wait-hint - In the status, after 30 s without an outcome: the window may show an error.
 * @csspart waiting - While the popup is open: its Show window and Cancel buttons.
 * @csspart show-window-button - Brings the popup forward (`popup.focus()`); when it is gone, the element says so.
 * @csspart cancel-button - Closes the popup and ends the connect (`tk-cancel`), as Escape does.
 * @csspart error - The error message, with its retry button.
 * @csspart retry-button - The retry button of a session that failed to load (or of the question); after a failed connect the button itself says "Try again".
 * @cssprop [--tk-connect-background=var(--tk-accent, #1a73e8)] - Button background.
 * @cssprop [--tk-connect-color=#fff] - Button text colour.
 * @cssprop [--tk-accent=#1a73e8] - Kit-wide accent colour.
 * @cssprop [--tk-radius=6px] - Corner radius.
 * @cssprop [--tk-error-color=#b3261e] - Error text (#f2b8b5 under a dark `color-scheme`).
 * @cssprop [--tk-button-background=transparent] - Background of the other buttons (retry, Show window, Cancel, connect another).
 * @cssprop [--tk-button-color=inherit] - Text of the other buttons.
 * @cssprop [--tk-border-color=GrayText] - Button borders.
 * @cssprop [--tk-color=CanvasText] - Text colour.
 * @cssprop [--tk-focus-ring=var(--tk-accent, Highlight)] - Focus outline.
 * @cssstate signed-out - Nothing connected yet (or no session).
 * @cssstate loading - The session is loading.
 * @cssstate empty - Signed in to Timekit, but no calendar account yet.
 * @cssstate error - The session or the last connect failed.
 * @cssstate content - At least one account connected.
 * @cssstate connecting - The popup is open.
 */
export class TkGoogleConnect extends TkConnectElement {
  protected readonly provider = 'google';

  protected texts(): TkConnectTexts {
    return this.locale.strings;
  }
}
