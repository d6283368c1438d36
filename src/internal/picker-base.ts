import { html, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { TimekitCalendar } from '../shared/timekit.js';
import { isAbort, toTkError } from '../session/errors.js';
import { TkElement, type TkViewState } from './tk-element.js';
import { Load, nothingToLoad } from './load.js';
import { usable } from '../components/calendar-picker/calendar-picker.api.js';

/** Rows rendered per task (see `rowLimit`). */
const ROW_CHUNK = 200;

/**
 * What both pickers share: the calendar load, the five states, and form association. Not API.
 * @internal
 */
export abstract class TkPickerBase extends TkElement {
  static formAssociated = true;

  /** The form field name the value is submitted under (`name` attribute). */
  @property() name = '';

  /** Whether the form needs a value (`required` attribute). */
  @property({ type: Boolean, reflect: true }) required = false;

  /** Disables the picker (`disabled` attribute); a disabled `<fieldset>` around it does too. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** Set by a disabled ancestor fieldset (formDisabledCallback). */
  protected formDisabled = false;

  /**
   * How many rows to render. Long lists grow by a chunk per task, so a thousand calendars never
   * make one long task; the first rows show at once.
   */
  @state() protected rowLimit = ROW_CHUNK;
  private growing = false;
  /**
   * The shadow root came from a server render (declarative shadow DOM), which had no session: the
   * first render must be the same signed-out view for Lit to hydrate it, the real state follows.
   */
  private serverRendered = false;

  protected readonly calendarsTask = new Load(this, {
    task: async ([session, status], { signal }) => {
      if (!session || status !== 'ready') return nothingToLoad;
      return session.calendars({ signal }).then(usable);
    },
    args: () => [this.sessions.session, this.sessions.status, this.sessions.session?.calendarsVersion] as const,
    onComplete: (calendars) => this.calendarsLoaded(calendars),
    onError: (error) => {
      if (!isAbort(error)) this.emitError(toTkError(error));
    },
  });

  override connectedCallback(): void {
    // Before Lit makes its render root: a root already there is the server's.
    if (!this.hasUpdated) this.serverRendered = this.internals.shadowRoot !== null;
    super.connectedCallback();
  }

  protected override firstUpdated(): void {
    if (this.serverRendered) this.requestUpdate();
  }

  protected get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  /** Which of the five states to show: no session or a failed one outranks the calendar load, which only matters once both are fine. */
  protected get viewState(): TkViewState {
    if (this.serverRendered && !this.hasUpdated) return 'signed-out';
    const status = this.sessions.status;
    if (status === 'none' || status === 'signed-out') return 'signed-out';
    if (status === 'error' || this.calendarsTask.status === 'error') return 'error';
    const calendars = this.calendarsTask.value;
    if (!calendars) return 'loading';
    return calendars.length === 0 ? 'empty' : 'content';
  }

  protected override render() {
    const state = this.viewState;
    const calendars = this.calendarsTask.value ?? [];
    const busy = state === 'loading' || this.calendarsTask.status === 'pending';
    this.setStates(state, ...this.extraStates());
    const t = this.t;
    return html`
      <fieldset part="base" ?disabled=${this.isDisabled || state === 'signed-out'} aria-busy=${String(busy)}>
        <legend part="label" tabindex="-1">${this.label}</legend>
        <div part="status" role="status" class=${state === 'loading' ? '' : 'visually-hidden'}>
          ${state === 'loading' ? t.loading : state === 'content' ? this.announcement(calendars) : ''}
        </div>
        ${state === 'signed-out'
          ? html`<div part="signed-out"><slot name="signed-out">${t.signedOut}</slot></div>`
          : state === 'loading'
            ? html`<div aria-hidden="true"><span class="skeleton"></span><span class="skeleton"></span><span class="skeleton"></span></div>`
            : state === 'error'
              ? this.renderError()
              : state === 'empty'
                ? html`<div part="empty"><slot name="empty">${this.emptyText}</slot></div>`
                : this.renderContent(calendars)}
      </fieldset>
    `;
  }

  protected renderError(): TemplateResult {
    const session = this.sessions.session;
    const error = session?.status === 'error' ? session.error : this.calendarsTask.error;
    const tkError = toTkError(error);
    return html`<div part="error" role="alert">
      <slot name="error">${this.t.errors[tkError.code]}</slot>
      <button type="button" part="retry-button" @click=${this.handleRetry}>${this.t.retry}</button>
    </div>`;
  }

  protected override updated(): void {
    this.internals.setFormValue(this.formValue());
    const missing = this.required && !this.isDisabled && this.hasNoValue();
    if (missing) this.internals.setValidity({ valueMissing: true }, this.requiredMessage(), this.validityAnchor());
    else this.internals.setValidity({});
    this.growRows();
  }

  /**
   * Where the browser shows its "required" message and puts the focus when a submit is blocked:
   * the first calendar that can be chosen, else the label (focusable for this, out of the tab
   * order). Without an anchor the host is not focusable, and the browser blocks the submit silently.
   */
  private validityAnchor(): HTMLElement {
    // the label is the first legend: the account groups' legends come after it
    return this.renderRoot.querySelector<HTMLElement>('[part=checkbox]:enabled,[part=radio]:enabled') ?? this.renderRoot.querySelector('legend')!;
  }

  /** Renders the next chunk of rows in a task of its own (a message, which background tabs do not throttle as they do timers). */
  private growRows(): void {
    if (this.growing || this.rowLimit >= (this.calendarsTask.value?.length ?? 0)) return;
    this.growing = true;
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      this.growing = false;
      this.rowLimit += ROW_CHUNK;
    };
    channel.port2.postMessage(null);
  }

  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
    this.requestUpdate();
  }

  /** Whether the value satisfies `required`. */
  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  /** Like `checkValidity()`, and shows the browser's message when the value is missing. */
  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  /** The picker's validity, as for native form controls (`valueMissing` with `required`). */
  get validity(): ValidityState {
    return this.internals.validity;
  }

  /** The message for the current validity (from the string table), or `''`. */
  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  /** The form the picker belongs to, if any. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  // What each picker says and does with its calendars.
  protected abstract get label(): string;
  protected abstract get emptyText(): string;
  protected abstract extraStates(): string[];
  protected abstract renderContent(calendars: readonly TimekitCalendar[]): TemplateResult;
  protected abstract formValue(): FormData | string | null;
  protected abstract hasNoValue(): boolean;
  protected abstract requiredMessage(): string;

  /** Called once per completed load, before the render. */
  protected calendarsLoaded(_calendars: TimekitCalendar[]): void {}

  protected announcement(calendars: readonly TimekitCalendar[]): string {
    return this.t.loaded(calendars.length);
  }

  private readonly handleRetry = () => {
    const session = this.sessions.session;
    if (session?.status === 'error') void session.refresh();
    else void this.calendarsTask.run();
  };
}
