/**
 * The fake Google side: the consent page behind `/accounts/google/signup`, and the calendar and
 * event import that `/accounts/sync` performs for a resource's connected Google accounts.
 */
import { escapeHtml } from './http.js';
import { findIdentity, GOOGLE_IDENTITIES, type GoogleIdentity, type SeedApp } from './seed.js';
import type { EmulatorState, ResourceRecord } from './state.js';
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
 * `onlySynced` (audit #15), only calendars that sync at this moment get their events: the others
 * lose the ones an earlier sync imported.
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

/** The fake Google consent screen: plain, accessible HTML with one form, carrying its CSRF token. */
export function consentPage(app: SeedApp, callback: string, csrf: string): string {
  const identities = GOOGLE_IDENTITIES.map(
    (identity, i) => `
      <li>
        <input type="radio" name="identity" id="identity-${i}" value="${escapeHtml(identity.email)}"${i === 0 ? ' checked' : ''}
          aria-describedby="identity-${i}-summary">
        <label for="identity-${i}"><span class="name" dir="auto">${escapeHtml(identity.name)}</span>
          <span class="email">${escapeHtml(identity.email)}</span></label>
        <p id="identity-${i}-summary" class="summary">${escapeHtml(identity.summary)}</p>
      </li>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in with Google (emulated) – ${escapeHtml(app.name)}</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; display: grid; place-items: center; min-height: 100vh; }
  main { max-width: 30rem; padding: 1.5rem; border: 1px solid #8884; border-radius: 0.75rem; margin: 1rem; }
  ul { list-style: none; padding: 0; margin: 0; }
  li { display: grid; grid-template-columns: auto 1fr; gap: 0 0.75rem; padding: 0.75rem 0; border-block-end: 1px solid #8883; }
  .summary { grid-column: 2; margin: 0.25rem 0 0; font-size: 0.875rem; opacity: 0.8; }
  .name { font-weight: 600; display: block; }
  .email { font-size: 0.875rem; }
  .actions { display: flex; gap: 0.75rem; justify-content: flex-end; margin-block-start: 1.25rem; }
  button { font: inherit; padding: 0.5rem 1.25rem; border-radius: 0.375rem; border: 1px solid #888; cursor: pointer; }
  button[value="allow"] { background: #1a73e8; color: #fff; border-color: #1a73e8; }
  :focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
  .note { font-size: 0.8125rem; opacity: 0.75; }
</style>
</head>
<body>
<main>
  <h1>Sign in with Google</h1>
  <p><strong>${escapeHtml(app.name)}</strong> wants to see and edit your Google calendars.</p>
  <p class="note">This is the Timekit emulator's stand-in for Google's consent screen. No real Google account is used.</p>
  <form method="post" action="/_google/consent">
    <input type="hidden" name="app" value="${escapeHtml(app.slug)}">
    <input type="hidden" name="callback" value="${escapeHtml(callback)}">
    <input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
    <fieldset>
      <legend>Choose an account</legend>
      <ul>${identities}
      </ul>
    </fieldset>
    <div class="actions">
      <button type="submit" name="decision" value="deny">Deny</button>
      <button type="submit" name="decision" value="allow">Allow</button>
    </div>
  </form>
</main>
</body>
</html>`;
}

/**
 * Where consent sends the browser back: the callback with `params`. Optimistic side: set with the
 * URL API, which keeps the callback's own query and encodes every value. `asText` (audit #5): the
 * parameters are appended to the callback string after a `?`, values as they are, as the one
 * documented callback (a hash route) needs.
 */
export function callbackWith(callback: string, params: Record<string, string>, asText = false): string {
  if (Object.keys(params).length === 0) return callback;
  if (asText) return `${callback}?${Object.entries(params).map(([key, value]) => `${key}=${value}`).join('&')}`;
  const url = new URL(callback);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}
