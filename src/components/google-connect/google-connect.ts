/** `<tk-google-connect>`'s class: connecting Google through the companion, in a popup or a redirect. */
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { TkElement, type TkViewState } from '../../internal/tk-element.js';
import { TkCancelEvent, TkConnectEvent, TkConnectedEvent } from '../../events/connect.js';
import { TkError, codeForCompanionError } from '../../session/errors.js';
import { TK_CONNECT_RESULT_PARAM, TK_CONNECT_STATE_PARAM, type TkConnectMessage, type TkConnectPing } from '../../shared/companion-protocol.js';
import { sharedStyles } from '../../styles/shared.styles.js';
import { connectStyles } from './google-connect.styles.js';

/** How often to look whether the user closed the popup (there is no event for it), and to ping it. */
const CLOSED_POLL_MS = 300;
/** Where a redirect round trip keeps its one-time state while the page is away. */
const STATE_KEY = 'tk-connect-state';
const PING: TkConnectPing = { source: 'tk-elements', type: 'connect-ping' };

/** A one-time random state: 128 random bits, as four decimal numbers joined by `-` (base64url-safe). */
const newState = () => crypto.getRandomValues(new Uint32Array(4)).join('-');

/** Whether `url` is a web address: the page navigates to the start URL, and a `javascript:` one would run in it. */
function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function isConnectMessage(data: unknown): data is TkConnectMessage {
  const d = data as Partial<Record<string, unknown>> | null;
  if (typeof d !== 'object' || d === null || d.source !== 'tk-companion' || d.type !== 'connect') return false;
  return d.ok === true ? typeof d.email === 'string' : d.ok === false && typeof d.code === 'string';
}

/**
 * A button that connects the provider's Google Calendar through the companion: it opens
 * `<endpoint>/google/start` in a popup without an opener (or, when the popup is blocked or
 * `mode="redirect"`, the whole page goes there and comes back), asks the companion's result page
 * for the outcome, accepts it only from that popup, the companion's origin and with its own
 * one-time state, refreshes the session and reports the result. Lists the connected accounts and
 * offers to connect another.
 *
 * @summary Connect a Google Calendar account.
 * @tagname tk-google-connect
 * @slot signed-out - Extra guidance shown before anything is connected.
 * @slot error - Shown instead of the default error text (the retry button stays).
 * @fires {TkConnectEvent} tk-connect - The user asked to connect, before any popup or redirect; cancelable.
 * @fires {TkConnectedEvent} tk-connected - An account was connected and the session refreshed; `detail` is `{email, resourceId}`. Also once after a redirect round trip.
 * @fires {TkCancelEvent} tk-cancel - The user closed the popup (or pressed Escape) before finishing.
 * @fires {TkErrorEvent} tk-error - Connecting failed or was declined; `detail` is `{code, message, retryable}`.
 * @csspart base - The wrapper.
 * @csspart button - The connect button.
 * @csspart accounts - The list of connected accounts.
 * @csspart account - One connected account.
 * @csspart status - The polite live region (connecting, connected, cancelled).
 * @csspart error - The error message, with its retry button.
 * @csspart retry-button - The retry button.
 * @cssprop [--tk-connect-background=var(--tk-accent, #1a73e8)] - Button background.
 * @cssprop [--tk-connect-color=#fff] - Button text colour.
 * @cssprop [--tk-accent=#1a73e8] - Kit-wide accent colour.
 * @cssprop [--tk-radius=6px] - Corner radius.
 * @cssprop [--tk-error-color=#b3261e] - Error text (#f2b8b5 under a dark `color-scheme`).
 * @cssprop [--tk-button-background=transparent] - Retry button background.
 * @cssprop [--tk-button-color=inherit] - Retry button text.
 * @cssprop [--tk-border-color=GrayText] - Button borders.
 * @cssprop [--tk-color=CanvasText] - Text colour.
 * @cssprop [--tk-focus-ring=var(--tk-accent, Highlight)] - Focus outline.
 * @cssstate signed-out - Nothing connected yet (or no session).
 * @cssstate loading - The session is loading.
 * @cssstate empty - Signed in to Timekit, but no Google account yet.
 * @cssstate error - The session or the last connect failed.
 * @cssstate content - At least one account connected.
 * @cssstate connecting - The popup is open.
 */
export class TkGoogleConnect extends TkElement {
  static override styles = [sharedStyles, connectStyles];
  static override shadowRootOptions: ShadowRootInit = { ...TkElement.shadowRootOptions, delegatesFocus: true };

  /** `popup` (default) or `redirect` (`mode` attribute): how to reach Google's consent. */
  @property() mode: 'popup' | 'redirect' = 'popup';

  /** Disables the button (`disabled` attribute). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  @state() private connecting = false;
  @state() private failure: TkError | null = null;
  @state() private announcement = '';

  private popup: Window | null = null;
  /** The one-time state of the popup round trip in flight; its outcome must echo it. */
  private popupState: string | null = null;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  /** Escape asked the popup to close; asked again at each poll, as WebKit drops a close() mid-navigation. */
  private closeRequested = false;

  /**
   * After this long without an outcome the status says the window may show an error (and the
   * console says what to check); after the other, when the companion's link has expired and no
   * outcome can come any more, the connect fails with `connect-timeout`.
   * @internal Shortened in tests.
   */
  protected waitTimes = { hintMs: 30_000, timeoutMs: 10 * 60_000 };
  /** The outcome a redirect round trip brought back in the URL, reported once the session is ready. */
  private redirectResult: string | null = null;

  constructor() {
    super();
    this.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.popup) {
        this.closeRequested = true;
        this.popup.close();
      }
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('message', this.handleMessage);
    this.takeRedirectResult();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('message', this.handleMessage);
    this.stopWatching();
  }

  // willUpdate, not updated: what it sets is rendered in this same update
  protected override willUpdate(): void {
    const status = this.sessionController.session?.status;
    if (this.redirectResult !== null && (status === 'ready' || status === 'signed-out' || status === 'error')) {
      const result = this.redirectResult;
      this.redirectResult = null;
      if (result === 'ok') void this.finishConnected(null);
      else this.fail(new TkError(codeForCompanionError(result, 0)));
    }
  }

  /** Starts the connect round trip, as a click on the button does. */
  connect(): void {
    const endpoint = this.sessionController.session?.endpoint;
    if (!endpoint || this.disabled || this.connecting) return;
    // TkSession refuses such an endpoint already; a session object made elsewhere may not.
    if (!isWebUrl(endpoint)) {
      this.fail(new TkError('forbidden', 'tk-google-connect: the session\'s endpoint is not an http or https URL'));
      return;
    }
    if (!this.dispatchEvent(new TkConnectEvent())) return;
    this.failure = null;
    if (this.mode === 'redirect') {
      this.redirect(endpoint);
      return;
    }
    // Opened blank (a new window every time, so it is same-origin now and no page can target it
    // by name), disowned, then sent on: no page on the way (Timekit, Google, whatever they
    // redirect to) gets an opener to navigate this page with. The handle stays, to ping the
    // result page and to see the window closed; `noopener` would leave neither.
    const popup = window.open('about:blank', '_blank', 'popup,width=500,height=700');
    if (!popup) {
      // Say why the page is about to leave, then go the redirect way.
      this.announcement = this.locale.strings.errors['popup-blocked'];
      this.emitError(new TkError('popup-blocked'));
      this.redirect(endpoint);
      return;
    }
    const state = newState();
    popup.opener = null;
    popup.location.href = this.startUrl(endpoint, state);
    this.popup = popup;
    this.popupState = state;
    this.connecting = true;
    this.announcement = this.locale.strings.connecting;
    const companionOrigin = new URL(endpoint).origin;
    const started = Date.now();
    this.pollTimer = setInterval(() => {
      const waited = Date.now() - started;
      // A result message is posted before the page closes itself: give it a moment to arrive.
      if (popup.closed) setTimeout(() => this.popup === popup && this.cancelled(), CLOSED_POLL_MS);
      else if (this.closeRequested) popup.close();
      else if (waited > this.waitTimes.timeoutMs) {
        popup.close();
        this.stopWatching();
        this.fail(new TkError('connect-timeout'));
      } else {
        // Delivered only while the popup shows a page of the companion's origin.
        popup.postMessage(PING, companionOrigin);
        if (waited > this.waitTimes.hintMs && this.announcement !== this.locale.strings.stillWaiting) {
          this.announcement = this.locale.strings.stillWaiting;
          console.warn(`tk-google-connect: no outcome from ${endpoint}/google/start yet. Behind a proxy, check the companion's basePath and publicUrl`);
        }
      }
    }, CLOSED_POLL_MS);
  }

  /** `<endpoint>/google/start` with the state, the endpoint as this page reaches it, and `return_to` for a redirect. */
  private startUrl(endpoint: string, state: string, returnTo?: string): string {
    return `${endpoint}/google/start?${new URLSearchParams({ state, endpoint, ...(returnTo && { return_to: returnTo }) })}`;
  }

  /**
   * Sends the whole page to the companion, which comes back to this URL with the outcome.
   * @internal Overridden in tests, which cannot let the page navigate.
   */
  protected navigate(url: string): void {
    location.assign(url);
  }

  protected get viewState(): TkViewState {
    const session = this.sessionController.session;
    const status = this.sessionController.status;
    if (status === 'error' || this.failure) return 'error';
    if (status === 'idle' || status === 'loading') return 'loading';
    if (!session || status === 'signed-out' || status === 'none') return 'signed-out';
    return this.googleAccounts().length > 0 ? 'content' : 'empty';
  }

  protected override customStates(): string[] {
    return [this.viewState, ...(this.connecting ? ['connecting'] : [])];
  }

  protected override render() {
    const t = this.locale.strings;
    const state = this.viewState;
    const accounts = state === 'content' || state === 'error' ? this.googleAccounts() : [];
    const canConnect = Boolean(this.sessionController.session?.endpoint) && state !== 'loading' && !this.disabled && !this.connecting;
    const error = this.failure ?? (this.sessionController.status === 'error' ? this.sessionController.session?.error : null);
    return html`<div part="base" aria-busy=${state === 'loading' ? 'true' : 'false'}>
      ${accounts.length > 0
        ? html`<ul part="accounts" aria-label=${t.connectedAccounts}>
            ${accounts.map((email) => html`<li part="account">${t.connectedAs(email)}</li>`)}
          </ul>`
        : nothing}
      <button type="button" part="button" ?disabled=${!canConnect} @click=${this.connect}>
        ${accounts.length > 0 ? t.connectAnother : t.connect}
      </button>
      ${state === 'signed-out' ? html`<slot name="signed-out"></slot>` : nothing}
      ${error
        ? html`<div part="error" role="alert">
            <slot name="error">${t.errors[error.code]}</slot>
            <button type="button" part="retry-button" @click=${this.handleRetry}>${t.retry}</button>
          </div>`
        : nothing}
      <div part="status" role="status" class=${state === 'loading' ? '' : 'visually-hidden'}>
        ${state === 'loading' ? t.loading : this.announcement}
      </div>
    </div>`;
  }

  private googleAccounts(): string[] {
    return (this.sessionController.session?.account?.accounts ?? []).filter((a) => a.provider === 'google').map((a) => a.provider_id);
  }

  private redirect(endpoint: string): void {
    const back = new URL(location.href);
    back.searchParams.delete(TK_CONNECT_RESULT_PARAM);
    back.searchParams.delete(TK_CONNECT_STATE_PARAM);
    const state = newState();
    try {
      sessionStorage.setItem(STATE_KEY, state);
    } catch {
      // Storage turned off: the outcome cannot be matched when the page comes back, so it will be
      // ignored; the connect itself still completes, and the session shows it.
    }
    this.navigate(this.startUrl(endpoint, state, back.href));
  }

  /**
   * Reads (and removes from the address bar) the outcome of a redirect round trip, when it carries
   * the state this tab stored before leaving: a link to this page with `?tk_connect=ok` and no
   * connect in flight fires nothing.
   */
  private takeRedirectResult(): void {
    const url = new URL(location.href);
    const result = url.searchParams.get(TK_CONNECT_RESULT_PARAM);
    if (result === null) return;
    const state = url.searchParams.get(TK_CONNECT_STATE_PARAM);
    url.searchParams.delete(TK_CONNECT_RESULT_PARAM);
    url.searchParams.delete(TK_CONNECT_STATE_PARAM);
    history.replaceState(history.state, '', url.href);
    let expected: string | null = null;
    try {
      expected = sessionStorage.getItem(STATE_KEY);
      sessionStorage.removeItem(STATE_KEY);
    } catch {
      // storage turned off: nothing was stored, so nothing matches
    }
    if (expected !== null && state === expected) this.redirectResult = result;
  }

  private readonly handleMessage = (event: MessageEvent) => {
    const popup = this.popup;
    const endpoint = this.sessionController.session?.endpoint;
    // Only the companion's page in our popup, with this round trip's state: anything else (a
    // page on another origin, a stale result) is not the outcome, so keep waiting.
    if (!popup || !endpoint || event.source !== popup || event.origin !== new URL(endpoint).origin) return;
    if (!isConnectMessage(event.data) || event.data.state !== this.popupState) return;
    const message = event.data;
    this.stopWatching();
    if (message.ok) void this.finishConnected(message.email);
    else this.fail(new TkError(codeForCompanionError(message.code, 0)));
  };

  /** Refreshes the session (the pickers reload by themselves) and fires `tk-connected`. */
  private async finishConnected(email: string | null): Promise<void> {
    const session = this.sessionController.session;
    if (!session) return;
    if (email !== null) await session.refresh({ reload: true });
    const account = session.account;
    if (session.status !== 'ready' || !account) {
      // The session's own error shows until it recovers, and the retry button asks the companion
      // again (Google has the account already); anything else is this connect's failure.
      if (session.status === 'error') this.emitError(session.error!);
      else this.fail(new TkError('unauthorized'));
      return;
    }
    const connectedEmail = email ?? this.googleAccounts().at(-1) ?? account.email;
    this.announcement = this.locale.strings.connectedAs(connectedEmail);
    this.dispatchEvent(new TkConnectedEvent({ email: connectedEmail, resourceId: account.resourceId }));
  }

  private cancelled(): void {
    this.stopWatching();
    this.announcement = this.locale.strings.cancelled;
    this.dispatchEvent(new TkCancelEvent());
  }

  private fail(error: TkError): void {
    this.failure = error;
    this.emitError(error);
  }

  private stopWatching(): void {
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    this.popup = null;
    this.popupState = null;
    this.closeRequested = false;
    this.connecting = false;
  }

  private readonly handleRetry = () => {
    const session = this.sessionController.session;
    if (!this.failure && session?.status === 'error') {
      void session.refresh();
      return;
    }
    this.failure = null;
    this.connect();
  };
}
