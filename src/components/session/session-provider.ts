/**
 * `<tk-session>`: the provider element for HTML-only pages. It creates one TkSession from its
 * `endpoint` or `fetchCredentials` (unless given one), provides it through context to the
 * elements inside it, and reports the session's status as `tk-session-change`. App code can use
 * `provideTkSession()` instead.
 */
import { LitElement, css, html, isServer, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ContextProvider } from '@lit/context';
import { TkSessionChangeEvent } from '../../events/session-change.js';
import { TkSession, type TkCredentialsFetcher } from '../../session/session-service.js';
import { tkSessionContext } from '../../session/session-context.js';

/**
 * Provides one {@link TkSession} to every tk element inside it, including elements in shadow
 * roots below it and elements that upgrade later. Renders its children unchanged.
 *
 * @summary The session provider for HTML pages.
 * @tagname tk-session
 * @slot - The elements that use the session (and anything else).
 * @fires {TkSessionChangeEvent} tk-session-change - The session became `signed-out`, `ready` or `error` (then `code`, `message` and `companionCode` say why).
 */
export class TkSessionElement extends LitElement {
  static override styles = css`
    :host {
      display: contents;
    }
  `;

  /** The companion's base URL (`endpoint` attribute); the session posts to `<endpoint>/session`. */
  @property() endpoint?: string;

  /** The host's own credential source, used instead of `endpoint`. */
  @property({ attribute: false }) fetchCredentials?: TkCredentialsFetcher;

  /** The session provided to descendants; created from `endpoint` or `fetchCredentials` unless set. */
  @property({ attribute: false }) session?: TkSession;

  private readonly provider = new ContextProvider(this, { context: tkSessionContext });
  /** The session this element created from its attributes (replaced when they change). */
  private ownSession?: TkSession;
  /** The session whose `change` events this element listens to. */
  private wired?: TkSession;
  private reported: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.session?.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.session?.stop();
  }

  /** The session follows `endpoint` and `fetchCredentials` unless the page set one of its own. */
  protected override willUpdate(changed: PropertyValues<this>): void {
    // Server rendering: the session lives in the browser, which creates it when it hydrates.
    if (isServer) return;
    const sourceChanged = changed.has('endpoint') || changed.has('fetchCredentials');
    if (sourceChanged && (this.endpoint || this.fetchCredentials) && (!this.session || this.session === this.ownSession)) {
      this.ownSession = this.session = new TkSession({ endpoint: this.endpoint, fetchCredentials: this.fetchCredentials });
    }
  }

  /** A new session: the old one stops, the new one is provided, listened to, reported and started. */
  protected override updated(): void {
    if (this.session !== this.wired) {
      this.wired?.removeEventListener('change', this.handleChange);
      this.wired?.stop();
      this.wired = this.session;
      this.session?.addEventListener('change', this.handleChange);
      this.provider.setValue(this.session);
      this.reported = undefined;
      this.handleChange();
      if (this.isConnected) void this.session?.start();
    }
  }

  protected override render() {
    return html`<slot></slot>`;
  }

  private readonly handleChange = (): void => {
    const status = this.session?.status;
    if ((status === 'signed-out' || status === 'ready' || status === 'error') && status !== this.reported) {
      this.reported = status;
      const error = status === 'error' ? this.session?.error : null;
      this.dispatchEvent(
        new TkSessionChangeEvent(
          error ? { status, code: error.code, message: error.message, ...(error.companionCode && { companionCode: error.companionCode }) } : { status },
        ),
      );
    } else if (status === 'loading') {
      this.reported = undefined;
    }
  };
}
