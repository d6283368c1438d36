/**
 * The fake Google accounts: signing an identity in (after the consent page, `consent.ts`), and the
 * calendar and event import that `/accounts/sync` performs for a resource's connected accounts.
 */
import type { ResourceRecord } from './records.js';
import { findIdentity, type GoogleIdentity } from './seed.js';
import type { EmulatorState } from './state.js';
import { formatTimestamp, zonedParts, zonedTime } from './time.js';

/** Imported busy events cover this many weeks before and after the current week. */
const WEEKS_BEFORE = 1;
const WEEKS_AFTER = 12;

/** Logs an identity into its resource (creating it the first time) and links the Google account. */
export function signInWithGoogle(state: EmulatorState, identity: GoogleIdentity): { resource: ResourceRecord; token: string } {
  let resource = state.resourceByEmail(identity.email);
  let token: string;
  if (resource) {
    token = state.resourceToken(resource.id);
  } else {
    ({ resource, token } = state.createResource({
      name: identity.name,
      first_name: identity.firstName,
      last_name: identity.lastName,
      email: identity.email,
      timezone: identity.timezone,
    }));
  }
  if (!resource.accounts.some((a) => a.provider === 'google' && a.provider_id === identity.email)) {
    resource.accounts.push({ provider: 'google', provider_id: identity.email, last_sync: null });
    state.changed();
  }
  return { resource, token };
}

/**
 * Imports the calendars and busy events of every Google account linked to `resource`. New
 * calendars start with `provider_sync: false`; existing ones keep the resource's choice. With
 * `onlySynced` (the `importOnlySynced` switch, doubt #15 in docs/emulator.md), only calendars
 * that sync at this moment get their events: the others lose the ones an earlier sync imported.
 */
export function syncGoogleAccounts(state: EmulatorState, resource: ResourceRecord, now: Date, onlySynced = false) {
  let calendarCount = 0;
  let eventCount = 0;
  for (const account of resource.accounts) {
    const identity = account.provider === 'google' ? findIdentity(account.provider_id) : undefined;
    if (!identity) continue;
    const existing = new Map(
      state
        .calendarsOf(resource.id)
        .filter((c) => c.provider === 'google')
        .map((c) => [c.provider_id, c]),
    );
    const importedIds = new Set<string>();
    for (const seed of identity.calendars) {
      let calendar = existing.get(seed.providerId);
      if (!calendar) {
        calendar = state.createCalendar(resource.id, {
          name: seed.name,
          description: seed.description,
          foregroundcolor: '#ffffff',
          backgroundcolor: seed.color,
          provider: 'google',
          provider_id: seed.providerId,
          provider_access: seed.access,
          provider_primary: seed.primary ?? false,
          provider_sync: false,
        });
      }
      importedIds.add(calendar.id);
      calendarCount++;
      const busy = onlySynced && !calendar.provider_sync ? [] : seed.busy;
      eventCount += replaceImportedEvents(state, calendar.id, busy, identity.timezone, now);
    }
    account.last_sync = formatTimestamp(now);
  }
  state.changed();
  return { calendars: calendarCount, events: eventCount };
}

/** Regenerates a calendar's imported (non-booking) events from its weekly pattern. */
function replaceImportedEvents(
  state: EmulatorState,
  calendarId: string,
  busy: GoogleIdentity['calendars'][number]['busy'],
  zone: string,
  now: Date,
): number {
  for (const [id, event] of state.events) {
    if (event.calendar_id === calendarId && event.booking_id === null) state.events.delete(id);
  }
  if (busy.length === 0) return 0;
  const today = zonedParts(now, zone);
  const startOfWeek = Date.UTC(today.year, today.month - 1, today.day - today.weekday - 7 * WEEKS_BEFORE);
  let count = 0;
  for (let dayIndex = 0; dayIndex < 7 * (WEEKS_BEFORE + 1 + WEEKS_AFTER); dayIndex++) {
    const day = new Date(startOfWeek + dayIndex * 86_400_000);
    for (const block of busy) {
      if (!block.days.includes(day.getUTCDay())) continue;
      const [startHour, startMinute] = block.start.split(':').map(Number) as [number, number];
      const [endHour, endMinute] = block.end.split(':').map(Number) as [number, number];
      const y = day.getUTCFullYear();
      const m = day.getUTCMonth() + 1;
      const d = day.getUTCDate();
      state.addEvent({
        calendar_id: calendarId,
        start: formatTimestamp(zonedTime(zone, y, m, d, startHour, startMinute)),
        end: formatTimestamp(zonedTime(zone, y, m, d, endHour, endMinute)),
        what: block.what,
        where: null,
        description: null,
        booking_id: null,
      });
      count++;
    }
  }
  return count;
}
