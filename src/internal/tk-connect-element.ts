/**
 * The base of `<tk-google-connect>` and `<tk-microsoft-connect>`: the button, the account list,
 * states and events. The round trip itself (`connect-round-trip.ts`) is a lazy chunk, loaded
 * after the click or when the URL carries a redirect outcome.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { TkElement, type TkViewState } from './tk-element.js';
import { TkCancelEvent, TkConnectEvent, TkConnectedEvent, type TkConnectProvider } from '../events/connect.js';
import { TkError } from '../session/errors.js';
import { TK_CONNECT_RESULT_PARAM } from '../shared/companion-protocol.js';
import { sharedStyles } from '../styles/shared.styles.js';
import { connectStyles } from './connect.styles.js';
import type { ConnectOutcome, ConnectRoundTrip, ConnectRoundTripOptions } from './connect-round-trip.js';

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

  @state() protected connecting = false;
  @state() protected failure: TkError | null = null;
  @state() protected announcement = '';

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
    if (new URLSearchParams(location.search).has(TK_CONNECT_RESULT_PARAM)) void this.loadRoundTrip().catch(() => {});
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
      this.fail(new TkError('forbidden', `tk-${this.provider}-connect: the session's endpoint is not an http or https URL`));
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
    this.roundTrip ??= import('./connect-round-trip.js').then(
      ({ ConnectRoundTrip }) =>
        new ConnectRoundTrip(this, {
          provider: this.provider,
          session: () => this.sessionController.session,
          report: (outcome) => this.report(outcome),
          options: this.roundTripOptions,
        }),
    );
    return this.roundTrip;
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
      this.announcement = t.errors['popup-blocked'];
      this.emitError(new TkError('popup-blocked'));
    } else if (outcome.kind === 'cancelled') {
      this.announcement = t.cancelled;
      this.dispatchEvent(new TkCancelEvent());
    } else if (outcome.kind === 'failed') this.fail(outcome.error);
    else void this.finishConnected(outcome.email);
  }

  protected get viewState(): TkViewState {
    const session = this.sessionController.session;
    const status = this.sessionController.status;
    if (status === 'error' || this.failure) return 'error';
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
    const accounts = state === 'content' || state === 'error' ? this.accounts() : [];
    const canConnect = Boolean(this.sessionController.session?.endpoint) && state !== 'loading' && !this.disabled && !this.connecting;
    const error = this.failure ?? (this.sessionController.status === 'error' ? this.sessionController.session?.error : null);
    return html`<div part="base" aria-busy=${state === 'loading' ? 'true' : 'false'}>
      ${accounts.length > 0
        ? html`<ul part="accounts" aria-label=${t.connectedAccounts}>
            ${accounts.map((account) => html`<li part="account">${t.providers[account.provider]}: ${account.provider_id}</li>`)}
          </ul>`
        : nothing}
      <button type="button" part="button" ?disabled=${!canConnect} @click=${this.handleClick} aria-describedby=${this.describedBy() ?? nothing}>
        ${this.buttonContent(this.ownAccounts().length > 0 ? texts.connectAnother : texts.connect)}
      </button>
      ${this.renderNote(state)}
      ${state === 'signed-out' ? html`<slot name="signed-out"></slot>` : nothing}
      ${error
        ? html`<div part="error" role="alert">
            <slot name="error">${this.errorMessage(error.code)}</slot>
            <button type="button" part="retry-button" @click=${this.handleRetry}>${t.retry}</button>
          </div>`
        : nothing}
      <div part="status" role="status" class=${state === 'loading' ? '' : 'visually-hidden'}>
        ${state === 'loading' ? t.loading : this.announcement}
      </div>
    </div>`;
  }

  /** The id of the text that describes the button, if the element shows one. */
  protected describedBy(): string | undefined {
    return undefined;
  }

  /** What the element says next to the button (nothing by default). */
  protected renderNote(_state: TkViewState): TemplateResult | typeof nothing {
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

  /** Refreshes the session (the pickers reload by themselves) and fires `tk-connected`. */
  private async finishConnected(email: string | null): Promise<void> {
    const session = this.sessionController.session;
    if (!session) return;
    if (email !== null) await session.refresh({ reload: true });
    const account = session.account;
    if (session.status !== 'ready' || !account) {
      // The session's own error shows until it recovers, and the retry button asks the companion
      // again (the provider has the account already); anything else is this connect's failure.
      if (session.status === 'error') this.emitError(session.error!);
      else this.fail(new TkError('unauthorized'));
      return;
    }
    const connectedEmail = email ?? this.ownAccounts().at(-1)?.provider_id ?? account.email;
    this.announcement = this.locale.strings.connectedAs(connectedEmail);
    this.dispatchEvent(new TkConnectedEvent({ email: connectedEmail, resourceId: account.resourceId, provider: this.provider }));
  }

  protected fail(error: TkError): void {
    this.failure = error;
    this.emitError(error);
  }

  private readonly handleClick = () => this.connect();

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
