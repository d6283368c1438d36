/**
 * Which slots a list of Timekit constraints allows, in the zone the hours are in: a slot must lie
 * inside one `allow_*` rule (any of them; no `allow_*` rule at all allows all time) and touch no
 * `block_*` rule. The emulator answers `POST /availability` with it, and the session applies it to
 * a findtime answer, which has no filter for blocks or periods. Slots are taken to be shorter than
 * a day; hours are wall-clock hours, so a slot across a DST change is judged by its start.
 */
import { TK_WEEKDAYS } from './constraints.js';
import { zonedParts } from './zoned-time.js';

/** Instants in milliseconds since the epoch. */
export interface SlotRange {
  start: number;
  end: number;
}

export interface CompiledConstraints {
  allow: Array<(slot: SlotRange) => boolean>;
  block: Array<(slot: SlotRange) => boolean>;
}

export interface CompileOptions {
  /** Drop a day-based constraint whose day is not written capitalised (`monday`), as Timekit is reported to. */
  ignoreUncapitalisedDays?: boolean;
}

/** The part of one local day a slot covers: weekday 0 = Sunday, minutes from local midnight. */
interface DaySpan {
  weekday: number;
  from: number;
  to: number;
}

const DAY_MINUTES = 24 * 60;
const RFC3339_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

function daySpans(slot: SlotRange, zone: string): DaySpan[] {
  const start = zonedParts(new Date(slot.start), zone);
  const from = start.hour * 60 + start.minute;
  const length = (slot.end - slot.start) / 60_000;
  if (from + length <= DAY_MINUTES) return [{ weekday: start.weekday, from, to: from + length }];
  const end = zonedParts(new Date(slot.end), zone);
  return [
    { weekday: start.weekday, from, to: DAY_MINUTES },
    { weekday: end.weekday, from: 0, to: end.hour * 60 + end.minute },
  ];
}

/** A rule over local days and hours: `allow` needs the whole slot inside it, `block` any overlap. */
function dayRule(zone: string, days: readonly number[], startHour: number, endHour: number, kind: 'allow' | 'block') {
  const [low, high] = [startHour * 60, endHour * 60];
  return (slot: SlotRange) => {
    const spans = daySpans(slot, zone);
    if (kind === 'allow') {
      const [span] = spans;
      return spans.length === 1 && days.includes(span!.weekday) && span!.from >= low && span!.to <= high;
    }
    return spans.some((span) => days.includes(span.weekday) && span.from < high && span.to > low);
  };
}

const isHour = (value: unknown): value is number => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 24;

/** The weekday (0 = Sunday) a day name stands for, `ignored`, or null when it names no day. */
function weekday(day: unknown, options: CompileOptions): number | 'ignored' | null {
  if (typeof day !== 'string') return null;
  const index = TK_WEEKDAYS.findIndex((name) => name.toLowerCase() === day.toLowerCase());
  if (index < 0) return null;
  if (options.ignoreUncapitalisedDays && day !== TK_WEEKDAYS[index]) return 'ignored';
  return (index + 1) % 7;
}

/**
 * Compiles a constraint list for `zone`; returns the problems instead (one message each) when a
 * constraint is not an object with one known key and valid arguments.
 */
export function compileConstraints(list: readonly unknown[], zone: string, options: CompileOptions = {}): CompiledConstraints | string[] {
  const compiled: CompiledConstraints = { allow: [], block: [] };
  const problems: string[] = [];
  list.forEach((constraint, position) => {
    const entries = constraint !== null && typeof constraint === 'object' && !Array.isArray(constraint) ? Object.entries(constraint) : [];
    if (entries.length !== 1) return problems.push(`Constraint ${position} must be an object with exactly one key`);
    const [name, rawArgs] = entries[0]!;
    const args = (rawArgs !== null && typeof rawArgs === 'object' ? rawArgs : {}) as Record<string, unknown>;
    const kind = name.startsWith('allow_') ? 'allow' : name.startsWith('block_') ? 'block' : null;
    const rule = kind && rulesFor(name.slice(kind.length + 1), kind, args, zone, options);
    if (!kind || rule === undefined) return problems.push(`Unknown constraint "${name}"`);
    if (typeof rule === 'string') return problems.push(`${name}: ${rule}`);
    if (rule !== null) compiled[kind].push(rule);
    return undefined;
  });
  return problems.length > 0 ? problems : compiled;
}

/** One rule's check; a problem; null when the rule is ignored; undefined when the name is unknown. */
function rulesFor(
  type: string,
  kind: 'allow' | 'block',
  args: Record<string, unknown>,
  zone: string,
  options: CompileOptions,
): ((slot: SlotRange) => boolean) | string | null | undefined {
  const hours = () => (isHour(args.start) && isHour(args.end) && args.start < args.end ? null : 'start and end must be whole hours 0–24, start before end');
  switch (type) {
    case 'day_and_time':
    case 'day': {
      const day = weekday(args.day, options);
      if (day === null) return 'day must be a weekday name such as Monday';
      const badHours = type === 'day_and_time' ? hours() : null;
      if (badHours) return badHours;
      if (day === 'ignored') return null;
      return type === 'day' ? dayRule(zone, [day], 0, 24, kind) : dayRule(zone, [day], args.start as number, args.end as number, kind);
    }
    case 'hours':
      return hours() ?? dayRule(zone, [0, 1, 2, 3, 4, 5, 6], args.start as number, args.end as number, kind);
    case 'weekdays':
      return kind === 'allow' ? dayRule(zone, [1, 2, 3, 4, 5], 0, 24, kind) : undefined;
    case 'weekends':
      return kind === 'block' ? dayRule(zone, [0, 6], 0, 24, kind) : undefined;
    case 'period': {
      const [start, end] = [args.start, args.end].map((v) => (typeof v === 'string' && RFC3339_WITH_OFFSET.test(v) ? Date.parse(v) : NaN));
      if (!(start! < end!)) return 'start and end must be RFC 3339 timestamps with an offset, start before end';
      return kind === 'allow' ? (slot) => slot.start >= start! && slot.end <= end! : (slot) => slot.start < end! && slot.end > start!;
    }
    default:
      return undefined;
  }
}

/** Whether the compiled constraints allow `slot`. */
export function constraintsAllow(compiled: CompiledConstraints, slot: SlotRange): boolean {
  if (compiled.allow.length > 0 && !compiled.allow.some((allows) => allows(slot))) return false;
  return !compiled.block.some((blocks) => blocks(slot));
}
