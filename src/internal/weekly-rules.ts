/**
 * `<tk-availability-rules>`'s model without the DOM: weekly hours, time off and extra hours in the
 * provider's zone, and how they become Timekit's constraints and back. Periods are kept as local
 * dates and whole hours, so changing the zone keeps "9 to 5 on the 24th" in the new zone.
 */
import { TK_WEEKDAYS, type TkAvailabilityRules, type TkConstraint, type TkWeekday } from '../shared/constraints.js';
import { isTimeZone } from '../shared/zoned-time.js';

/** Whole hours, `start` 0–23 and `end` 1–24. */
export interface HourRange {
  start: number;
  end: number;
}

/** Dates off (`YYYY-MM-DD`, both included), whole days or from an hour on the first to an hour on the last. */
export interface TimeOff {
  startDate: string;
  endDate: string;
  wholeDays: boolean;
  startHour: number;
  endHour: number;
}

/** Bookable hours on one date, beyond the week's. */
export interface ExtraHours {
  date: string;
  start: number;
  end: number;
}

export interface RulesModel {
  timezone: string;
  /** Each weekday's ranges; none is a day off. */
  week: Record<TkWeekday, HourRange[]>;
  timeOff: TimeOff[];
  extraHours: ExtraHours[];
  /** Constraints this element does not edit (`block_weekends`, `allow_hours`…), kept as they came. */
  other: TkConstraint[];
}

/** Why a row cannot be saved. */
export type RowProblem = 'order' | 'overlap' | 'missing-date';

/** The default for a new provider: Monday to Friday, 9 to 17, in their zone. */
const SUGGESTED_RANGE: HourRange = { start: 9, end: 17 };

const WORKDAYS: readonly TkWeekday[] = TK_WEEKDAYS.slice(0, 5);

function emptyWeek(): Record<TkWeekday, HourRange[]> {
  return Object.fromEntries(TK_WEEKDAYS.map((day) => [day, []])) as unknown as Record<TkWeekday, HourRange[]>;
}

export function suggestedModel(timezone: string): RulesModel {
  const week = emptyWeek();
  for (const day of WORKDAYS) week[day] = [{ ...SUGGESTED_RANGE }];
  return { timezone: usableZone(timezone), week, timeOff: [], extraHours: [], other: [] };
}

/** The zone this browser is in: the zone of a provider whose resource names none. */
const browserZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

const isWeekday = (day: unknown): day is TkWeekday => (TK_WEEKDAYS as readonly unknown[]).includes(day);
const isWholeHour = (hour: unknown, min: number, max: number): hour is number => Number.isInteger(hour) && (hour as number) >= min && (hour as number) <= max;

export function modelFromRules(rules: TkAvailabilityRules): RulesModel {
  const model: RulesModel = { timezone: usableZone(rules.timezone), week: emptyWeek(), timeOff: [], extraHours: [], other: [] };
  for (const constraint of rules.constraints) {
    if (!readConstraint(model, constraint)) model.other.push(constraint);
  }
  return model;
}

/** Adds a constraint this element edits to the model; false for any other (kept as it is). */
function readConstraint(model: RulesModel, constraint: TkConstraint): boolean {
  if ('allow_day_and_time' in constraint) {
    const { day, start, end } = constraint.allow_day_and_time;
    if (!isWeekday(day) || !isWholeHour(start, 0, 23) || !isWholeHour(end, 1, 24)) return false;
    model.week[day].push({ start, end });
    return true;
  }
  if ('block_period' in constraint) {
    const start = localHour(constraint.block_period.start, model.timezone);
    const end = localHour(constraint.block_period.end, model.timezone);
    if (!start || !end) return false;
    const wholeDays = start.hour === 0 && end.hour === 0 && end.date > start.date;
    const endsAtMidnight = end.hour === 0 && end.date > start.date;
    model.timeOff.push({
      startDate: start.date,
      endDate: endsAtMidnight ? addDays(end.date, -1) : end.date,
      wholeDays,
      startHour: start.hour,
      endHour: endsAtMidnight ? 24 : end.hour,
    });
    return true;
  }
  if ('allow_period' in constraint) {
    const start = localHour(constraint.allow_period.start, model.timezone);
    const end = localHour(constraint.allow_period.end, model.timezone);
    if (!start || !end) return false;
    if (end.date === start.date && end.hour > start.hour) model.extraHours.push({ date: start.date, start: start.hour, end: end.hour });
    else if (end.hour === 0 && end.date === addDays(start.date, 1)) model.extraHours.push({ date: start.date, start: start.hour, end: 24 });
    else return false;
    return true;
  }
  return false;
}

/** The constraints of a model (call it only when `modelProblems` finds none). */
export function rulesFromModel(model: RulesModel): TkAvailabilityRules {
  const zone = model.timezone;
  const constraints: TkConstraint[] = [];
  for (const day of TK_WEEKDAYS) {
    for (const { start, end } of model.week[day]) constraints.push({ allow_day_and_time: { day, start, end } });
  }
  for (const off of model.timeOff) {
    const [startHour, endHour] = off.wholeDays ? [0, 24] : [off.startHour, off.endHour];
    constraints.push({ block_period: { start: zonedTimestamp(off.startDate, startHour, zone), end: zonedTimestamp(off.endDate, endHour, zone) } });
  }
  for (const extra of model.extraHours) {
    constraints.push({ allow_period: { start: zonedTimestamp(extra.date, extra.start, zone), end: zonedTimestamp(extra.date, extra.end, zone) } });
  }
  return { constraints: [...constraints, ...model.other], timezone: zone };
}

/** Per range of one day: ends before it starts, or overlaps an earlier range. */
export function rangeProblems(ranges: readonly HourRange[]): Array<RowProblem | undefined> {
  return ranges.map((range, index) => {
    if (range.end <= range.start) return 'order';
    const overlaps = ranges.some((other, i) => i !== index && other.end > other.start && other.start < range.end && range.start < other.end);
    return overlaps ? 'overlap' : undefined;
  });
}

export function timeOffProblem(off: TimeOff): RowProblem | undefined {
  if (!off.startDate || !off.endDate) return 'missing-date';
  if (off.endDate < off.startDate) return 'order';
  if (!off.wholeDays && off.endDate === off.startDate && off.endHour <= off.startHour) return 'order';
  return undefined;
}

export function extraHoursProblem(extra: ExtraHours): RowProblem | undefined {
  if (!extra.date) return 'missing-date';
  return extra.end <= extra.start ? 'order' : undefined;
}

/** Whether any row of the model cannot be saved. */
export function hasProblems(model: RulesModel): boolean {
  return (
    TK_WEEKDAYS.some((day) => rangeProblems(model.week[day]).some(Boolean)) ||
    model.timeOff.some((off) => timeOffProblem(off)) ||
    model.extraHours.some((extra) => extraHoursProblem(extra))
  );
}

/** Whether the rules offer any bookable time (what `required` asks for). */
export function hasBookableTime(model: RulesModel): boolean {
  return TK_WEEKDAYS.some((day) => model.week[day].length > 0) || model.extraHours.length > 0;
}

/** A range to add after a day's last one (the suggested hours on a day off). */
export function nextRange(ranges: readonly HourRange[]): HourRange {
  const last = ranges.at(-1);
  if (!last) return { ...SUGGESTED_RANGE };
  const start = Math.min(Math.max(last.end, last.start + 1), 23);
  return { start, end: Math.min(start + 1, 24) };
}

// --- time zones -----------------------------------------------------------------------------

const wallClocks = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `zone` at an instant, as `[year, month, day, hour, minute, second]`. */
function wallClock(instant: number, zone: string): number[] {
  let format = wallClocks.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    wallClocks.set(zone, format);
  }
  const parts = format.formatToParts(instant);
  return ['year', 'month', 'day', 'hour', 'minute', 'second'].map((type) => Number(parts.find((p) => p.type === type)!.value));
}

/** The zone's offset from UTC at an instant, in minutes. */
function offsetMinutes(instant: number, zone: string): number {
  const [year, month, day, hour, minute, second] = wallClock(instant, zone) as [number, number, number, number, number, number];
  return Math.round((Date.UTC(year, month - 1, day, hour, minute, second) - instant) / 60_000);
}

const pad = (n: number) => String(n).padStart(2, '0');
const isoDate = (utc: Date) => `${utc.getUTCFullYear()}-${pad(utc.getUTCMonth() + 1)}-${pad(utc.getUTCDate())}`;

function parseDate(date: string): [number, number, number] {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return [year, month, day];
}

export function addDays(date: string, days: number): string {
  const [year, month, day] = parseDate(date);
  return isoDate(new Date(Date.UTC(year, month - 1, day + days)));
}

/** `date` at `hour` (24 is the next midnight) on the wall clock in `zone`, as RFC 3339 with that zone's offset then. */
function zonedTimestamp(date: string, hour: number, zone: string): string {
  const [year, month, day] = parseDate(date);
  const wall = Date.UTC(year, month - 1, day, hour);
  // The offset at the wall time read as UTC is off by at most one change; a second look settles it.
  const offset = offsetMinutes(wall - offsetMinutes(wall, zone) * 60_000, zone);
  const wallDate = new Date(wall);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${isoDate(wallDate)}T${pad(wallDate.getUTCHours())}:00:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** A timestamp's local date and whole hour in `zone`; undefined when it is not on a whole hour or not a time. */
function localHour(timestamp: string, zone: string): { date: string; hour: number } | undefined {
  const instant = Date.parse(timestamp);
  if (Number.isNaN(instant)) return undefined;
  const [year, month, day, hour, minute, second] = wallClock(instant, zone) as [number, number, number, number, number, number];
  if (minute !== 0 || second !== 0) return undefined;
  return { date: `${year}-${pad(month)}-${pad(day)}`, hour };
}

/** Today's date on the wall clock in `zone`. */
export function today(zone: string): string {
  const [year, month, day] = wallClock(Date.now(), zone) as [number, number, number];
  return `${year}-${pad(month)}-${pad(day)}`;
}

/** The zone when the engine knows it, else this browser's (a resource may name none, or one `Intl` lacks). */
function usableZone(zone: string | undefined): string {
  return isTimeZone(zone) ? zone : browserZone();
}

/** The `value` attribute's JSON: `{constraints, timezone}` or the constraint list alone; undefined when it is neither. */
export function parseRules(json: string): TkAvailabilityRules | undefined {
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
