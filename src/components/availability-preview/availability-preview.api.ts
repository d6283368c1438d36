/**
 * What `<tk-availability-preview>` computes without the DOM: the window it asks Timekit about, the
 * days it shows in a time zone, and the slots grouped by those days. Dates are `YYYY-MM-DD` keys
 * of the wall calendar in the zone shown, so daylight-saving days are neither lost nor doubled.
 */
import type { TkSlot } from '../../shared/constraints.js';
import { isTimeZone } from '../../shared/zoned-time.js';

/** A zone `Intl` knows, else undefined (the browser's own zone then). */
export function knownZone(zone: string | null | undefined): string | undefined {
  return isTimeZone(zone) ? zone : undefined;
}

/** `lang` as a locale `Intl` takes, else undefined (the engine's default): a page or browser may report one Intl refuses (`C`). */
export function intlLocale(lang: string): string | undefined {
  try {
    return Intl.getCanonicalLocales(lang)[0];
  } catch {
    return undefined;
  }
}

const dayKeyFormats = new Map<string, Intl.DateTimeFormat>();

/** The `YYYY-MM-DD` date of `instant` on the wall calendar of `zone`. */
export function dayKey(instant: number, zone: string | undefined): string {
  const cacheKey = zone ?? '';
  let format = dayKeyFormats.get(cacheKey);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dayKeyFormats.set(cacheKey, format);
  }
  // from the parts: no locale writes YYYY-MM-DD in every engine
  const parts = format.formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)!.value;
  return `${field('year')}-${field('month')}-${field('day')}`;
}

/** The day `count` days after the `YYYY-MM-DD` day `key` (calendar arithmetic, no zone). */
export function addDays(key: string, count: number): string {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + count)).toISOString().slice(0, 10);
}

/** How far `zone`'s wall clock is ahead of UTC at `instant`, in ms. */
function zoneOffsetMs(instant: number, zone: string | undefined): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)!.value);
  const wallAsUtc = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
  return wallAsUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant the wall clock of `zone` shows `hour`:`minute` on the day `key` (midnight by default). */
export function zonedTime(key: string, zone: string | undefined, hour = 0, minute = 0): number {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // the offset at that time can differ from the one a first guess lands on when the day changes clocks
  const guess = wall - zoneOffsetMs(wall, zone);
  return wall - zoneOffsetMs(guess, zone);
}

/** The days the preview shows (today and the `days - 1` after it, in `zone`) and the window to ask about: from now to the end of the last day. */
export function bookingWindow(now: number, days: number, zone: string | undefined): { days: string[]; from: string; to: string } {
  const today = dayKey(now, zone);
  const keys = Array.from({ length: days }, (_, i) => addDays(today, i));
  return { days: keys, from: new Date(now).toISOString(), to: new Date(zonedTime(addDays(today, days), zone)).toISOString() };
}

/** `count` as the whole number of days the preview shows: at least one, at most 31 (a month). */
export function dayCount(count: number): number {
  return Number.isFinite(count) ? Math.min(31, Math.max(1, Math.round(count))) : 7;
}

export interface ShownSlot {
  start: Date;
  end: Date;
}

/** The slots that fall on each of `days` in `zone`, in time order; slots with unreadable times are left out. */
export function slotsByDay(slots: readonly TkSlot[], days: readonly string[], zone: string | undefined): Map<string, ShownSlot[]> {
  const byDay = new Map<string, ShownSlot[]>(days.map((day) => [day, []]));
  const readable = slots
    .map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) }))
    .filter((slot) => Number.isFinite(slot.start.getTime()) && Number.isFinite(slot.end.getTime()))
    .sort((a, b) => a.start.getTime() - b.start.getTime());
  for (const slot of readable) byDay.get(dayKey(slot.start.getTime(), zone))?.push(slot);
  return byDay;
}

/** A day's heading ("Monday, 8 December" in en-GB), from its key. */
export function dayLabel(key: string, locale: string | undefined): string {
  // noon UTC of that date, shown in UTC: the same wall date whatever zone the page runs in
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date(`${key}T12:00:00Z`));
}

/** A time of day in `zone` ("09:00"). */
export function timeFormat(locale: string | undefined, zone: string | undefined): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone });
}

/** A slot in full, as a screen reader announces it ("Monday, 8 December, 09:00–09:30"). */
export function fullSlotFormat(locale: string | undefined, zone: string | undefined): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', timeZone: zone });
}

/** The zone's name in the locale ("Central European Time"), else its IANA id. */
export function zoneName(zone: string | undefined, locale: string | undefined, at: number): string {
  const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: 'longGeneric' }).formatToParts(at).find((p) => p.type === 'timeZoneName');
  return part?.value ?? zone ?? '';
}
