/** `<tk-availability-rules>`'s class: the provider's working hours, time zone and time off, and saving them. */
import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { TkViewState } from '../../internal/tk-element.js';
import { TkFormElement, type TkValidityProblem } from '../../internal/tk-form-element.js';
import { emitChange } from '../../internal/emit-change.js';
import { TkChangeEvent, type TkRulesChangeDetail } from '../../events/change.js';
import { isAbort, toTkError, type TkError } from '../../session/errors.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { rulesStrings, type TkRulesStrings } from '../../i18n/rules-strings.js';
import type { TkStrings } from '../../i18n/locale.js';
import { type TkAvailabilityRules, type TkConstraint, type TkWeekday } from '../../shared/constraints.js';
import { hasBookableTime, hasProblems, modelFromRules, parseRules, rulesFromModel, suggestedModel, type HourRange, type RulesModel } from '../../internal/weekly-rules.js';
import { intlLang } from './rules-intl.js';
import { renderExtraHours, renderSaveState, renderSuggestion, renderTimeOff, renderWeek, renderZone, type RulesView, type SaveStatus } from './rules-view.js';
import { sharedStyles } from '../../styles/shared.styles.js';
import { availabilityRulesStyles } from './availability-rules.styles.js';

/** How long edits must pause before `save="auto"` writes them, so typing does not write each keystroke. */
const SAVE_DELAY_MS = 600;

/**
 * The provider's weekly working hours (several ranges a day, days off, copy Monday to the other
 * weekdays), in their time zone, with time off and extra hours on a date. Its value is Timekit's
 * constraint list: `allow_day_and_time` per range, `block_period` per time off, `allow_period` per
 * date with extra hours; constraints it does not edit are kept as they came. A new provider
 * starts from Monday–Friday 9–17 in their zone, shown as a suggestion until saved.
 *
 * With `save="auto"` each change is written (after a short pause in the edits) to the resource's
 * `availability_constraints` and `timezone`; a refused write is undone visibly, with a retry.
 * With `save="manual"`, `.save()` writes, or the surrounding form submits the JSON under `name`.
 * Rows whose hours end before they start or overlap show an error and are never saved.
 *
 * @summary Set the provider's working hours, time zone and time off.
 * @tagname tk-availability-rules
 * @slot signed-out - Shown instead of the default text while nothing is connected.
 * @slot error - Shown instead of the default load error text (the retry button stays).
 * @fires {TkChangeEvent<TkRulesChangeDetail>} tk-change - The user changed the rules; `detail` is `{constraints, timezone}`. Also fired (alone) when a refused save undoes a change.
 * @fires {Event} change - The user changed the rules.
 * @fires {TkErrorEvent} tk-error - Loading or saving failed; `detail` is `{code, message, retryable}`.
 * @csspart base - The fieldset around everything.
 * @csspart label - The legend.
 * @csspart status - The polite live region (visible while loading).
 * @csspart signed-out - The signed-out message.
 * @csspart error - The load error, with its retry button.
 * @csspart retry-button - Retry buttons (load and save errors).
 * @csspart timezone - The time zone `<select>`.
 * @csspart zone-name - The chosen zone's name and current UTC offset.
 * @csspart week - The weekly hours.
 * @csspart day - One weekday's row.
 * @csspart day-name - A weekday's name.
 * @csspart day-toggle - A weekday's "available" checkbox.
 * @csspart range - One range of hours.
 * @csspart start - A start hour `<select>` (of a range, a part day off or extra hours).
 * @csspart end - An end hour `<select>`.
 * @csspart date - A date field (time off, extra hours).
 * @csspart whole-days - A time off's "whole days" checkbox.
 * @csspart add-range - A weekday's "add hours" button.
 * @csspart remove - Every remove button.
 * @csspart copy-to-weekdays - The "copy Monday to all weekdays" button.
 * @csspart row-error - A row's problem (ends before it starts, overlaps, no date).
 * @csspart time-off - The time off section.
 * @csspart period - One time off row.
 * @csspart add-time-off - The "add time off" button.
 * @csspart extra-hours - The extra hours section.
 * @csspart extra - One date with extra hours.
 * @csspart add-extra-hours - The "add extra hours" button.
 * @csspart suggestion - The note that the hours shown are a suggestion, not saved yet.
 * @csspart save-suggestion - The "save these hours" button (`save="auto"`).
 * @csspart save-status - "Saving…" and "Saved".
 * @csspart save-error - A refused save (the change was undone), with its retry button.
 * @cssprop [--tk-accent=auto] - Checkbox colour.
 * @cssprop [--tk-rules-gap=0.5em] - Space between rows.
 * @cssprop [--tk-rules-day-background=transparent] - A weekday row's background.
 * @cssprop [--tk-border-color=GrayText] - Field and button borders.
 * @cssprop [--tk-radius=6px] - Corner radius.
 * @cssprop [--tk-color=CanvasText] - Text colour.
 * @cssprop [--tk-muted-color=#595959] - Secondary text (#c4c4c4 under a dark `color-scheme`).
 * @cssprop [--tk-error-color=#b3261e] - Error text (#f2b8b5 under a dark `color-scheme`).
 * @cssprop [--tk-focus-ring=var(--tk-accent, Highlight)] - Focus outline.
 * @cssstate signed-out - Nothing connected.
 * @cssstate loading - The rules are loading.
 * @cssstate error - Loading failed.
 * @cssstate content - The rules are shown.
 * @cssstate suggested - The hours shown are the suggested default, not saved yet.
 * @cssstate invalid - A row has a problem; nothing is saved until it is fixed.
 * @cssstate saving - A save is under way.
 * @cssstate saved - The last change is saved.
 * @cssstate save-error - The last save was refused.
 */
export class TkAvailabilityRulesElement extends TkFormElement {
  static override styles = [sharedStyles, availabilityRulesStyles];

  /**
   * `save` attribute: `auto` (default) writes each change; `manual` leaves it to `.save()` or the
   * form. The property has another name because `.save()` is the method.
   */
  @property({ attribute: 'save' }) saveMode: 'auto' | 'manual' = 'auto';

  /**
   * The `value` attribute: the rules as JSON (`{constraints, timezone}`, or the constraint list
   * alone), for a server-rendered page. Shown instead of what Timekit holds, and what a form reset
   * returns to.
   * @default ''
   */
  @property({ attribute: 'value' })
  get defaultValue(): string {
    return this.valueAttribute;
  }
  set defaultValue(json: string) {
    const old = this.valueAttribute;
    this.valueAttribute = json;
    const rules = json ? parseRules(json) : undefined;
    if (rules) this.setFromPage(rules);
    this.requestUpdate('defaultValue', old);
  }
  private valueAttribute = '';

  /** Overrides for some of the element's strings (see `TkStrings` and `TkRulesStrings`). */
  @property({ attribute: false }) override strings?: Partial<TkStrings & TkRulesStrings>;

  /** The rules being edited, rows with problems included; undefined until loaded or set. */
  @state() private model: RulesModel | undefined;
  /** The model as Timekit holds it (or the suggestion, before the first save): a refused save returns to it. */
  private savedModel: RulesModel | undefined;
  /** The hours shown are the suggested default, not saved yet. */
  @state() private suggested = false;
  @state() private saveStatus: SaveStatus = 'idle';
  /** The last refused save: what it tried to write, for its retry. */
  @state() private saveError: { error: TkError; model: RulesModel } | undefined;
  /** Code or the `value` attribute set the rules (or the user edited them in manual mode): a reload keeps them. */
  private ownedByPage = false;
  /** The resource the last load was for: another one's rules replace whatever the page set. */
  private loadedFor: string | undefined;
  /** Each weekday's ranges before it became a day off, for when it is available again. */
  private readonly rangesBeforeDayOff = new Map<TkWeekday, HourRange[]>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  /** Counts edits, so a save that fails after a newer edit does not undo it. */
  private edits = 0;
  /** Counts writes: only the latest write's answer is shown. */
  private writes = 0;

  private readonly rulesLocale = new LocaleController<TkRulesStrings>(this, rulesStrings);
  private readonly rulesTask = new Task(this, {
    task: async ([session, status], { signal }) => {
      if (!session || status !== 'ready') return initialState;
      return session.loadAvailabilityRules({ signal });
    },
    args: () => [this.sessionController.session, this.sessionController.status, this.sessionController.session?.account?.resourceId] as const,
    onComplete: (loaded) => this.rulesLoaded(loaded),
    onError: (error) => {
      if (!isAbort(error)) this.emitError(toTkError(error));
    },
  });

  /** The constraints shown (the last ones without a problem). Setting it from code fires no event and saves nothing. */
  @property({ attribute: false })
  get value(): TkConstraint[] {
    return this.lastValidRules?.constraints ?? [];
  }
  set value(constraints: TkConstraint[]) {
    const old = this.value;
    this.setFromPage({ constraints, timezone: this.timezone });
    this.requestUpdate('value', old);
  }

  /** The IANA zone the hours are in (the resource's `timezone`). Setting it from code fires no event and saves nothing. */
  @property({ attribute: false })
  get timezone(): string {
    return this.model?.timezone ?? '';
  }
  set timezone(zone: string) {
    const old = this.timezone;
    this.setFromPage({ constraints: this.value, timezone: zone });
    this.requestUpdate('timezone', old);
  }

  /** The rules of the last model without a problem: what `.value` answers and the form submits while a row is being fixed. */
  private lastValidRules: TkAvailabilityRules | undefined;

  /** Shows `model`; while it has no problem, its rules become the value. */
  private show(model: RulesModel | undefined): void {
    this.model = model;
    if (!model) this.lastValidRules = undefined;
    else if (!hasProblems(model)) this.lastValidRules = rulesFromModel(model);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // an edit still waiting for its pause is written all the same: the timer is left running
    this.sessionController.session?.setAvailabilityRules(this, null);
  }

  /**
   * Writes the rules shown (they must have no problems); resolves to whether they were saved.
   * In `save="auto"` mode changes are written by themselves.
   */
  save(): Promise<boolean> {
    return this.write(false);
  }

  /** The usual precedence; the rules count as loaded once Timekit's (or the page's) are shown. */
  protected override get viewState(): TkViewState {
    const status = this.sessionController.status;
    if (status === 'none' || status === 'signed-out') return 'signed-out';
    if (status === 'error' || this.rulesTask.status === TaskStatus.ERROR) return this.errorState();
    return this.rulesTask.value && this.model ? 'content' : 'loading';
  }

  protected override customStates(): string[] {
    const states: string[] = [this.viewState];
    if (this.viewState !== 'content') return states;
    if (this.suggested) states.push('suggested');
    if (this.model && hasProblems(this.model)) states.push('invalid');
    if (this.saveStatus !== 'idle') states.push(this.saveStatus);
    if (this.saveError) states.push('save-error');
    return states;
  }

  protected override formValue(): string | null {
    const rules = this.lastValidRules;
    return this.name && rules ? JSON.stringify(rules) : null;
  }

  protected override validityProblem(): TkValidityProblem | null {
    const t = this.rulesLocale.strings;
    if (!this.model) return null;
    if (hasProblems(this.model)) return { flags: { customError: true }, message: t.fixProblems };
    if (this.required && !hasBookableTime(this.model)) return { flags: { valueMissing: true }, message: t.requiredRules };
    return null;
  }

  protected override restoreFormValue(state: FormData | string): void {
    const rules = typeof state === 'string' ? parseRules(state) : undefined;
    if (rules) this.setFromPage(rules);
  }

  /** Where the browser shows the validation message: the first field with a problem, else the label. */
  protected override validityAnchor(): HTMLElement {
    return this.renderRoot.querySelector<HTMLElement>('[aria-invalid=true]') ?? this.renderRoot.querySelector('legend')!;
  }

  /** A form reset: back to the `value` attribute's rules, else to what Timekit holds (or the suggestion). */
  formResetCallback(): void {
    const rules = this.defaultValue ? parseRules(this.defaultValue) : undefined;
    this.ownedByPage = Boolean(rules);
    this.show(rules ? modelFromRules(rules) : this.savedModel && structuredClone(this.savedModel));
    this.saveError = undefined;
    this.shareRules();
  }

  private setFromPage(rules: TkAvailabilityRules): void {
    this.ownedByPage = true;
    this.show(modelFromRules({ constraints: rules.constraints, timezone: rules.timezone || this.model?.timezone || '' }));
    this.shareRules();
  }

  private rulesLoaded(loaded: TkAvailabilityRules & { saved: boolean }): void {
    const resourceId = this.sessionController.session?.account?.resourceId;
    if (this.loadedFor !== undefined && resourceId !== this.loadedFor) this.ownedByPage = false;
    this.loadedFor = resourceId;
    this.savedModel = loaded.saved ? modelFromRules(loaded) : suggestedModel(loaded.timezone);
    this.suggested = !loaded.saved;
    if (!this.ownedByPage) this.show(structuredClone(this.savedModel));
    this.shareRules();
  }

  /** Tells the page's preview which rules this element shows (saved or not). */
  private shareRules(): void {
    const rules = this.model && !hasProblems(this.model) ? rulesFromModel(this.model) : undefined;
    if (rules) this.sessionController.session?.setAvailabilityRules(this, rules);
  }

  /** One user edit: applied at once, announced, shared, and in auto mode saved after a pause. */
  private edit(change: (model: RulesModel) => void): void {
    if (!this.model) return;
    const next = structuredClone(this.model);
    change(next);
    this.show(next);
    this.edits++;
    this.saveStatus = 'idle';
    if (this.saveMode === 'manual') this.ownedByPage = true;
    if (hasProblems(next)) {
      this.cancelScheduledSave();
      return;
    }
    this.shareRules();
    const rules = rulesFromModel(next);
    emitChange(this, { constraints: rules.constraints, timezone: rules.timezone });
    if (this.saveMode !== 'manual') this.scheduleSave();
  }

  private scheduleSave(): void {
    this.cancelScheduledSave();
    this.saveTimer = setTimeout(() => void this.write(true), SAVE_DELAY_MS);
  }

  private cancelScheduledSave(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
  }

  /**
   * Writes the rules shown. `rollback` (auto mode) undoes the change on failure, when no newer
   * edit came meanwhile, and tells the page with `tk-change` alone (the user did not choose it).
   */
  private async write(rollback: boolean): Promise<boolean> {
    this.cancelScheduledSave();
    const session = this.sessionController.session;
    const model = this.model;
    if (!session || !model || hasProblems(model)) return false;
    const write = ++this.writes;
    const editsBefore = this.edits;
    this.saveStatus = 'saving';
    this.saveError = undefined;
    try {
      const saved = await session.saveAvailabilityRules(rulesFromModel(model));
      this.savedModel = modelFromRules({ constraints: saved.constraints, timezone: saved.timezone || model.timezone });
      if (write === this.writes) {
        this.suggested = false;
        this.saveStatus = this.edits === editsBefore ? 'saved' : 'idle';
      }
      return true;
    } catch (error) {
      if (isAbort(error) || write !== this.writes) return false;
      const tkError = toTkError(error);
      this.saveStatus = 'idle';
      this.saveError = { error: tkError, model };
      if (rollback && this.edits === editsBefore && this.savedModel) {
        this.show(structuredClone(this.savedModel));
        this.shareRules();
        const rules = rulesFromModel(this.savedModel);
        this.dispatchEvent(new TkChangeEvent<TkRulesChangeDetail>({ constraints: rules.constraints, timezone: rules.timezone }));
      }
      this.emitError(tkError);
      return false;
    }
  }

  protected override render() {
    const state = this.viewState;
    const t = this.rulesLocale.strings;
    const busy = state === 'loading' || this.rulesTask.status === TaskStatus.PENDING;
    return html`
      <fieldset part="base" ?disabled=${this.isDisabled || state === 'signed-out'} aria-busy=${busy ? 'true' : 'false'}>
        <legend part="label" tabindex="-1">${t.rulesLabel}</legend>
        <div part="status" role="status" class=${state === 'loading' ? '' : 'visually-hidden'}>${state === 'loading' ? t.rulesLoading : ''}</div>
        ${this.renderState(state)}
      </fieldset>
    `;
  }

  private renderState(state: TkViewState): TemplateResult {
    const kit = this.locale.strings;
    switch (state) {
      case 'signed-out':
        return html`<div part="signed-out"><slot name="signed-out">${kit.signedOut}</slot></div>`;
      case 'error': {
        const session = this.sessionController.session;
        return this.renderErrorBlock(toTkError(session?.status === 'error' ? session.error : this.rulesTask.error), this.handleLoadRetry);
      }
      case 'content':
        return this.renderContent(this.model!);
      default:
        return html`<div aria-hidden="true"><span class="skeleton"></span><span class="skeleton"></span><span class="skeleton"></span></div>`;
    }
  }

  private renderContent(model: RulesModel): TemplateResult {
    const t = this.rulesLocale.strings;
    const view: RulesView = { strings: t, lang: intlLang(this), edit: (change) => this.edit(change), rangesBeforeDayOff: this.rangesBeforeDayOff };
    const kit = this.locale.strings;
    return html`
      ${this.suggested ? renderSuggestion(view, this.saveMode === 'manual' ? undefined : this.handleSaveSuggestion) : nothing}
      ${renderZone(view, model)} ${renderWeek(view, model)} ${renderTimeOff(view, model)} ${renderExtraHours(view, model)}
      ${renderSaveState(view, this.saveStatus, this.saveError && { message: this.errorMessage(this.saveError.error.code), retry: kit.retry, handleRetry: this.handleSaveRetry })}
    `;
  }

  private handleSaveSuggestion(): void {
    void this.write(true);
  }

  private handleSaveRetry(): void {
    const failed = this.saveError;
    if (!failed) return;
    this.saveError = undefined;
    this.show(structuredClone(failed.model));
    this.edits++;
    this.shareRules();
    const rules = rulesFromModel(failed.model);
    emitChange(this, { constraints: rules.constraints, timezone: rules.timezone });
    void this.write(this.saveMode !== 'manual');
  }

  private handleLoadRetry(): void {
    if (!this.retrySession()) void this.rulesTask.run();
  }
}
