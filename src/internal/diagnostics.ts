/**
 * What the elements tell the developer about a misconfiguration: the messages, and one
 * `console.warn` each with the fix. A module of its own, loaded only when something is wrong, so
 * that no page downloads these texts before; it imports no code, so it adds no shared chunk.
 * Not API.
 */
import type { TkCompanionErrorCode } from '../shared/companion-protocol.js';

const warned = new Set<string>();

/** One `console.warn` per distinct misconfiguration: the page may ask the companion again and again. */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}

/**
 * The message of the companion's refusal of `POST <endpoint>/session` (its status and JSON
 * error, if it sent one); `noCompanion` when nothing, or no such companion route, answered there.
 * @internal
 */
export function explainRefusal(
  status: number,
  companion: { code?: TkCompanionErrorCode; message?: string } | undefined,
  endpoint: string,
  noCompanion: boolean,
): string {
  const route = `POST ${endpoint}/session`;
  const said = companion?.message ? `: ${companion.message}` : '';
  if (noCompanion) {
    const message = `No companion at ${endpoint}: ${route} answered 404${companion?.message ? ` (${companion.message})` : ''}`;
    warnOnce(`tk-session: ${message}. Check <tk-session endpoint> against the path the companion is mounted under (and its basePath).`);
    return message;
  }
  if (companion?.code === undefined) return `HTTP ${status}`;
  if (companion.code === 'unauthenticated') {
    const message = `Not signed in to your app: the companion's authenticate() found no user for ${route}${said}`;
    warnOnce(
      `tk-session: ${message}. Sign in first; if you are, make sure your login cookie reaches ${endpoint} ` +
        '(same site, not blocked) and that your own auth middleware runs before the companion.',
    );
    return message;
  }
  if (companion.code === 'origin-not-allowed') {
    warnOnce(`tk-session: the companion at ${endpoint} does not allow this page's origin${said}. Add ${location.origin} to its allowedOrigins.`);
  }
  return `The companion refused ${route} with ${status} ${companion.code}${said}`;
}

/**
 * The message for an `endpoint` that is not an http(s) URL, which the session refuses: the connect
 * button navigates to it, and a `javascript:` one would run in the page.
 * @internal
 */
export function explainEndpointScheme(protocol: string): string {
  const message = `The endpoint must be the companion's http or https URL, not a ${protocol} one`;
  warnOnce(`tk-session: ${message}. Check <tk-session endpoint>; until then the session stays in error and Connect stays off.`);
  return message;
}

/**
 * A relay call got no answer at the address the companion named (`apiBase`), which is not where
 * the page reaches the companion: its `publicUrl` names another place.
 * @internal
 */
export function warnUnreachableRelay(apiBase: string, endpoint: string): void {
  warnOnce(
    `tk-session: the companion at ${endpoint} sends the calendar calls to ${apiBase}, which this page cannot reach. ` +
      `Set the companion's publicUrl to ${endpoint} (the URL pages use), or leave it unset so they go through ${endpoint}/api/v2.`,
  );
}

/**
 * `<tk-calendar-picker save="auto">` was given a `.value` that differs from Timekit's selection.
 * @internal
 */
export function warnUnsyncedValue(): void {
  warnOnce(
    'tk-calendar-picker: .value differs from the calendars Timekit syncs (provider_sync), which are the truth in save="auto" mode, ' +
      'so the picker marks it unsaved. Do not set .value in auto mode (read tk-change instead), or use save="manual" and .save().',
  );
}

/**
 * A picker's value names calendars the provider's resource does not have (or, for the booking
 * target, cannot write to): they show unchosen and the form does not submit them.
 * @internal
 */
export function warnUnknownValue(tag: string, ids: readonly string[]): void {
  warnOnce(
    `${tag}: value ${ids.map((id) => `"${id}"`).join(', ')} is not among the ${tag === 'tk-booking-target' ? 'writable ' : ''}calendars of the provider's resource, ` +
      'so it shows unchosen and the form does not submit it. Check that the saved id belongs to the account connected now ' +
      '(connecting another account can make a new resource) and that the value is the calendar id, not its name.',
  );
}

/**
 * Relay mode asked `POST /availability` through the companion and was refused: the slots came
 * from findtime with the widget credential instead.
 * @internal
 */
export function warnAvailabilityFallback(status: number): void {
  warnOnce(
    `tk-session: the relay answered ${status} to POST /availability, so bookable slots come from POST /findtime with the widget credential. ` +
      'Update the companion (its relay forwards /availability for the signed-in resource) to ask the current endpoint.',
  );
}
