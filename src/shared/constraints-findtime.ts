/**
 * The same rules for `POST /findtime`, which knows only the filter-era names: each `allow_*` rule
 * becomes an `or` filter and `block_weekends` an `and` filter, with the rules' zone. Findtime has
 * no filter for the other blocks nor for periods, so whoever asks findtime also checks its answer
 * with `constraintsAllow` (constraint-slots.ts); the filters only narrow what comes back.
 */
import { TK_WEEKDAYS, type TkAvailabilityRules, type TkConstraint } from './constraints.js';

type FindtimeFilter = Record<string, Record<string, unknown>>;

export interface FindtimeFilters {
  or?: FindtimeFilter[];
  and?: FindtimeFilter[];
}

const WORKDAYS = TK_WEEKDAYS.slice(0, 5);

/** The findtime filters of one `allow_*` rule, or null when findtime has none for it. */
function allowFilters(constraint: TkConstraint, timezone: string): FindtimeFilter[] | null {
  if ('allow_day_and_time' in constraint) return [{ specific_day_and_time: { ...constraint.allow_day_and_time, timezone } }];
  if ('allow_day' in constraint) return [{ specific_day: { day: constraint.allow_day.day, timezone } }];
  if ('allow_hours' in constraint) {
    return TK_WEEKDAYS.map((day) => ({ specific_day_and_time: { day, ...constraint.allow_hours, timezone } }));
  }
  if ('allow_weekdays' in constraint) return WORKDAYS.map((day) => ({ specific_day: { day, timezone } }));
  return null;
}

export function findtimeFilters({ constraints, timezone }: TkAvailabilityRules): FindtimeFilters {
  const filters: FindtimeFilters = {};
  const allows = constraints.filter((c) => Object.keys(c)[0]?.startsWith('allow_'));
  const or = allows.map((c) => allowFilters(c, timezone));
  // One allow rule findtime cannot say (a period) would be lost from the `or`: then the check of
  // the answer does all the allowing.
  if (or.length > 0 && or.every((f) => f !== null)) filters.or = or.flat() as FindtimeFilter[];
  if (constraints.some((c) => 'block_weekends' in c)) filters.and = [{ exclude_weekend: { timezone } }];
  return filters;
}
