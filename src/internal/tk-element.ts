/** The base class of every tk element: session, strings, custom states and `tk-error`. */
import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { TkErrorEvent } from '../events/error.js';
import { LocaleController } from '../i18n/locale-controller.js';
import { englishErrors, loadEnglishErrors } from '../i18n/error-texts.js';
import type { TkStrings } from '../i18n/locale.js';
import type { TkError, TkErrorCode } from '../session/errors.js';
import type { TkSession } from '../session/session-service.js';
import { SessionController } from '../session/session-controller.js';

/**
 * Errors only the site's developer can fix (the companion refuses the page's origin; the page may
 * not make the call; the companion names a relay the page cannot reach): asking again cannot help, so their block offers no retry and its text says
 * what to fix.
 */
const NEEDS_DEVELOPER: ReadonlySet<TkErrorCode> = new Set(['origin-mismatch', 'forbidden', 'misconfigured']);

/** The five states every element renders, mirrored as custom states (`:state(loading)` …). */
export type TkViewState = 'signed-out' | 'loading' | 'empty' | 'error' | 'content';

/**
 * What every tk element shares: the session (explicit `.session` or context), strings for the
 * nearest `lang`, custom states, the error block and `tk-error`. Not API.
 * @internal
 */
export abstract class TkElement extends LitElement {
  /** The session to use; when set it wins over the one from `<tk-session>` or `provideTkSession`. */
  @property({ attribute: false }) session?: TkSession;

  /** Overrides for some of the element's strings (see `TkStrings`). */
  @property({ attribute: false }) strings?: Partial<TkStrings>;

  protected readonly internals: ElementInternals;
  /** The session in effect (`.session` or the context's) and its status. */
  protected readonly sessionController = new SessionController(this);
  /** The strings in the nearest `lang`, with this element's overrides. */
  protected readonly locale = new LocaleController(this);
  private shownStates = new Set<string>();

  constructor() {
    super();
    this.internals = this.attachInternals();
  }

  /**
   * Which of the five states the element renders now. The usual precedence, which an element
   * documents where its own differs: signed out, then an error, then loading, then empty or
   * content.
   */
  protected abstract get viewState(): TkViewState;

  /** The custom states for what was just rendered: the view state plus flags such as `saving`. */
  protected customStates(): string[] {
    return [this.viewState];
  }

  /** Mirrors `customStates()` after each render, so `:state()` always matches the shadow DOM. */
  protected override updated(_changed: PropertyValues<this>): void {
    this.setStates(this.customStates());
  }

  private setStates(states: readonly string[]): void {
    const next = new Set(states);
    const set = this.internals.states;
    if (!set) return; // no CustomStateSet in this engine: parts still work
    for (const state of this.shownStates) if (!next.has(state)) set.delete(state);
    for (const state of next) if (!this.shownStates.has(state)) set.add(state);
    this.shownStates = next;
  }

  /**
   * The error block every element shows for a failed load: the message (the `error` slot replaces
   * it) and a retry button, unless only the developer can fix the error or there is no
   * `handleRetry` (an element whose own button retries). Its id, `error`, can describe that button.
   */
  protected renderErrorBlock(error: TkError, handleRetry?: () => void): TemplateResult {
    return html`<div part="error" id="error" role="alert">
      <slot name="error">${this.errorMessage(error.code)}</slot>
      ${handleRetry && this.offersRetry(error.code)
        ? html`<button type="button" part="retry-button" @click=${handleRetry}>${this.locale.strings.retry}</button>`
        : nothing}
    </div>`;
  }

  /** Whether asking again can help after an error with this code (not when only the developer can fix it). */
  protected offersRetry(code: TkErrorCode): boolean {
    return !NEEDS_DEVELOPER.has(code);
  }

  /** A retry after the session itself failed asks it again; false when the session is fine. */
  protected retrySession(): boolean {
    const session = this.sessionController.session;
    if (session?.status !== 'error') return false;
    void session.refresh();
    return true;
  }

  /**
   * The text for an error code, from the string table (an element may word some codes its own
   * way); `''` while the English texts are still on their way (see `loadErrorTexts`).
   */
  protected errorMessage(code: TkErrorCode): string {
    return this.locale.strings.errors?.[code] ?? englishErrors()?.[code] ?? '';
  }

  /** Fetches the error texts when the element's table has none (the English ones are a lazy chunk); undefined when they are at hand. */
  protected loadErrorTexts(): Promise<void> | undefined {
    return this.locale.strings.errors || englishErrors() ? undefined : loadEnglishErrors();
  }

  /** An error to show: the error state once its text is at hand; loading, and a render when it arrives, until then. */
  protected errorState(): 'error' | 'loading' {
    const loading = this.loadErrorTexts();
    if (!loading) return 'error';
    void loading.then(() => this.requestUpdate());
    return 'loading';
  }

  /** Fires `tk-error` with the message from the string table, never the server's text (once the texts are at hand). */
  protected emitError(error: TkError): void {
    const emit = () => this.dispatchEvent(new TkErrorEvent({ code: error.code, message: this.errorMessage(error.code), retryable: error.retryable }));
    const loading = this.loadErrorTexts();
    if (loading) void loading.then(emit);
    else emit();
  }
}
