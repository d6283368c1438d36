/**
 * The question a connect element asks when a connect made Timekit put the new account on a new
 * resource (`session.account.pendingAccount`): switch to it, or keep the current one. A lazy
 * chunk, loaded only when there is something to ask.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
// lit/html.js, not lit: importing lit's index from this lazy chunk made the CDN build split Lit into a chunk of its own
import { html, nothing } from 'lit/html.js';
import type { TkStrings } from '../i18n/en.js';
import type { TkErrorCode } from '../session/errors.js';
import { questionStrings, type TkQuestionStrings } from '../i18n/question-strings.js';
import type { TkError } from '../session/errors.js';
import type { TkSession } from '../session/session-service.js';

export interface PendingQuestionHost extends ReactiveControllerHost, HTMLElement {
  readonly renderRoot: HTMLElement | DocumentFragment;
  /** The host's string overrides, which may word the question too. */
  readonly strings?: object;
}

export interface PendingQuestionInit {
  session: () => TkSession | undefined;
  strings: () => Pick<TkStrings, 'retry'>;
  /** The text for an error code, as the element words it. */
  errorMessage: (code: TkErrorCode) => string;
  /** The host's language (its nearest `lang`). */
  lang: () => string;
  /** Whether the question should take focus now it is shown (the element's own connect made it); asked once. */
  takeFocus: () => boolean;
}

/** Renders the question and sends the answer; focus moves to it when the element says so, and back to the element's button after. */
export class PendingQuestion implements ReactiveController {
  private readonly host: PendingQuestionHost;
  private readonly init: PendingQuestionInit;
  /** The language table being fetched, so the host renders again once it is there. */
  private awaitedTable?: Promise<void>;
  /** The answer being sent, if any. */
  private answering: boolean | null = null;
  /** The last answer and why it failed: shown with a retry. */
  private failure: { accept: boolean; error: TkError } | null = null;

  constructor(host: PendingQuestionHost, init: PendingQuestionInit) {
    this.host = host;
    this.init = init;
    host.addController(this);
  }

  hostUpdated(): void {
    const question = this.host.renderRoot.querySelector<HTMLElement>('[part~="question"]');
    if (question && this.init.takeFocus()) question.focus();
  }

  render(email: string, current: string) {
    const t = this.strings();
    const failure = this.failure;
    const busy = this.answering !== null;
    return html`<div part="question" role="group" aria-labelledby="question-text" tabindex="-1">
      <p id="question-text">${t.pendingQuestion(email, current)}</p>
      <button type="button" part="switch-button" ?disabled=${busy} @click=${() => this.answer(true)}>${t.switchTo(email)}</button>
      <button type="button" part="keep-button" ?disabled=${busy} @click=${() => this.answer(false)}>${t.keep(current)}</button>
      ${failure
        ? html`<p part="question-error" role="alert">
            ${this.init.errorMessage(failure.error.code)}
            <button type="button" part="retry-button" ?disabled=${busy} @click=${() => this.answer(failure.accept)}>${this.init.strings().retry}</button>
          </p>`
        : nothing}
    </div>`;
  }

  /**
   * The question's strings in the host's language, with the host's overrides. (Not a
   * LocaleController: the host's own one re-renders it when `lang` changes.)
   */
  private strings(): TkQuestionStrings {
    const { strings, ready } = questionStrings.for(this.init.lang(), this.host.strings as Partial<TkQuestionStrings> | undefined);
    if (ready && ready !== this.awaitedTable) {
      this.awaitedTable = ready;
      void ready.then(() => this.host.requestUpdate());
    }
    return strings;
  }

  private async answer(accept: boolean): Promise<void> {
    const session = this.init.session();
    if (!session || this.answering !== null) return;
    this.answering = accept;
    this.failure = null;
    this.host.requestUpdate();
    try {
      await session.resolvePendingAccount(accept);
      this.answering = null;
      this.host.requestUpdate();
      await this.host.updateComplete;
      this.host.renderRoot.querySelector<HTMLElement>('[part~="button"]')?.focus();
    } catch (error) {
      this.answering = null;
      this.failure = { accept, error: error as TkError };
      this.host.requestUpdate();
    }
  }
}
