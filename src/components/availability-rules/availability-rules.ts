/** `<tk-availability-rules>`'s class: the provider's working hours, time zone and time off, and saving them. */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { guard } from 'lit/directives/guard.js';
import { live } from 'lit/directives/live.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { TkViewState } from '../../internal/tk-element.js';
import { TkFormElement, type TkValidityProblem } from '../../internal/tk-form-element.js';
import { emitChange } from '../../internal/emit-change.js';
import { TkChangeEvent, type TkRulesChangeDetail } from '../../events/change.js';
import { isAbort, toTkError, type TkError } from '../../session/errors.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { rulesStrings, type TkRulesStrings } from '../../i18n/rules-strings.js';
import { closestLang, type TkStrings } from '../../i18n/locale.js';
import { TK_WEEKDAYS, type TkAvailabilityRules, type TkConstraint, type TkWeekday } from '../../shared/constraints.js';
import {
  addDays,
  extraHoursProblem,
  hasBookableTime,
  hasProblems,
  modelFromRules,
  nextRange,
  rangeProblems,
  rulesFromModel,
  suggestedModel,
  timeOffProblem,
  today,
  type HourRange,
  type RowProblem,
  type RulesModel,
} from '../../internal/weekly-rules.js';
import { sharedStyles } from '../../styles/shared.styles.js';
import { availabilityRulesStyles } from './availability-rules.styles.js';

/** How long edits must pause before `save="auto"` writes them, so typing does not write each keystroke. */
const SAVE_DELAY_MS = 600;

/** What the save status shows. */
type SaveStatus = 'idle' | 'saving' | 'saved';

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
   */
  @property({ attribute: 'value' }) defaultValue = '';

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

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('defaultValue') && this.defaultValue) {
      const rules = parseRules(this.defaultValue);
      if (rules) this.showFromPage(rules);
    }
  }

  /** The usual precedence; the rules count as loaded once Timekit's (or the page's) are shown. */
  protected override get viewState(): TkViewState {
    const status = this.sessionController.status;
    if (status === 'none' || status === 'signed-out') return 'signed-out';
    if (status === 'error' || this.rulesTask.status === TaskStatus.ERROR) return 'error';
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

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // the `value` attribute's rules, shown by willUpdate, reach the page's preview
    if (changed.has('defaultValue') && this.ownedByPage) this.shareRules();
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

  /** Rules from code or the page, shown and shared. */
  private setFromPage(rules: TkAvailabilityRules): void {
    this.showFromPage(rules);
    this.shareRules();
  }

  private showFromPage(rules: TkAvailabilityRules): void {
    this.ownedByPage = true;
    this.show(modelFromRules({ constraints: rules.constraints, timezone: rules.timezone || this.model?.timezone || '' }));
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
    const lang = this.intlLang;
    return html`
      ${this.suggested
        ? html`<div part="suggestion">
            <span>${t.suggestion}</span>
            ${this.saveMode === 'manual' ? nothing : html`<button type="button" part="save-suggestion" @click=${this.handleSaveSuggestion}>${t.saveSuggestion}</button>`}
          </div>`
        : nothing}
      <div class="zone">
        <label>
          <span>${t.timezone}</span>
          <select part="timezone" @change=${this.handleZone}>
            ${guard([lang, model.timezone], () => zoneOptions(lang, model.timezone).map(({ zone, label }) => html`<option value=${zone} .selected=${live(zone === model.timezone)}>${label}</option>`))}
          </select>
        </label>
        <span part="zone-name">${zoneDescription(lang, model.timezone)}</span>
      </div>
      <fieldset part="week">
        <legend>${t.weeklyHours}</legend>
        ${TK_WEEKDAYS.map((day, index) => this.renderDay(model, day, weekdayName(lang, index)))}
      </fieldset>
      ${this.renderTimeOff(model)} ${this.renderExtraHours(model)}
      <div part="save-status" role="status">${this.saveStatus === 'saving' ? t.saving : this.saveStatus === 'saved' ? t.saved : ''}</div>
      ${this.saveError
        ? html`<div part="save-error" role="alert">
            <span>${t.saveFailed} ${this.locale.strings.errors[this.saveError.error.code]}</span>
            <button type="button" part="retry-button" @click=${this.handleSaveRetry}>${this.locale.strings.retry}</button>
          </div>`
        : nothing}
    `;
  }

  private renderDay(model: RulesModel, day: TkWeekday, dayName: string): TemplateResult {
    const t = this.rulesLocale.strings;
    const ranges = model.week[day];
    const problems = rangeProblems(ranges);
    const nameId = `day-${day}`;
    return html`<div part="day" role="group" aria-labelledby=${nameId} data-day=${day}>
      <label class="day-name">
        <input part="day-toggle" type="checkbox" .checked=${live(ranges.length > 0)} @change=${(event: Event) => this.handleDayToggle(day, (event.target as HTMLInputElement).checked)} />
        <span part="day-name" id=${nameId}>${dayName}</span>
      </label>
      <div class="ranges">
        ${ranges.length === 0 ? html`<span class="muted">${t.dayOff}</span>` : nothing}
        ${ranges.map((range, index) => this.renderRange(day, dayName, range, index, problems[index]))}
        <div class="actions">
          <button type="button" part="add-range" @click=${() => this.edit((m) => m.week[day].push(nextRange(m.week[day])))}>${t.addRange(dayName)}</button>
          ${day === 'Monday' ? html`<button type="button" part="copy-to-weekdays" @click=${this.handleCopyMonday}>${t.copyToWeekdays(dayName)}</button>` : nothing}
        </div>
      </div>
    </div>`;
  }

  private renderRange(day: TkWeekday, dayName: string, range: HourRange, index: number, problem: RowProblem | undefined): TemplateResult {
    const t = this.rulesLocale.strings;
    const name = t.rangeName(dayName, index + 1);
    const problemId = `problem-${day}-${index}`;
    const set = (field: keyof HourRange) => (event: Event) => {
      const hour = Number((event.target as HTMLSelectElement).value);
      this.edit((m) => void (m.week[day][index]![field] = hour));
    };
    return html`<div part="range" role="group" aria-label=${name} data-index=${index}>
      ${this.hourSelect('start', t.from, range.start, 0, 23, problem ? problemId : undefined, set('start'))}
      ${this.hourSelect('end', t.until, range.end, 1, 24, problem ? problemId : undefined, set('end'))}
      <button type="button" part="remove" aria-label=${t.remove(name)} @click=${() => this.edit((m) => void m.week[day].splice(index, 1))}>×</button>
      ${problem ? html`<div part="row-error" id=${problemId} role="alert">${t.problems[problem]}</div>` : nothing}
    </div>`;
  }

  /** A native `<select>` of whole hours from `min` to `max`, labelled, with the row's problem described. */
  private hourSelect(partName: string, label: string, hour: number, min: number, max: number, problemId: string | undefined, onChange: (event: Event) => void): TemplateResult {
    const lang = this.intlLang;
    return html`<label>
      <span>${label}</span>
      <select part=${partName} aria-invalid=${problemId ? 'true' : 'false'} aria-describedby=${problemId ?? nothing} @change=${onChange}>
        ${hourOptions(lang, min, max).map(({ hour: h, label: text }) => html`<option value=${h} .selected=${live(h === hour)}>${h === 24 ? this.rulesLocale.strings.endOfDay : text}</option>`)}
      </select>
    </label>`;
  }

  private renderTimeOff(model: RulesModel): TemplateResult {
    const t = this.rulesLocale.strings;
    return html`<fieldset part="time-off">
      <legend>${t.timeOff}</legend>
      ${model.timeOff.map((off, index) => {
        const problem = timeOffProblem(off);
        const name = t.timeOffName(index + 1);
        const problemId = `problem-off-${index}`;
        const described = problem ? problemId : undefined;
        const update = (change: (o: RulesModel['timeOff'][number], value: string) => void) => (event: Event) => {
          const target = event.target as HTMLInputElement;
          this.edit((m) => change(m.timeOff[index]!, target.type === 'checkbox' ? String(target.checked) : target.value));
        };
        return html`<div part="period" role="group" aria-label=${name} data-index=${index}>
          ${this.dateInput(t.from, off.startDate, described, update((o, v) => void (o.startDate = v)))}
          ${this.dateInput(t.until, off.endDate, described, update((o, v) => void (o.endDate = v)))}
          <label><input type="checkbox" part="whole-days" .checked=${live(off.wholeDays)} @change=${update((o, v) => void (o.wholeDays = v === 'true'))} /> ${t.wholeDays}</label>
          ${off.wholeDays
            ? nothing
            : html`${this.hourSelect('start', t.from, off.startHour, 0, 23, described, update((o, v) => void (o.startHour = Number(v))))}
              ${this.hourSelect('end', t.until, off.endHour, 1, 24, described, update((o, v) => void (o.endHour = Number(v))))}`}
          <button type="button" part="remove" aria-label=${t.remove(name)} @click=${() => this.edit((m) => void m.timeOff.splice(index, 1))}>×</button>
          ${problem ? html`<div part="row-error" id=${problemId} role="alert">${t.problems[problem]}</div>` : nothing}
        </div>`;
      })}
      <button type="button" part="add-time-off" @click=${this.handleAddTimeOff}>${t.addTimeOff}</button>
    </fieldset>`;
  }

  private renderExtraHours(model: RulesModel): TemplateResult {
    const t = this.rulesLocale.strings;
    return html`<fieldset part="extra-hours">
      <legend>${t.extraHours}</legend>
      ${model.extraHours.map((extra, index) => {
        const problem = extraHoursProblem(extra);
        const name = t.extraHoursName(index + 1);
        const problemId = `problem-extra-${index}`;
        const described = problem ? problemId : undefined;
        const update = (change: (e: RulesModel['extraHours'][number], value: string) => void) => (event: Event) => {
          const value = (event.target as HTMLInputElement).value;
          this.edit((m) => change(m.extraHours[index]!, value));
        };
        return html`<div part="extra" role="group" aria-label=${name} data-index=${index}>
          ${this.dateInput(t.date, extra.date, described, update((e, v) => void (e.date = v)))}
          ${this.hourSelect('start', t.from, extra.start, 0, 23, described, update((e, v) => void (e.start = Number(v))))}
          ${this.hourSelect('end', t.until, extra.end, 1, 24, described, update((e, v) => void (e.end = Number(v))))}
          <button type="button" part="remove" aria-label=${t.remove(name)} @click=${() => this.edit((m) => void m.extraHours.splice(index, 1))}>×</button>
          ${problem ? html`<div part="row-error" id=${problemId} role="alert">${t.problems[problem]}</div>` : nothing}
        </div>`;
      })}
      <button type="button" part="add-extra-hours" @click=${this.handleAddExtraHours}>${t.addExtraHours}</button>
    </fieldset>`;
  }

  private dateInput(label: string, date: string, problemId: string | undefined, onChange: (event: Event) => void): TemplateResult {
    return html`<label>
      <span>${label}</span>
      <input type="date" part="date" .value=${live(date)} aria-invalid=${problemId ? 'true' : 'false'} aria-describedby=${problemId ?? nothing} @change=${onChange} />
    </label>`;
  }

  /** The language `Intl` writes weekdays, times and zones in: the nearest `lang`, as for the strings. */
  private get intlLang(): string {
    try {
      return Intl.getCanonicalLocales(closestLang(this))[0] ?? 'en';
    } catch {
      // not a language tag (WebKit under a POSIX locale reports navigator.language "C")
      return 'en';
    }
  }

  private handleDayToggle(day: TkWeekday, available: boolean): void {
    this.edit((m) => {
      if (available) {
        m.week[day] = this.rangesBeforeDayOff.get(day) ?? [nextRange([])];
      } else {
        this.rangesBeforeDayOff.set(day, m.week[day]);
        m.week[day] = [];
      }
    });
  }

  private handleCopyMonday(): void {
    this.edit((m) => {
      for (const day of TK_WEEKDAYS.slice(1, 5)) m.week[day] = structuredClone(m.week.Monday);
    });
  }

  private handleZone(event: Event): void {
    const zone = (event.target as HTMLSelectElement).value;
    if (!zone) return;
    this.edit((m) => void (m.timezone = zone));
  }

  private handleAddTimeOff(): void {
    this.edit((m) => {
      const date = today(m.timezone);
      m.timeOff.push({ startDate: date, endDate: date, wholeDays: true, startHour: 9, endHour: 17 });
    });
  }

  private handleAddExtraHours(): void {
    this.edit((m) => {
      m.extraHours.push({ date: addDays(today(m.timezone), 1), start: 9, end: 17 });
    });
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

/** The `value` attribute's JSON: `{constraints, timezone}` or the constraint list alone; undefined when it is neither. */
function parseRules(json: string): TkAvailabilityRules | undefined {
  try {
    const parsed: unknown = JSON.parse(json);
    if (Array.isArray(parsed)) return { constraints: parsed as TkConstraint[], timezone: '' };
    if (parsed && typeof parsed === 'object' && Array.isArray((parsed as TkAvailabilityRules).constraints)) {
      const { constraints, timezone } = parsed as TkAvailabilityRules;
      return { constraints, timezone: typeof timezone === 'string' ? timezone : '' };
    }
  } catch {
    // not JSON: the attribute is ignored, as an input ignores a value it cannot parse
  }
  return undefined;
}

/** A Monday (2024-01-01) to name the weekdays from. */
const MONDAY = Date.UTC(2024, 0, 1);

function weekdayName(lang: string, index: number): string {
  return new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(MONDAY + index * 86_400_000);
}

const hourLists = new Map<string, Array<{ hour: number; label: string }>>();

/** Whole hours `min`–`max`, each as the language writes a time of day. */
function hourOptions(lang: string, min: number, max: number): Array<{ hour: number; label: string }> {
  let all = hourLists.get(lang);
  if (!all) {
    const format = new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone: 'UTC' });
    all = Array.from({ length: 25 }, (_, hour) => ({ hour, label: format.format(MONDAY + hour * 3_600_000) }));
    hourLists.set(lang, all);
  }
  return all.slice(min, max + 1);
}

/** The zone's offset now, e.g. `GMT+02:00`, in the language's words. */
function offsetNow(lang: string, zone: string, style: 'longOffset' | 'long'): string {
  const parts = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: style }).formatToParts(Date.now());
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

const zoneLists = new Map<string, Array<{ zone: string; label: string }>>();

/** Every zone the engine knows (and the current one, if it does not list it), with its offset now. */
function zoneOptions(lang: string, current: string): Array<{ zone: string; label: string }> {
  let list = zoneLists.get(lang);
  if (!list) {
    list = Intl.supportedValuesOf('timeZone').map((zone) => ({ zone, label: `${zone} (${offsetNow(lang, zone, 'longOffset')})` }));
    zoneLists.set(lang, list);
  }
  if (list.some((option) => option.zone === current)) return list;
  return [{ zone: current, label: `${current} (${offsetNow(lang, current, 'longOffset')})` }, ...list];
}

/** The zone's name and offset now, e.g. "Central European Summer Time, GMT+02:00". */
function zoneDescription(lang: string, zone: string): string {
  return `${offsetNow(lang, zone, 'long')} · ${offsetNow(lang, zone, 'longOffset')}`;
}
