/**
 * The fake Google and Microsoft accounts: signing an identity in (after its consent page,
 * `consent.ts`), the calendar and event import that `/accounts/sync` performs for a resource's
 * connected accounts, and revoked grants (`POST /_emulator/revoke`).
 */
import { badRequest } from './errors.js';
import type { AccountRecord, ResourceRecord } from './records.js';
import { findIdentity, type Provider, type SeedIdentity } from './seed.js';
import type { EmulatorState } from './state.js';
import { formatTimestamp, zonedParts, zonedTime } from './time.js';

/** Imported busy events cover this many weeks before and after the current week. */
const WEEKS_BEFORE = 1;
const WEEKS_AFTER = 12;

/**
 * Logs an identity into a resource and links the provider's account. The resource is `into` when
 * given (the `secondSignupAttaches` switch: the resource this browser signed in last), else the one
 * with the identity's email (created the first time): another email is another resource, so a
 * second signup with another account answers another resource's email and token, whichever the
 * provider. Signing in again clears a revoked grant.
 */
export function signIn(
  state: EmulatorState,
  provider: Provider,
  identity: SeedIdentity,
  into?: ResourceRecord,
): { resource: ResourceRecord; token: string } {
  let resource = into ?? state.resourceByEmail(identity.email);
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
  const account = resource.accounts.find((a) => a.provider === provider && a.provider_id === identity.email);
  if (!account) resource.accounts.push({ provider, provider_id: identity.email, last_sync: null });
  else delete account.revoked;
  state.changed();
  return { resource, token };
}

/** What Timekit's sync is taken to answer for an account whose grant was revoked (our choice; docs/emulator.md). */
const REVOKED_REASON: Record<Provider, string> = {
  google: 'invalid_grant (Token has been expired or revoked.)',
  microsoft: 'invalid_grant (AADSTS50173: The provided grant has expired due to it being revoked.)',
};

/**
 * Imports the calendars and busy events of every account linked to `resource` (only `provider`'s
 * when given). New calendars start with `provider_sync: false`; existing ones keep the resource's
 * choice. With `onlySynced` (the `importOnlySynced` switch, doubt #15 in docs/emulator.md), only
 * calendars that sync at this moment get their events: the others lose the ones an earlier sync
 * imported. An account whose grant was revoked is skipped; once the others are synced, the
 * answer is a 400 naming it.
 */
export function syncAccounts(
  state: EmulatorState,
  resource: ResourceRecord,
  now: Date,
  options: { onlySynced?: boolean; provider?: Provider } = {},
) {
  const { onlySynced = false, provider } = options;
  let calendarCount = 0;
  let eventCount = 0;
  const revoked: AccountRecord[] = [];
  for (const account of resource.accounts) {
    if (provider !== undefined && account.provider !== provider) continue;
    const identity = findIdentity(account.provider, account.provider_id);
    if (!identity) continue;
    if (account.revoked) {
      revoked.push(account);
      continue;
    }
    const existing = new Map(
      state
        .calendarsOf(resource.id)
        .filter((c) => c.provider === account.provider)
        .map((c) => [c.provider_id, c]),
    );
    for (const seed of identity.calendars) {
      let calendar = existing.get(seed.providerId);
      if (!calendar) {
        calendar = state.createCalendar(resource.id, {
          name: seed.name,
          description: seed.description,
          foregroundcolor: '#ffffff',
          backgroundcolor: seed.color,
          provider: account.provider,
          provider_id: seed.providerId,
          provider_access: seed.access,
          provider_primary: seed.primary ?? false,
          provider_sync: false,
        });
      }
      calendarCount++;
      const busy = onlySynced && !calendar.provider_sync ? [] : seed.busy;
      eventCount += replaceImportedEvents(state, calendar.id, busy, identity.timezone, now);
    }
    account.last_sync = formatTimestamp(now);
  }
  state.changed();
  if (revoked.length > 0) {
    const which = revoked.map((a) => `the ${a.provider} account ${a.provider_id}: ${REVOKED_REASON[a.provider]}`).join('; ');
    throw badRequest(`Could not sync ${which}. Connect the account again`);
  }
  return { calendars: calendarCount, events: eventCount };
}

/**
 * Revokes the grant of every account of `provider` with this email (on any resource), as a user
 * removing the app's access at Google or Microsoft would. Returns how many accounts it revoked.
 */
export function revokeGrant(state: EmulatorState, provider: Provider, email: string): number {
  const wanted = email.toLowerCase();
  let count = 0;
  for (const resource of state.resources.values()) {
    for (const account of resource.accounts) {
      if (account.provider === provider && account.provider_id.toLowerCase() === wanted) {
        account.revoked = true;
        count++;
      }
    }
  }
  if (count > 0) state.changed();
  return count;
}

/** Regenerates a calendar's imported (non-booking) events from its weekly pattern. */
function replaceImportedEvents(
  state: EmulatorState,
  calendarId: string,
  busy: SeedIdentity['calendars'][number]['busy'],
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
