/**
 * The rows of `<tk-availability-rules>`: the week (a row per weekday, its ranges of hours), time
 * off and extra hours, each with its problem. Every change goes through the element's `edit`.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { guard } from 'lit/directives/guard.js';
import { live } from 'lit/directives/live.js';
import type { TkRulesStrings } from '../../i18n/rules-strings.js';
import { TK_WEEKDAYS, type TkWeekday } from '../../shared/constraints.js';
import { addDays, extraHoursProblem, nextRange, rangeProblems, timeOffProblem, today, type HourRange, type RowProblem, type RulesModel } from '../../internal/weekly-rules.js';
import { hourOptions, weekdayName, zoneDescription, zoneOptions } from './rules-intl.js';

/** What the rows need from the element. */
export interface RulesView {
  readonly strings: TkRulesStrings;
  /** The language `Intl` writes weekdays and hours in. */
  readonly lang: string;
  /** Applies one user edit to a copy of the model. */
  edit(change: (model: RulesModel) => void): void;
  /** Each weekday's ranges before it became a day off, for when it is available again. */
  readonly rangesBeforeDayOff: Map<TkWeekday, HourRange[]>;
}

/** What the save status shows. */
export type SaveStatus = 'idle' | 'saving' | 'saved';

const copyMondayToWeekdays = (m: RulesModel) => {
  for (const day of TK_WEEKDAYS.slice(1, 5)) m.week[day] = structuredClone(m.week.Monday);
};

const addTimeOff = (m: RulesModel) => {
  const date = today(m.timezone);
  m.timeOff.push({ startDate: date, endDate: date, wholeDays: true, startHour: 9, endHour: 17 });
};

const addExtraHours = (m: RulesModel) => {
  m.extraHours.push({ date: addDays(today(m.timezone), 1), start: 9, end: 17 });
};

/** The time zone `<select>` (every zone the engine knows) and the chosen zone's name and offset now. */
export function renderZone(view: RulesView, model: RulesModel): TemplateResult {
  const { lang } = view;
  const choose = (event: Event) => {
    const zone = (event.target as HTMLSelectElement).value;
    if (zone) view.edit((m) => void (m.timezone = zone));
  };
  return html`<div class="zone">
    <label>
      <span>${view.strings.timezone}</span>
      <select part="timezone" @change=${choose}>
        ${guard([lang, model.timezone], () => zoneOptions(lang, model.timezone).map(({ zone, label }) => html`<option value=${zone} .selected=${live(zone === model.timezone)}>${label}</option>`))}
      </select>
    </label>
    <span part="zone-name">${zoneDescription(lang, model.timezone)}</span>
  </div>`;
}

/** A weekday becomes available (with its ranges from before it was a day off) or a day off. */
function toggleDay(view: RulesView, day: TkWeekday, available: boolean): void {
  view.edit((m) => {
    if (available) {
      m.week[day] = view.rangesBeforeDayOff.get(day) ?? [nextRange([])];
    } else {
      view.rangesBeforeDayOff.set(day, m.week[day]);
      m.week[day] = [];
    }
  });
}

export function renderWeek(view: RulesView, model: RulesModel): TemplateResult {
  return html`<fieldset part="week">
    <legend>${view.strings.weeklyHours}</legend>
    ${TK_WEEKDAYS.map((day, index) => renderDay(view, model, day, weekdayName(view.lang, index)))}
  </fieldset>`;
}

function renderDay(view: RulesView, model: RulesModel, day: TkWeekday, dayName: string): TemplateResult {
  const t = view.strings;
  const ranges = model.week[day];
  const problems = rangeProblems(ranges);
  const nameId = `day-${day}`;
  return html`<div part="day" role="group" aria-labelledby=${nameId} data-day=${day}>
    <label class="day-name">
      <input part="day-toggle" type="checkbox" .checked=${live(ranges.length > 0)} @change=${(event: Event) => toggleDay(view, day, (event.target as HTMLInputElement).checked)} />
      <span part="day-name" id=${nameId}>${dayName}</span>
    </label>
    <div class="ranges">
      ${ranges.length === 0 ? html`<span class="muted">${t.dayOff}</span>` : nothing}
      ${ranges.map((range, index) => renderRange(view, day, dayName, range, index, problems[index]))}
      <div class="actions">
        <button type="button" part="add-range" @click=${() => view.edit((m) => m.week[day].push(nextRange(m.week[day])))}>${t.addRange(dayName)}</button>
        ${day === 'Monday' ? html`<button type="button" part="copy-to-weekdays" @click=${() => view.edit(copyMondayToWeekdays)}>${t.copyToWeekdays(dayName)}</button>` : nothing}
      </div>
    </div>
  </div>`;
}

function renderRange(view: RulesView, day: TkWeekday, dayName: string, range: HourRange, index: number, problem: RowProblem | undefined): TemplateResult {
  const t = view.strings;
  const name = t.rangeName(dayName, index + 1);
  const problemId = `problem-${day}-${index}`;
  const set = (field: keyof HourRange) => (event: Event) => {
    const hour = Number((event.target as HTMLSelectElement).value);
    view.edit((m) => void (m.week[day][index]![field] = hour));
  };
  const fields = (described: string | undefined) => html`${hourSelect(view, 'start', t.from, range.start, 0, 23, described, set('start'))}
    ${hourSelect(view, 'end', t.until, range.end, 1, 24, described, set('end'))}`;
  return renderRow(view, { part: 'range', name, index, problem, problemId }, fields, (m) => void m.week[day].splice(index, 1));
}

/**
 * One row (a range, a time off, a date with extra hours): its fields, a remove button and its
 * problem, which `fields` get the id of to describe themselves with.
 */
function renderRow(
  view: RulesView,
  row: { part: string; name: string; index: number; problem: RowProblem | undefined; problemId: string },
  fields: (described: string | undefined) => TemplateResult,
  remove: (model: RulesModel) => void,
): TemplateResult {
  return html`<div part=${row.part} role="group" aria-label=${row.name} data-index=${row.index}>
    ${fields(row.problem ? row.problemId : undefined)}
    <button type="button" part="remove" aria-label=${view.strings.remove(row.name)} @click=${() => view.edit(remove)}>×</button>
    ${row.problem ? html`<div part="row-error" id=${row.problemId} role="alert">${view.strings.problems[row.problem]}</div>` : nothing}
  </div>`;
}

/** A native `<select>` of whole hours from `min` to `max`, labelled, with the row's problem described. */
function hourSelect(view: RulesView, partName: string, label: string, hour: number, min: number, max: number, problemId: string | undefined, onChange: (event: Event) => void): TemplateResult {
  const lang = view.lang;
  return html`<label>
    <span>${label}</span>
    <select part=${partName} aria-invalid=${problemId ? 'true' : 'false'} aria-describedby=${problemId ?? nothing} @change=${onChange}>
      ${hourOptions(lang, min, max).map(({ hour: h, label: text }) => html`<option value=${h} .selected=${live(h === hour)}>${h === 24 ? view.strings.endOfDay : text}</option>`)}
    </select>
  </label>`;
}

/**
 * The change handlers of one row's fields: `update(change)` handles a field's `change` event,
 * passing `change` the row in the edited model and the field's value (a checkbox's as `'true'`/`'false'`).
 */
function fieldEditor<Row>(view: RulesView, rowOf: (model: RulesModel) => Row) {
  return (change: (row: Row, value: string) => void) => (event: Event) => {
    const target = event.target as HTMLInputElement;
    view.edit((m) => change(rowOf(m), target.type === 'checkbox' ? String(target.checked) : target.value));
  };
}

/** A section of dated rows (time off, extra hours) with its add button. */
function renderSection(part: string, legend: string, rows: TemplateResult[], add: TemplateResult): TemplateResult {
  return html`<fieldset part=${part}>
    <legend>${legend}</legend>
    ${rows} ${add}
  </fieldset>`;
}

export function renderTimeOff(view: RulesView, model: RulesModel): TemplateResult {
  const t = view.strings;
  const rows = model.timeOff.map((off, index) => {
    const name = t.timeOffName(index + 1);
    const update = fieldEditor(view, (m) => m.timeOff[index]!);
    const fields = (described: string | undefined) => html`${dateInput(t.from, off.startDate, described, update((o, v) => void (o.startDate = v)))}
      ${dateInput(t.until, off.endDate, described, update((o, v) => void (o.endDate = v)))}
      <label><input type="checkbox" part="whole-days" .checked=${live(off.wholeDays)} @change=${update((o, v) => void (o.wholeDays = v === 'true'))} /> ${t.wholeDays}</label>
      ${off.wholeDays
        ? nothing
        : html`${hourSelect(view, 'start', t.from, off.startHour, 0, 23, described, update((o, v) => void (o.startHour = Number(v))))}
          ${hourSelect(view, 'end', t.until, off.endHour, 1, 24, described, update((o, v) => void (o.endHour = Number(v))))}`}`;
    return renderRow(view, { part: 'period', name, index, problem: timeOffProblem(off), problemId: `problem-off-${index}` }, fields, (m) => void m.timeOff.splice(index, 1));
  });
  return renderSection('time-off', t.timeOff, rows, html`<button type="button" part="add-time-off" @click=${() => view.edit(addTimeOff)}>${t.addTimeOff}</button>`);
}

export function renderExtraHours(view: RulesView, model: RulesModel): TemplateResult {
  const t = view.strings;
  const rows = model.extraHours.map((extra, index) => {
    const name = t.extraHoursName(index + 1);
    const update = fieldEditor(view, (m) => m.extraHours[index]!);
    const fields = (described: string | undefined) => html`${dateInput(t.date, extra.date, described, update((e, v) => void (e.date = v)))}
      ${hourSelect(view, 'start', t.from, extra.start, 0, 23, described, update((e, v) => void (e.start = Number(v))))}
      ${hourSelect(view, 'end', t.until, extra.end, 1, 24, described, update((e, v) => void (e.end = Number(v))))}`;
    return renderRow(view, { part: 'extra', name, index, problem: extraHoursProblem(extra), problemId: `problem-extra-${index}` }, fields, (m) => void m.extraHours.splice(index, 1));
  });
  return renderSection('extra-hours', t.extraHours, rows, html`<button type="button" part="add-extra-hours" @click=${() => view.edit(addExtraHours)}>${t.addExtraHours}</button>`);
}

function dateInput(label: string, date: string, problemId: string | undefined, onChange: (event: Event) => void): TemplateResult {
  return html`<label>
    <span>${label}</span>
    <input type="date" part="date" .value=${live(date)} aria-invalid=${problemId ? 'true' : 'false'} aria-describedby=${problemId ?? nothing} @change=${onChange} />
  </label>`;
}

/** The note that the hours shown are a suggestion, with a button that saves them (auto mode). */
export function renderSuggestion(view: RulesView, handleSave: (() => void) | undefined): TemplateResult {
  const t = view.strings;
  return html`<div part="suggestion">
    <span>${t.suggestion}</span>
    ${handleSave ? html`<button type="button" part="save-suggestion" @click=${handleSave}>${t.saveSuggestion}</button>` : nothing}
  </div>`;
}

/** "Saving…" or "Saved", and a refused save with the error's text and its retry. */
export function renderSaveState(view: RulesView, status: SaveStatus, failure: { message: string; retry: string; handleRetry: () => void } | undefined): TemplateResult {
  const t = view.strings;
  return html`<div part="save-status" role="status">${status === 'saving' ? t.saving : status === 'saved' ? t.saved : ''}</div>
    ${failure
      ? html`<div part="save-error" role="alert">
          <span>${t.saveFailed} ${failure.message}</span>
          <button type="button" part="retry-button" @click=${failure.handleRetry}>${failure.retry}</button>
        </div>`
      : nothing}`;
}
