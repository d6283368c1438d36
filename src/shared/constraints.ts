/**
 * Timekit's availability constraints (formerly "filters"), as the reference names them: stored on
 * a resource as `availability_constraints`, sent per query to `POST /availability`, evaluated in
 * the resource's time zone. Day names are capitalised (a lowercase day is reported to be ignored).
 * Hours are whole hours 0–24, as Timekit's SDKs send them.
 */
export const TK_WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export type TkWeekday = (typeof TK_WEEKDAYS)[number];

/** A period: RFC 3339 timestamps with an offset. */
export interface TkPeriod {
  start: string;
  end: string;
}

export type TkConstraint =
  | { allow_day_and_time: { day: TkWeekday; start: number; end: number } }
  | { block_day_and_time: { day: TkWeekday; start: number; end: number } }
  | { allow_hours: { start: number; end: number } }
  | { block_hours: { start: number; end: number } }
  | { allow_day: { day: TkWeekday } }
  | { block_day: { day: TkWeekday } }
  | { allow_period: TkPeriod }
  | { block_period: TkPeriod }
  | { allow_weekdays: Record<string, never> }
  | { block_weekends: Record<string, never> };

/** What a provider sets: when they can be booked, and the zone the hours are in. */
export interface TkAvailabilityRules {
  constraints: TkConstraint[];
  /** IANA zone, e.g. `Europe/Berlin` (the resource's `timezone`). */
  timezone: string;
}

/** One bookable slot as the preview shows it. */
export interface TkSlot {
  start: string;
  end: string;
}
