import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import { TkErrorEvent } from '../events/error.js';
import { closestLang, stringsFor, type TkStrings } from '../i18n/locale.js';
import type { TkError } from '../session/errors.js';
import type { TkSession } from '../session/session-service.js';
import { SessionController } from '../session/session-controller.js';

/** Connected tk elements: a change of any `lang` in the document re-renders them. */
const connected = new Set<TkElement>();
let langObserver: MutationObserver | undefined;

/** The five states every element renders, mirrored as custom states (`:state(loading)` …). */
export type TkViewState = 'signed-out' | 'loading' | 'empty' | 'error' | 'content';

/**
 * What every tk element shares: the session (explicit `.session` or context), strings for the
 * nearest `lang`, custom states and `tk-error`. Not API.
 * @internal
 */
export class TkElement extends LitElement {
  /** The session to use; when set it wins over the one from `<tk-session>` or `provideTkSession`. */
  @property({ attribute: false }) session?: TkSession;

  /** Overrides for some of the element's strings (see `TkStrings`). */
  @property({ attribute: false }) strings?: Partial<TkStrings>;

  protected readonly internals: ElementInternals;
  protected readonly sessions = new SessionController(this);
  private shownStates = new Set<string>();
  /** The string table being fetched for this element's language, if any. */
  private awaitedStrings?: Promise<void>;

  constructor() {
    super();
    this.internals = this.attachInternals();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    connected.add(this);
    if (!langObserver) {
      // One observer for the whole page. It sees `lang` on the element and its light-DOM
      // ancestors; a `lang` set inside another component's shadow root needs `requestUpdate()`.
      langObserver = new MutationObserver(() => connected.forEach((element) => element.requestUpdate()));
      langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    connected.delete(this);
  }

  /** The strings in the nearest `lang`, with this element's overrides. */
  protected get t(): TkStrings {
    const { strings, ready } = stringsFor(closestLang(this), this.strings);
    if (ready && ready !== this.awaitedStrings) {
      this.awaitedStrings = ready;
      void ready.then(() => this.requestUpdate());
    }
    return strings;
  }

  /** Mirrors the rendered state (plus extra flags such as `saving`) into custom states. */
  protected setStates(...states: string[]): void {
    const next = new Set(states);
    const set = this.internals.states;
    if (!set) return; // no CustomStateSet in this engine: parts still work
    for (const state of this.shownStates) if (!next.has(state)) set.delete(state);
    for (const state of next) if (!this.shownStates.has(state)) set.add(state);
    this.shownStates = next;
  }

  /** Fires `tk-error` with the message from the string table, never the server's text. */
  protected emitError(error: TkError): void {
    this.dispatchEvent(new TkErrorEvent({ code: error.code, message: this.t.errors[error.code], retryable: error.retryable }));
  }
}
