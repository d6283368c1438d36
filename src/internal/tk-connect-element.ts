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
  @state() protected failure: TkError | null = null;
  @state() protected announcement = '';
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

  /** The texts that name the provider, in the nearest `lang`. */
  protected abstract texts(): TkConnectTexts;

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
    // Opened blank now, while the click's user activation lasts; the round trip sends it on.
    const popup = this.mode === 'popup' ? window.open('about:blank', '_blank', 'popup,width=500,height=700') : null;
    if (popup) {
      this.connecting = true;
      this.announcement = this.texts().connecting;
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
      ([{ ConnectRoundTrip }]) =>
        new ConnectRoundTrip(this, {
          provider: this.provider,
          session: () => this.sessionController.session,
          report: (outcome) => this.report(outcome),
          options: this.roundTripOptions,
        }),
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

  /** What the round trip reported. */
  protected report(outcome: ConnectOutcome): void {
    const t = this.locale.strings;
    if (outcome.kind === 'still-waiting') {
      this.announcement = t.stillWaiting;
      return;
    }
    this.connecting = false;
    if (outcome.kind === 'blocked') {
      // Say why the page is about to leave, then the round trip goes the redirect way.
      this.announcement = this.errorMessage('popup-blocked');
      this.emitError(new TkError('popup-blocked'));
    } else if (outcome.kind === 'cancelled') {
      this.announcement = t.cancelled;
      this.dispatchEvent(new TkCancelEvent());
    } else if (outcome.kind === 'failed') this.fail(outcome.error);
    else if (outcome.kind === 'session-failed') this.emitError(outcome.error);
    else {
      this.announcement = t.connectedAs(outcome.email);
      this.focusQuestion = this.pendingAccount() !== null;
      this.dispatchEvent(new TkConnectedEvent({ email: outcome.email, resourceId: outcome.resourceId, provider: this.provider }));
    }
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
      <button type="button" part="button" ?disabled=${!canConnect} @click=${this.handleClick} aria-describedby=${note === nothing ? nothing : 'note'}>
        ${this.buttonContent(this.ownAccounts().length > 0 ? texts.connectAnother : texts.connect)}
      </button>
      ${note}
      ${pending ? this.question?.render(pending.email, session!.account!.email) : nothing}
      ${state === 'signed-out' ? html`<slot name="signed-out"></slot>` : nothing}
      ${state === 'error' && error ? this.renderErrorBlock(error, this.handleRetry) : nothing}
      <div part="status" role="status" class=${state === 'loading' ? '' : 'visually-hidden'}>
        ${state === 'loading' ? t.loading : this.announcement}
      </div>
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

  /** What the element says under the button (nothing by default); when it says something, its element has the id `note` and describes the button. */
  protected renderNote(): TemplateResult | typeof nothing {
    return nothing;
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

  private handleRetry(): void {
    if (!this.failure && this.retrySession()) return;
    this.failure = null;
    this.connect();
  }
}
