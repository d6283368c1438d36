/**
 * The base of `<tk-google-connect>` and `<tk-microsoft-connect>`: the button, the account list,
 * states and events. The round trip itself (`connect-round-trip.ts`) is a lazy chunk, loaded
 * after the click or when the URL carries a redirect outcome.
 */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { TkElement, type TkViewState } from './tk-element.js';
import { TkCancelEvent, TkConnectEvent, TkConnectedEvent, type TkConnectProvider } from '../events/connect.js';
import { TkError } from '../session/errors.js';
import { TK_CONNECT_RESULT_PARAM } from '../shared/companion-protocol.js';
import { sharedStyles } from '../styles/shared.styles.js';
import { connectStyles } from './connect.styles.js';
import type { ConnectOutcome, ConnectRoundTrip, ConnectRoundTripOptions } from './connect-round-trip.js';
import type { PendingQuestion } from './connect-question.js';
import type { TkStrings } from '../i18n/en.js';
import { closestLang } from '../i18n/locale.js';
import type { TkQuestionStrings } from '../i18n/question-en.js';

/** Whether `url` is a web address: the page navigates to the start URL, and a `javascript:` one would run in it. */
function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The element that has focus, inside shadow roots too; `null` when nothing (or only the page) has it. */
function focusedElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement && active !== document.body ? active : null;
}

/** The texts that name the provider: the button and the wait. */
export interface TkConnectTexts {
  connect: string;
  connectAnother: string;
  connecting: string;
}

/**
 * What both connect elements share. Subclasses name their provider, their texts and their button's
 * content. Not API.
 * @internal
 */
export abstract class TkConnectElement extends TkElement {
  static override styles = [sharedStyles, connectStyles];
  static override shadowRootOptions: ShadowRootInit = { ...TkElement.shadowRootOptions, delegatesFocus: true };

  /** `popup` (default) or `redirect` (`mode` attribute): how to reach the provider's consent. */
  @property() mode: 'popup' | 'redirect' = 'popup';

  /** Disables the button (`disabled` attribute). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Overrides for some of the element's strings (see `TkStrings` and `TkQuestionStrings`). */
  declare strings?: Partial<TkStrings & TkQuestionStrings>;

  @state() protected connecting = false;
  /** No outcome after the round trip's `hintMs`: the wait says the window may show an error. */
  @state() private hinted = false;
  @state() protected failure: TkError | null = null;
  /** What the live region says without showing it (the account list shows a connect). */
  @state() protected announcement = '';
  /** What the live region says and shows for a while (`noticeMs`): cancelled, the window closed, the popup blocked. */
  @state() protected notice = '';
  /**
   * How long a notice stays.
   * @internal Shortened in tests.
   */
  protected noticeMs = 8_000;
  private noticeTimer: ReturnType<typeof setTimeout> | undefined;
  /** Where focus was when the round trip started: it goes back there afterwards. */
  private focusBefore: HTMLElement | null = null;
  /** The pending-account question, loaded when there is one to ask. */
  private question?: PendingQuestion;
  private questionLoading = false;
  /** This element's own connect made the question: it takes focus once shown. */
  private focusQuestion = false;

  /** The provider this element connects (its companion path is `<endpoint>/<provider>/start`). */
  protected abstract readonly provider: TkConnectProvider;

  /**
   * The round trip's waits and navigation.
   * @internal Shortened and recorded in tests.
   */
  protected roundTripOptions: Partial<ConnectRoundTripOptions> = {};
  private roundTrip?: Promise<ConnectRoundTrip>;
  /** The round trip once its chunk is here (with the wait's styles): Show window and Cancel show then. */
  private trip?: ConnectRoundTrip;

  /** The texts that name the provider, in the nearest `lang`. */
  protected abstract texts(): TkConnectTexts;

  /** The button's text: "Try again" after a failed connect (its one retry), else connect or connect another. */
  protected buttonText(): string {
    const texts = this.texts();
    if (this.failure && this.offersRetry(this.failure.code)) return this.locale.strings.retry;
    return this.ownAccounts().length > 0 ? texts.connectAnother : texts.connect;
  }

  /** The button's content (the provider's mark and the text). */
  protected buttonContent(text: string): TemplateResult | string {
    return text;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Only a page that came back from a redirect round trip loads the round trip for it.
    if (location.search.includes(`${TK_CONNECT_RESULT_PARAM}=`)) void this.loadRoundTrip().catch(() => {});
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connecting = false;
    clearTimeout(this.noticeTimer);
  }

  /** Starts the connect round trip, as a click on the button does. */
  connect(): void {
    const endpoint = this.sessionController.session?.endpoint;
    if (!endpoint || this.disabled || this.connecting) return;
    // TkSession refuses such an endpoint already; a session object made elsewhere may not. Checked
    // here, before anything opens: the popup must open within the click.
    if (!isWebUrl(endpoint)) {
      this.fail(new TkError('forbidden'));
      return;
    }
    if (!this.dispatchEvent(new TkConnectEvent())) return;
    this.failure = null;
    this.announcement = '';
    this.showNotice('');
    this.focusBefore = focusedElement();
    // Opened blank now, while the click's user activation lasts; the round trip sends it on.
    const popup = this.mode === 'popup' ? window.open('about:blank', '_blank', 'popup,width=500,height=700') : null;
    if (popup) {
      this.connecting = true;
      this.hinted = false;
    }
    this.loadRoundTrip().then(
      (trip) => trip.start(endpoint, popup, this.mode),
      () => {
        popup?.close();
        this.report({ kind: 'failed', error: new TkError('network') });
      },
    );
  }

  private loadRoundTrip(): Promise<ConnectRoundTrip> {
    // with the texts of the errors the round trip may end in
    this.roundTrip ??= Promise.all([import('./connect-round-trip.js'), this.loadErrorTexts()]).then(
      ([{ ConnectRoundTrip }]) => {
        this.trip = new ConnectRoundTrip(this, {
          provider: this.provider,
          session: () => this.sessionController.session,
          report: (outcome) => this.report(outcome),
          options: this.roundTripOptions,
        });
        this.requestUpdate();
        return this.trip;
      },
    );
    return this.roundTrip;
  }

  /** Once the session has a pending account for this element, loads the question (a lazy chunk) and renders again. */
  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.pendingAccount() || this.question || this.questionLoading) return;
    this.questionLoading = true;
    void import('./connect-question.js').then(({ PendingQuestion }) => {
      this.question = new PendingQuestion(this, {
        session: () => this.sessionController.session,
        strings: () => this.locale.strings,
        errorMessage: (code) => this.errorMessage(code),
        lang: () => closestLang(this),
        takeFocus: () => {
          const focus = this.focusQuestion;
          this.focusQuestion = false;
          return focus;
        },
      });
      this.requestUpdate();
    }, () => (this.questionLoading = false));
  }

  /** Closes the popup and ends the round trip (`tk-cancel`), as Escape does. */
  cancel(): void {
    if (this.connecting) void this.roundTrip?.then((trip) => trip.cancel());
  }

  /** What the round trip reported. */
  protected report(outcome: ConnectOutcome): void {
    const t = this.locale.strings;
    if (outcome.kind === 'still-waiting') {
      this.hinted = true;
      return;
    }
    this.connecting = false;
    this.hinted = false;
    if (outcome.kind === 'blocked') {
      // Say why the page is about to leave, then the round trip goes the redirect way.
      this.showNotice(this.errorMessage('popup-blocked'));
      this.emitError(new TkError('popup-blocked'));
      return;
    }
    if (outcome.kind === 'cancelled') {
      this.showNotice(outcome.reason === 'gone' ? t.windowClosed : outcome.reason === 'left-open' ? t.cancelledLeftOpen : t.cancelled);
      this.dispatchEvent(new TkCancelEvent());
    } else if (outcome.kind === 'failed') this.fail(outcome.error);
    else if (outcome.kind === 'session-failed') this.emitError(outcome.error);
    else {
      this.announcement = t.connectedAs(outcome.email);
      this.focusQuestion = this.pendingAccount() !== null;
      this.dispatchEvent(new TkConnectedEvent({ email: outcome.email, resourceId: outcome.resourceId, provider: this.provider }));
    }
    void this.returnFocus();
  }

  /** Shows and announces `text` for `noticeMs`; `''` clears it. */
  protected showNotice(text: string): void {
    clearTimeout(this.noticeTimer);
    this.notice = text;
    if (text) this.noticeTimer = setTimeout(() => (this.notice = ''), this.noticeMs);
  }

  /**
   * After the round trip, focus goes back to where it was when it started (or to the button),
   * unless the host moved it meanwhile: only focus that was lost (on the page's body, or on a
   * control of this element that is gone) is put back.
   */
  private async returnFocus(): Promise<void> {
    await this.updateComplete;
    const before = this.focusBefore;
    this.focusBefore = null;
    // The question takes focus itself once it shows.
    if (this.focusQuestion) return;
    if (focusedElement()) return;
    if (before?.isConnected) before.focus();
    if (!focusedElement()) this.renderRoot.querySelector<HTMLElement>('[part~="button"]')?.focus();
  }

  /**
   * Differs from the usual precedence: the button can fail while signed out, so an error wins
   * over everything, and loading over signed out (the session does not know yet).
   */
  protected override get viewState(): TkViewState {
    const session = this.sessionController.session;
    const status = this.sessionController.status;
    if (status === 'error' || this.failure) return this.errorState();
    if (status === 'idle' || status === 'loading') return 'loading';
    if (!session || status === 'signed-out' || status === 'none') return 'signed-out';
    return this.accounts().length > 0 ? 'content' : 'empty';
  }

  protected override customStates(): string[] {
    return [this.viewState, ...(this.connecting ? ['connecting'] : [])];
  }

  protected override render() {
    const t = this.locale.strings;
    const texts = this.texts();
    const state = this.viewState;
    const session = this.sessionController.session;
    // Its own provider's accounts only: a page with both connect elements lists each account once.
    const accounts = state === 'content' || state === 'error' ? this.ownAccounts() : [];
    const pending = this.pendingAccount();
    const note = this.renderNote();
    const canConnect = Boolean(this.sessionController.session?.endpoint) && state !== 'loading' && !this.disabled && !this.connecting;
    const error = this.failure ?? (this.sessionController.status === 'error' ? this.sessionController.session?.error : null);
    const showsError = state === 'error' && error;
    // After a failed connect the button itself is the retry, described by the error.
    const describedBy = [...this.noteIds(), ...(showsError && this.failure ? ['error'] : [])].join(' ');
    // Once an account is connected, connecting another is the secondary action, not the page's main one.
    const another = this.ownAccounts().length > 0 && !this.failure;
    return html`<div part="base" aria-busy=${state === 'loading' ? 'true' : 'false'}>
      ${accounts.length > 0
        ? html`<ul part="accounts" aria-label=${`${t.connectedAccounts}: ${t.providers[this.provider]}`}>
            ${accounts.map((account) => {
              const status = session!.accountStatus(account);
              return html`<li part="account">
                ${t.providers[account.provider]}: ${account.provider_id} <span part="account-status">${t.accountStatus[status]}</span>
                ${status === 'disconnected' && account.provider === this.provider
                  ? html`<button type="button" part="reconnect-button" aria-label=${t.reconnectAccount(account.provider_id)} ?disabled=${!canConnect} @click=${this.handleClick}>
                      ${t.reconnect}
                    </button>`
                  : nothing}
              </li>`;
            })}
          </ul>`
        : nothing}
      <button
        type="button"
        part="button"
        class=${another ? 'another' : ''}
        ?disabled=${!canConnect}
        @click=${this.handleClick}
        aria-describedby=${describedBy || nothing}
      >
        ${this.buttonContent(this.buttonText())}
      </button>
      ${note}
      <div part="status" role="status" class=${state === 'loading' || this.connecting || this.notice ? '' : 'visually-hidden'}>
        ${this.connecting
          ? html`<span part="progress" aria-hidden="true"></span>${texts.connecting}${this.hinted ? html` <span part="wait-hint">${t.stillWaiting}</span>` : nothing}`
          : state === 'loading'
            ? t.loading
            : this.notice || this.announcement}
      </div>
      ${this.connecting && this.trip
        ? html`<div part="waiting">
            <button type="button" part="show-window-button" @click=${this.handleShowWindow}>${t.showWindow}</button>
            <button type="button" part="cancel-button" @click=${this.cancel}>${t.cancel}</button>
          </div>`
        : nothing}
      ${pending ? this.question?.render(pending.email, session!.account!.email) : nothing}
      ${state === 'signed-out' ? html`<slot name="signed-out"></slot>` : nothing}
      ${showsError ? this.renderErrorBlock(error, this.failure ? undefined : this.handleRetry) : nothing}
    </div>`;
  }

  /**
   * The second account Timekit put on a new resource, when this element is the one to ask: the
   * element of its provider (`<tk-google-connect>` for a plain resource), so a page asks once.
   */
  private pendingAccount() {
    const pending = this.sessionController.session?.account?.pendingAccount;
    return pending && (pending.provider ?? 'google') === this.provider ? pending : null;
  }

  /** What the element says under the button (nothing by default); see `noteIds`. */
  protected renderNote(): TemplateResult | typeof nothing {
    return nothing;
  }

  /** The ids of the note's elements that describe the button. */
  protected noteIds(): string[] {
    return [];
  }

  /** Every calendar account of the resource, whichever provider. */
  protected accounts() {
    return this.sessionController.session?.account?.accounts ?? [];
  }

  /** This element's provider's accounts. */
  protected ownAccounts() {
    return this.accounts().filter((a) => a.provider === this.provider);
  }

  protected fail(error: TkError): void {
    this.failure = error;
    this.emitError(error);
  }

  private handleClick(): void {
    this.connect();
  }

  private handleShowWindow(): void {
    this.trip?.showWindow();
  }

  /** A failed session load asks the session again (a failed connect retries with the button). */
  private handleRetry(): void {
    if (!this.retrySession()) this.connect();
  }

}
