/**
 * Pure helpers over Timekit calendars, shared by both pickers: cleaning what Timekit sends,
 * ordering, grouping and filtering (no DOM, no requests).
 */
import type { TimekitAccount, TimekitCalendar, CalendarProvider } from '../shared/timekit.js';

export interface CalendarGroup {
  provider: CalendarProvider;
  /** The resource's accounts of that provider, which the group's heading names. */
  accounts: TimekitAccount[];
  calendars: TimekitCalendar[];
}

/** One collator for every sort: `localeCompare` sets one up per call, which 5,000 names make a long task. */
const names = new Intl.Collator();

/** Primary calendar first, then by name, so the important calendar is always on top. */
export function byPrimaryThenName(a: TimekitCalendar, b: TimekitCalendar): number {
  return Number(b.provider_primary) - Number(a.provider_primary) || names.compare(a.name, b.name);
}

/**
 * Groups calendars by provider, in the order of the resource's accounts (a provider without one
 * after them, Timekit's own last), each group sorted by `order`. Timekit's
 * calendar objects name their provider but not the account they came from, so a group holds one
 * provider's calendars and names all of that provider's accounts.
 */
export function groupCalendars(
  calendars: readonly TimekitCalendar[],
  accounts: readonly TimekitAccount[],
  order: (a: TimekitCalendar, b: TimekitCalendar) => number = byPrimaryThenName,
): CalendarGroup[] {
  const providers = new Set([...accounts, ...calendars].map((c) => c.provider));
  return [...providers]
    .sort((a, b) => Number(a === 'timekit') - Number(b === 'timekit'))
    .map((provider) => ({
      provider,
      accounts: accounts.filter((a) => a.provider === provider),
      calendars: calendars.filter((c) => c.provider === provider).sort(order),
    }))
    .filter((group) => group.calendars.length > 0);
}

/** Whether the calendars come from more than one provider account (the booking target then groups them too). */
export function fromSeveralAccounts(calendars: readonly TimekitCalendar[], accounts: readonly TimekitAccount[]): boolean {
  const has = (provider: CalendarProvider) => calendars.some((c) => c.provider === provider);
  return accounts.length > 1 || (has('google') && has('microsoft'));
}

/** Case-insensitive name match; an empty query matches everything. */
export function matches(calendar: TimekitCalendar, query: string): boolean {
  return query === '' || calendar.name.toLocaleLowerCase().includes(query.toLocaleLowerCase());
}

/** Whether bookings can be written to the calendar (the resource owns it or may write to it). */
export const isWritable = (calendar: TimekitCalendar) => calendar.provider_access === 'owner' || calendar.provider_access === 'writer';

/** The ids of the calendars that count for availability on Timekit's side. */
export const syncedIds = (calendars: readonly TimekitCalendar[]) => calendars.filter((c) => c.provider_sync).map((c) => c.id);

/**
 * A row's colour dot, as CSS text for the swatch's `style` property. Set through the CSSOM, not
 * a `style` attribute, so a strict `style-src` allows it; only a plain hex colour gets in, as
 * Timekit passes whatever Google (or an API client) stored.
 */
export function swatchStyle(calendar: TimekitCalendar): string {
  const color = calendar.backgroundcolor;
  return color && /^#[0-9a-f]{3,8}$/i.test(color) ? `--tk-calendar-color:${color}` : '';
}

/** Text with something to see: not only spaces or invisible format characters (zero-width, direction marks). */
const visible = (text: unknown): text is string => typeof text === 'string' && /[^\s\p{Cf}]/u.test(text);

/**
 * The calendars as the pickers can show them. Timekit passes on what Google or an API client
 * stored: entries without a visible text id are left out, an id listed twice shows once (its
 * first entry), and a name that is not visible text becomes the id, so a row is never blank and
 * sorting never meets a non-string. Every field the pickers turn into text or a number gets its
 * documented type here: JSON can hold an object whose `toString` is no function, and converting
 * that throws (in a render, the whole picker fails).
 */
export function sanitizeCalendars(list: ReadonlyArray<Partial<TimekitCalendar> | null>): TimekitCalendar[] {
  const seen = new Set<string>();
  return list
    .filter((c) => visible(c?.id) && !seen.has(c.id) && seen.add(c.id))
    .map(
      (c) =>
        ({
          ...c,
          name: visible(c!.name) ? c!.name : c!.id,
          // a provider that is no text would make a group per value; '' shows no provider badge
          provider: typeof c!.provider === 'string' ? c!.provider : '',
          provider_primary: Boolean(c!.provider_primary),
          backgroundcolor: typeof c!.backgroundcolor === 'string' ? c!.backgroundcolor : null,
        }) as TimekitCalendar,
    );
}
