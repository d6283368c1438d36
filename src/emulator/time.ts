/** Timestamps, relative durations and time zones, the way Timekit writes and reads them. */
import { isTimeZone, zonedParts } from '../shared/zoned-time.js';

export { isTimeZone, zonedParts };

const MINUTE = 60_000;
const UNIT_MS: Record<string, number> = {
  second: 1000,
  minute: MINUTE,
  hour: 60 * MINUTE,
  day: 24 * 60 * MINUTE,
  week: 7 * 24 * 60 * MINUTE,
  month: 30 * 24 * 60 * MINUTE,
};

/** RFC 3339 with a colon in the offset, always UTC: `2026-05-26T15:30:00+00:00`. */
export function formatTimestamp(date: Date | number): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses RFC 3339, accepting offsets with or without a colon (`+0100`). Null when invalid. */
export function parseTimestamp(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const match = RFC3339.exec(value.trim());
  if (!match) return null;
  const [, date, time, zone] = match;
  const offset = zone!.toUpperCase() === 'Z' ? 'Z' : `${zone!.slice(0, 3)}:${zone!.slice(-2)}`;
  const parsed = new Date(`${date}T${time}${offset}`);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}

/**
 * Parses a Timekit relative duration such as `"1 hour"`, `"30 minutes"` or `"3 days 2 weeks"`
 * into milliseconds. Null when the text is not one.
 */
export function parseDuration(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const parts = value.trim().toLowerCase().split(/\s+/);
  if (parts.length === 0 || parts.length % 2 !== 0) return null;
  let total = 0;
  for (let i = 0; i < parts.length; i += 2) {
    const amount = Number(parts[i]);
    const unit = UNIT_MS[parts[i + 1]!.replace(/s$/, '')];
    if (!Number.isFinite(amount) || amount < 0 || unit === undefined) return null;
    total += amount * unit;
  }
  // `1e308 weeks` overflows to Infinity, which no window or slot can be built from.
  return total > 0 && Number.isFinite(total) ? total : null;
}


/** The instant at which the wall clock in `zone` reads the given local date and time. */
export function zonedTime(zone: string, year: number, month: number, day: number, hour = 0, minute = 0): Date {
  const wanted = Date.UTC(year, month - 1, day, hour, minute);
  let guess = wanted;
  // Two corrections settle every real offset, DST transitions included.
  for (let i = 0; i < 2; i++) {
    const p = zonedParts(new Date(guess), zone);
    const seen = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wanted - seen;
  }
  return new Date(guess);
}

export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
