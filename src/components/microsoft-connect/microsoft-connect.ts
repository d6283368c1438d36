/** `<tk-microsoft-connect>`'s class: connecting a Microsoft 365 calendar through the companion. */
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { TkConnectElement, type TkConnectTexts } from '../../internal/tk-connect-element.js';
import type { ConnectOutcome } from '../../internal/connect-round-trip.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import type { TkStrings } from '../../i18n/locale.js';
import type { TkQuestionStrings } from '../../i18n/question-en.js';
import { microsoftStrings, type TkMicrosoftStrings } from '../../i18n/microsoft-strings.js';
import type { TkErrorCode } from '../../session/errors.js';
import { microsoftConnectStyles } from './microsoft-connect.styles.js';

/**
 * A button that connects the provider's Microsoft 365 calendar (a work or school account) through
 * the companion, as `<tk-google-connect>` does Google: `<endpoint>/microsoft/start` in a popup
 * without an opener, or a redirect. Microsoft refuses a personal account (Outlook.com, Hotmail,
 * Live) on its own page, and no outcome ever comes back, so the element says before connecting
 * that a work or school account is needed, and after a window closed without a result it gives
 * that likely reason with one retry. Lists the resource's Microsoft accounts with their status
 * (Reconnect on one that stopped working) and offers to connect another.
 *
 * @summary Connect a Microsoft 365 (work or school) calendar account.
 * @tagname tk-microsoft-connect
 * @slot signed-out - Extra guidance shown before anything is connected.
 * @slot error - Shown instead of the default error text (the retry button stays).
 * @fires {TkConnectEvent} tk-connect - The user asked to connect, before any popup or redirect; cancelable.
 * @fires {TkConnectedEvent} tk-connected - An account was connected and the session refreshed; `detail` is `{email, resourceId, provider}`. Also once after a redirect round trip.
 * @fires {TkCancelEvent} tk-cancel - The user closed the popup (or pressed Cancel or Escape) before finishing.
 * @fires {TkErrorEvent} tk-error - Connecting failed or was declined; `detail` is `{code, message, retryable}`.
 * @csspart base - The wrapper.
 * @csspart button - The connect button (Microsoft's sign-in button); "Try again" after a failed or declined connect, the hint's retry after a window closed without a result; a secondary style once a Microsoft account is connected (a host restyles it with `::part(button)`).
 * @csspart logo - Microsoft's four-square logo in the button.
 * @csspart note - The text that says a work or school account is needed (describes the button).
 * @csspart hint - After a window closed without a result: the likely reason; the button, relabelled, is its one retry.
 * @csspart accounts - The list of the resource's calendar accounts of this provider.
 * @csspart account - One account: its provider, email and status.
 * @csspart account-status - An account's status (connected or disconnected).
 * @csspart reconnect-button - On a disconnected account of this element's provider: runs the round trip again.
 * @csspart question - When a connect put the new account on a new resource: the question whether to switch to it (in the element of that account's provider).
 * @csspart switch-button - The question's answer that moves to the new resource.
 * @csspart keep-button - The question's answer that keeps the current resource.
 * @csspart question-error - Why the answer failed, with a retry button.
 * @csspart status - The polite live region: shown while loading, while the popup is open ("Waiting for Microsoft…", then the hint) and for a while after a cancel; otherwise visually hidden (connected).
 * @csspart progress - The turning ring in the status while the popup is open (still under `prefers-reduced-motion: reduce`).
 * @csspart wait-hint - In the status, after 30 s without an outcome: the window may show an error.
 * @csspart waiting - While the popup is open: its Show window and Cancel buttons.
 * @csspart show-window-button - Brings the popup forward (`popup.focus()`); when it is gone, the element says so.
 * @csspart cancel-button - Closes the popup and ends the connect (`tk-cancel`), as Escape does.
 * @csspart error - The error message, with its retry button.
 * @csspart retry-button - The retry button of a session that failed to load (or of the question); after a failed connect the button itself says "Try again".
 * @cssprop [--tk-connect-background=#fff] - Button background (#2f2f2f under a dark `color-scheme`).
 * @cssprop [--tk-connect-color=#5e5e5e] - Button text colour (#fff under a dark `color-scheme`).
 * @cssprop [--tk-radius=6px] - Corner radius of the retry buttons.
 * @cssprop [--tk-error-color=#b3261e] - Error text (#f2b8b5 under a dark `color-scheme`).
 * @cssprop [--tk-button-background=transparent] - Background of the other buttons (retry, Show window, Cancel, connect another).
 * @cssprop [--tk-button-color=inherit] - Text of the other buttons.
 * @cssprop [--tk-accent=#1a73e8] - The progress ring.
 * @cssprop [--tk-border-color=GrayText] - Retry button borders.
 * @cssprop [--tk-color=CanvasText] - Text colour.
 * @cssprop [--tk-focus-ring=var(--tk-accent, Highlight)] - Focus outline.
 * @cssstate signed-out - Nothing connected yet (or no session).
 * @cssstate loading - The session is loading.
 * @cssstate empty - Signed in to Timekit, but no calendar account yet.
 * @cssstate error - The session or the last connect failed.
 * @cssstate content - At least one account connected.
 * @cssstate connecting - The popup is open.
 */
export class TkMicrosoftConnect extends TkConnectElement {
  static override styles = [...TkConnectElement.styles, microsoftConnectStyles];

  /** Overrides for some of the element's strings (see `TkStrings`, `TkQuestionStrings` and `TkMicrosoftStrings`). */
  @property({ attribute: false }) override strings?: Partial<TkStrings & TkQuestionStrings & TkMicrosoftStrings>;

  protected readonly provider = 'microsoft';

  /** The last popup closed without a result: the hint shows until the next connect. */
  @state() private closedWithoutResult = false;

  protected override noteIds(): string[] {
    return this.closedWithoutResult ? ['note', 'hint'] : ['note'];
  }

  private readonly microsoftLocale = new LocaleController<TkMicrosoftStrings>(this, microsoftStrings);

  protected texts(): TkConnectTexts {
    return this.microsoftLocale.strings;
  }

  override connect(): void {
    this.closedWithoutResult = false;
    super.connect();
  }

  protected override report(outcome: ConnectOutcome): void {
    super.report(outcome);
    // Cancel or Escape is the user's choice; a window that closed by itself likely met a personal account.
    if (outcome.kind !== 'cancelled' || outcome.reason === 'cancel' || outcome.reason === 'left-open') return;
    this.closedWithoutResult = true;
    this.showNotice('');
    this.announcement = this.microsoftLocale.strings.closedHint;
  }

  /** After a window closed without a result, the button is the hint's one retry. */
  protected override buttonText(): string {
    return this.closedWithoutResult ? this.microsoftLocale.strings.retryWithWorkAccount : super.buttonText();
  }

  protected override errorMessage(code: TkErrorCode): string {
    const t = this.microsoftLocale.strings;
    if (code === 'consent-denied') return t.microsoftDenied;
    if (code === 'connect-timeout') return t.microsoftTimeout;
    return super.errorMessage(code);
  }

  protected override buttonContent(text: string) {
    return html`<svg part="logo" width="21" height="21" viewBox="0 0 21 21" aria-hidden="true">
        <rect x="1" y="1" width="9" height="9" fill="#f25022" />
        <rect x="11" y="1" width="9" height="9" fill="#7fba00" />
        <rect x="1" y="11" width="9" height="9" fill="#00a4ef" />
        <rect x="11" y="11" width="9" height="9" fill="#ffb900" /></svg
      ><span>${text}</span>`;
  }

  protected override renderNote() {
    const t = this.microsoftLocale.strings;
    return html`<p part="note" id="note">${t.workOrSchool}</p>
      ${this.closedWithoutResult ? html`<p part="hint" id="hint">${t.closedHint}</p>` : nothing}`;
  }
}
