/**
 * The connect round trip of `<tk-google-connect>` and `<tk-microsoft-connect>`: the popup (or the
 * redirect) to `<endpoint>/<provider>/start` and back, with every check on the way. A lazy chunk:
 * the element opens the popup blank in the click itself (user activation), then loads this module
 * and hands the popup over; a redirect outcome in the URL also loads it, and nothing else does.
 */
import type { LitElement, ReactiveController, ReactiveControllerHost } from 'lit';
import { TkError, codeForCompanionError } from '../session/errors.js';
import type { TkSession } from '../session/session-service.js';
import { TK_CONNECT_RESULT_FRAME, TK_CONNECT_RESULT_PARAM, TK_CONNECT_STATE_PARAM, type TkConnectMessage, type TkConnectPing } from '../shared/companion-protocol.js';
import type { TkConnectProvider } from '../events/connect.js';

/** How often to look whether the user closed the popup (there is no event for it), and to ping it. */
const CLOSED_POLL_MS = 300;
const PING: TkConnectPing = { source: 'tk-elements', type: 'connect-ping' };

/**
 * Where a redirect round trip keeps its one-time state while the page is away: one key per
 * provider, so a Microsoft element never takes the outcome of Google's round trip, nor the reverse.
 */
const STATE_KEY_PREFIX = 'tk-connect-state-';
export const redirectStateKey = (provider: TkConnectProvider) => `${STATE_KEY_PREFIX}${provider}`;

/** A one-time random state: 128 random bits, as four decimal numbers joined by `-` (base64url-safe). */
const newState = () => crypto.getRandomValues(new Uint32Array(4)).join('-');

/**
 * Whether the popup shows the companion's result page, the one page a ping is for: it has a frame
 * named TK_CONNECT_RESULT_FRAME, which this page can see even when it cannot read the popup's
 * location (another origin). A ping to any other page (Timekit's, the provider's) would be dropped
 * with a console warning about the target origin, at each poll.
 */
function showsResultPage(popup: Window): boolean {
  try {
    return (popup as unknown as Record<string, unknown>)[TK_CONNECT_RESULT_FRAME] !== undefined;
  } catch {
    return false; // mid-navigation, or an engine that refuses the name across origins
  }
}

function isConnectMessage(data: unknown): data is TkConnectMessage {
  const d = data as Partial<Record<string, unknown>> | null;
  if (typeof d !== 'object' || d === null || d.source !== 'tk-companion' || d.type !== 'connect') return false;
  return d.ok === true ? typeof d.email === 'string' : d.ok === false && typeof d.code === 'string';
}

/**
 * The wait's own styles, adopted by the element with this chunk (a page that never connects never
 * loads them): the ring in the status turns (and stands still under reduced motion), the hint
 * goes on a line of its own, Show window and Cancel sit in a row. A constructed sheet, as Lit's
 * own are (no CSP nonce needed), and a plain string: Lit's css tag (or its html) imported from a
 * lazy chunk makes the CDN build split Lit or add a chunk of its own.
 */
const WAIT_CSS = `
[part~='status'] { max-inline-size: 40em; }
[part~='wait-hint'] { display: block; margin-block-start: 0.25em; }
[part~='waiting'] { display: flex; flex-wrap: wrap; gap: 0.5em; }
[part~='progress'] {
  display: inline-block; vertical-align: -0.15em; inline-size: 1em; block-size: 1em; margin-inline-end: 0.5em;
  border: 2px solid color-mix(in srgb, currentColor 25%, transparent); border-block-start-color: var(--tk-accent, currentColor);
  border-radius: 50%; animation: tk-spin 0.9s linear infinite;
}
@keyframes tk-spin { to { transform: rotate(1turn); } }
@media (prefers-reduced-motion: reduce) { [part~='progress'] { animation: none; } }
`;
let waitSheet: CSSStyleSheet | undefined;

/** Adds the wait's styles to an element's shadow root (where the engine adopts sheets: elsewhere the wait shows unstyled). */
function adoptWaitStyles(root: ShadowRoot): void {
  if (!('adoptedStyleSheets' in root) || !('replaceSync' in CSSStyleSheet.prototype)) return;
  if (!waitSheet) {
    waitSheet = new CSSStyleSheet();
    waitSheet.replaceSync(WAIT_CSS);
  }
  if (!root.adoptedStyleSheets.includes(waitSheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, waitSheet];
}

/** What the round trip tells its element. */
export type ConnectOutcome =
  /** Connected, and the session refreshed to show it. */
  | { kind: 'connected'; email: string; resourceId: string }
  | { kind: 'failed'; error: TkError }
  /** Connected, but the session could not be refreshed: its own error shows, and its retry asks the companion again. */
  | { kind: 'session-failed'; error: TkError }
  /**
   * The popup closed without an outcome: by Cancel or Escape (`cancel`), by the user (`closed`), or
   * it was already gone when Show window looked for it (`gone`); or Cancel could not close it
   * (`left-open`: it shows another origin's page, see `cancel()`).
   */
  | { kind: 'cancelled'; reason: 'cancel' | 'closed' | 'gone' | 'left-open' }
  /** No outcome after `hintMs`: the popup may show an error page. */
  | { kind: 'still-waiting' }
  /** The popup was blocked: the page goes the redirect way next. */
  | { kind: 'blocked' };

export interface ConnectRoundTripOptions {
  /**
   * After this long without an outcome the element says the window may show an error (and the
   * console says what to check); after `timeoutMs`, when the companion's link has expired and no
   * outcome can come any more, the connect fails with `connect-timeout`.
   */
  hintMs: number;
  timeoutMs: number;
  /** Sends the whole page to `url` (tests record it instead, as they cannot let the page leave). */
  navigate: (url: string) => void;
}

const DEFAULT_OPTIONS: ConnectRoundTripOptions = {
  hintMs: 30_000,
  timeoutMs: 10 * 60_000,
  navigate: (url) => location.assign(url),
};

export interface ConnectRoundTripInit {
  provider: TkConnectProvider;
  /** The session in effect now (its endpoint is the companion's, and its status says when to report a redirect outcome). */
  session: () => TkSession | undefined;
  report: (outcome: ConnectOutcome) => void;
  options?: Partial<ConnectRoundTripOptions>;
}

/**
 * One element's round trip: opens nothing itself (the element opens the popup in the click), sends
 * the popup to the companion, pings it, accepts the outcome only from that popup, the companion's
 * origin and with this round trip's state, and reports it; or, in redirect mode, keeps the state
 * in `sessionStorage` and takes the outcome back from the URL.
 */
export class ConnectRoundTrip implements ReactiveController {
  private readonly host: ReactiveControllerHost & HTMLElement;
  private readonly init: ConnectRoundTripInit;
  private readonly options: ConnectRoundTripOptions;
  private popup: Window | null = null;
  /** The one-time state of the popup round trip in flight; its outcome must echo it. */
  private popupState: string | null = null;
  private pollTimer: ReturnType<typeof setInterval> | undefined;
  /** Cancel or Escape asked the popup to close; asked once more at the next poll, as WebKit drops a close() mid-navigation. */
  private closeRequested = false;
  /** Polls since Cancel asked the popup to close while it stayed open. */
  private closeAttempts = 0;
  /**
   * Cancel could not close the popup and the round trip was reported cancelled: only a result that
   * still comes from the window (the provider answered there after all) is taken now.
   */
  private cancelledOpen = false;
  /** Show window found the popup closed: the cancel that follows says so. */
  private windowGone = false;
  /** The outcome a redirect round trip brought back in the URL, reported once the session is ready. */
  private redirectResult: string | null = null;

  constructor(host: ReactiveControllerHost & HTMLElement, init: ConnectRoundTripInit) {
    this.host = host;
    this.init = init;
    this.options = { ...DEFAULT_OPTIONS, ...init.options };
    host.addController(this);
    const root = (host as unknown as LitElement).renderRoot;
    if (root instanceof ShadowRoot) adoptWaitStyles(root);
    this.takeRedirectResult();
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.handleKeydown);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.handleKeydown);
    this.stopWatching();
  }

  /** Reports a redirect outcome once the session has settled: the element renders it in this same update. */
  hostUpdate(): void {
    const status = this.init.session()?.status;
    if (this.redirectResult === null || !(status === 'ready' || status === 'signed-out' || status === 'error')) return;
    const result = this.redirectResult;
    this.redirectResult = null;
    if (result === 'ok') void this.connected(null);
    else this.init.report({ kind: 'failed', error: new TkError(codeForCompanionError(result, 0)) });
  }

  /**
   * Starts the round trip to `endpoint` (an http(s) URL, checked by the element before it opened
   * anything): in `popup`, opened blank by the element, or by redirect when there is none.
   */
  start(endpoint: string, popup: Window | null, mode: 'popup' | 'redirect'): void {
    if (!popup) {
      if (mode === 'popup') this.init.report({ kind: 'blocked' });
      this.redirect(endpoint);
      return;
    }
    // Opened blank (a new window every time, so it is same-origin now and no page can target it
    // by name), disowned, then sent on: no page on the way (Timekit, the provider, whatever they
    // redirect to) gets an opener to navigate this page with. The handle stays, to ping the
    // result page and to see the window closed; `noopener` would leave neither.
    this.stopWatching(); // a window an earlier Cancel could not close is left to the user
    const state = newState();
    popup.opener = null;
    popup.location.href = this.startUrl(endpoint, state);
    this.popup = popup;
    this.popupState = state;
    window.addEventListener('message', this.handleMessage);
    const companionOrigin = new URL(endpoint).origin;
    const started = Date.now();
    let hinted = false;
    this.pollTimer = setInterval(() => {
      const waited = Date.now() - started;
      // A result message is posted before the page closes itself: give it a moment to arrive.
      if (popup.closed) {
        if (this.cancelledOpen) {
          this.stopWatching(); // reported when Cancel could not close it
          return;
        }
        const reason = this.closeRequested ? 'cancel' : this.windowGone ? 'gone' : 'closed';
        setTimeout(() => this.popup === popup && this.finish({ kind: 'cancelled', reason }), CLOSED_POLL_MS);
      } else if (this.closeRequested && !this.cancelledOpen) {
        // A page that disowned its popup may not close it while it shows another origin's page
        // (the provider's sign-in), in any engine: after one more try the wait ends all the same.
        if (this.closeAttempts++ === 0) popup.close();
        else {
          this.cancelledOpen = true;
          this.init.report({ kind: 'cancelled', reason: 'left-open' });
        }
      } else if (waited > this.options.timeoutMs) {
        popup.close();
        if (this.cancelledOpen) this.stopWatching();
        else this.finish({ kind: 'failed', error: new TkError('connect-timeout') });
      } else {
        if (showsResultPage(popup)) popup.postMessage(PING, companionOrigin);
        if (waited > this.options.hintMs && !hinted && !this.cancelledOpen) {
          hinted = true;
          this.init.report({ kind: 'still-waiting' });
          console.warn(`tk-${this.init.provider}-connect: no outcome from ${endpoint}/${this.init.provider}/start yet. Behind a proxy, check the companion's basePath and publicUrl`);
        }
      }
    }, CLOSED_POLL_MS);
  }

  /** `<endpoint>/<provider>/start` with the state, the endpoint as this page reaches it, and `return_to` for a redirect. */
  private startUrl(endpoint: string, state: string, returnTo?: string): string {
    return `${endpoint}/${this.init.provider}/start?${new URLSearchParams({ state, endpoint, ...(returnTo && { return_to: returnTo }) })}`;
  }

  private redirect(endpoint: string): void {
    const back = new URL(location.href);
    back.searchParams.delete(TK_CONNECT_RESULT_PARAM);
    back.searchParams.delete(TK_CONNECT_STATE_PARAM);
    const state = newState();
    try {
      sessionStorage.setItem(redirectStateKey(this.init.provider), state);
    } catch {
      // Storage turned off: the outcome cannot be matched when the page comes back, so it will be
      // ignored; the connect itself still completes, and the session shows it.
    }
    this.options.navigate(this.startUrl(endpoint, state, back.href));
  }

  /**
   * Takes the outcome of a redirect round trip from the URL when it carries the state this tab
   * stored for this provider before leaving, and then removes it from the address bar. A link to
   * this page with `?tk_connect=ok` and no connect in flight fires nothing (and is cleaned up); an
   * outcome whose state another provider's element stored is left for that element.
   */
  private takeRedirectResult(): void {
    const url = new URL(location.href);
    const result = url.searchParams.get(TK_CONNECT_RESULT_PARAM);
    if (result === null) return;
    const state = url.searchParams.get(TK_CONNECT_STATE_PARAM);
    const ownKey = redirectStateKey(this.init.provider);
    let expected: string | null = null;
    let forAnotherProvider = false;
    try {
      expected = sessionStorage.getItem(ownKey);
      sessionStorage.removeItem(ownKey);
      for (let i = 0; i < sessionStorage.length; i++) {
        const key = sessionStorage.key(i)!;
        if (key !== ownKey && key.startsWith(STATE_KEY_PREFIX) && sessionStorage.getItem(key) === state) forAnotherProvider = true;
      }
    } catch {
      // storage turned off: nothing was stored, so nothing matches
    }
    if (forAnotherProvider) return;
    url.searchParams.delete(TK_CONNECT_RESULT_PARAM);
    url.searchParams.delete(TK_CONNECT_STATE_PARAM);
    history.replaceState(history.state, '', url.href);
    if (expected !== null && state === expected) {
      this.redirectResult = result;
      this.host.requestUpdate();
    }
  }

  /**
   * Closes the popup and ends the round trip as `cancelled` once it is closed (the next poll), so
   * a result posted just before still wins. A popup showing the provider's page may refuse to
   * close (this page disowned it); the round trip then ends as cancelled (`left-open`) all the same,
   * and takes a result that still comes from that window.
   */
  cancel(): void {
    if (!this.popup || this.cancelledOpen) return;
    this.closeRequested = true;
    this.popup.close();
  }

  /** Brings the popup forward; when it is gone, the round trip's next look ends it as cancelled (`gone`). */
  showWindow(): void {
    if (this.popup && !this.popup.closed) this.popup.focus();
    else this.windowGone = true;
  }

  private readonly handleKeydown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') this.cancel();
  };

  private readonly handleMessage = (event: MessageEvent) => {
    const popup = this.popup;
    const endpoint = this.init.session()?.endpoint;
    // Only the companion's page in our popup, with this round trip's state: anything else (a
    // page on another origin, a stale result) is not the outcome, so keep waiting.
    if (!popup || !endpoint || event.source !== popup || event.origin !== new URL(endpoint).origin) return;
    if (!isConnectMessage(event.data) || event.data.state !== this.popupState) return;
    const message = event.data;
    const cancelled = this.cancelledOpen;
    this.stopWatching();
    if (message.ok) void this.connected(message.email);
    else if (!cancelled) this.init.report({ kind: 'failed', error: new TkError(codeForCompanionError(message.code, 0)) });
  };

  private finish(outcome: ConnectOutcome): void {
    this.stopWatching();
    this.init.report(outcome);
  }

  /**
   * Refreshes the session (the pickers reload by themselves) and reports the account. After a
   * redirect (`email` null) the page has just loaded the session, which shows the new account.
   */
  private async connected(email: string | null): Promise<void> {
    const session = this.init.session();
    if (!session) return;
    if (email !== null) await session.refresh({ reload: true });
    // The page loaded with the new account: the pickers choose their defaults now.
    else session.noteConnect();
    const account = session.account;
    if (session.status !== 'ready' || !account) {
      // The session's own error shows until it recovers (the provider has the account already);
      // anything else is this connect's failure.
      this.init.report(session.status === 'error' ? { kind: 'session-failed', error: session.error! } : { kind: 'failed', error: new TkError('unauthorized') });
      return;
    }
    const latest = account.accounts.filter((a) => a.provider === this.init.provider).at(-1)?.provider_id;
    this.init.report({ kind: 'connected', email: email ?? latest ?? account.email, resourceId: account.resourceId });
  }

  private stopWatching(): void {
    clearInterval(this.pollTimer);
    window.removeEventListener('message', this.handleMessage);
    this.pollTimer = undefined;
    this.popup = null;
    this.popupState = null;
    this.closeRequested = false;
    this.closeAttempts = 0;
    this.cancelledOpen = false;
    this.windowGone = false;
  }
}
