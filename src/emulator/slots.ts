/** Free-slot search: the part of findtime that turns busy intervals and filters into slots. */
import { WEEKDAYS, zonedParts } from './time.js';

export interface Interval {
  start: number;
  end: number;
}

/** One Timekit filter, e.g. `{business_hours: {timezone}}`, compiled to a slot predicate. */
export type SlotFilter = (slot: Interval) => boolean;

export interface FilterSet {
  or?: SlotFilter[];
  and?: SlotFilter[];
}

const HOUR = 3_600_000;

/** True when the slot lies on one local day, between `fromHour` and `toHour`, on an allowed weekday. */
function withinLocalHours(slot: Interval, zone: string, days: number[], fromHour: number, toHour: number): boolean {
  const start = zonedParts(new Date(slot.start), zone);
  if (!days.includes(start.weekday)) return false;
  const startMinute = start.hour * 60 + start.minute;
  const endMinute = startMinute + (slot.end - slot.start) / 60_000;
  return startMinute >= fromHour * 60 && endMinute <= toHour * 60;
}

function dayIndex(day: unknown): number {
  return typeof day === 'string' ? WEEKDAYS.indexOf(day.toLowerCase()) : -1;
}

/**
 * Compiles one single-key filter object. Returns an error message instead when the filter is
 * unknown or its arguments are wrong.
 */
export function compileFilter(filter: unknown, defaultZone: string, isZone: (z: unknown) => boolean): SlotFilter | string {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) return 'Each filter must be an object';
  const entries = Object.entries(filter);
  if (entries.length !== 1) return 'Each filter must have exactly one key';
  const [name, rawArgs] = entries[0]!;
  const args = (rawArgs ?? {}) as Record<string, unknown>;
  if (typeof args !== 'object' || Array.isArray(args)) return `The arguments of ${name} must be an object`;
  const zone = args.timezone ?? defaultZone;
  if (!isZone(zone)) return `${name}: timezone must be a valid IANA time zone`;
  const tz = zone as string;
  switch (name) {
    case 'business_hours':
      return (slot) => withinLocalHours(slot, tz, [1, 2, 3, 4, 5], 9, 17);
    case 'exclude_weekend':
      return (slot) => withinLocalHours(slot, tz, [1, 2, 3, 4, 5], 0, 24);
    case 'specific_day': {
      const day = dayIndex(args.day);
      if (day < 0) return 'specific_day: day must be a weekday name such as Monday';
      return (slot) => withinLocalHours(slot, tz, [day], 0, 24);
    }
    case 'specific_day_and_time': {
      const day = dayIndex(args.day);
      const from = Number(args.start);
      const to = Number(args.end);
      if (day < 0) return 'specific_day_and_time: day must be a weekday name such as Monday';
      if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > 24 || from >= to) {
        return 'specific_day_and_time: start and end must be hours 0–24 with start before end';
      }
      return (slot) => withinLocalHours(slot, tz, [day], from, to);
    }
    default:
      return `Unknown filter "${name}"`;
  }
}

/**
 * Slots of `length` from `from` to `to` that overlap no busy interval (widened by `buffer`) and
 * pass the filters. Slots start on multiples of `step`, counted from the Unix epoch, so an
 * hour-long search starts on whole hours.
 */
export function freeSlots(options: {
  busy: Interval[];
  from: number;
  to: number;
  length: number;
  step: number;
  buffer?: number;
  filters?: FilterSet;
}): Interval[] {
  const { length, step, buffer = 0, filters = {} } = options;
  const busy = options.busy.map((b) => ({ start: b.start - buffer, end: b.end + buffer })).sort((a, b) => a.start - b.start);
  const alignment = Math.min(step, HOUR);
  const slots: Interval[] = [];
  // One sweep instead of testing every busy interval against every slot: slots only move later, so
  // the intervals starting before a slot's end only grow, and the slot is busy exactly when the
  // latest end among them is after the slot's start.
  let next = 0;
  let latestEnd = -Infinity;
  for (let start = Math.ceil(options.from / alignment) * alignment; start + length <= options.to; start += step) {
    const slot = { start, end: start + length };
    while (next < busy.length && busy[next]!.start < slot.end) latestEnd = Math.max(latestEnd, busy[next++]!.end);
    if (latestEnd > slot.start) continue;
    if (filters.and && !filters.and.every((f) => f(slot))) continue;
    if (filters.or && filters.or.length > 0 && !filters.or.some((f) => f(slot))) continue;
    slots.push(slot);
  }
  return slots;
}
