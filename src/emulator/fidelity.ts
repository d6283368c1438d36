/**
 * The emulator plays both sides of every doubt about Timekit that the public evidence leaves
 * open (docs/emulator.md numbers them in its table of switches). Each doubt is a
 * boolean switch: `true` is the side the evidence points to, `false` the optimistic behaviour the
 * emulator had before. Two profiles bundle them, and single switches can be set over a profile.
 */
import { TIMEKIT_DOUBTS, type TimekitDoubt } from '../shared/timekit-doubts.js';

/**
 * Switches about what a connected provider account does behind Timekit. `tk-companion doctor`
 * cannot ask a live app about them (it would need a real Google or Microsoft account), so they
 * are not among the doubts it names (`FIDELITY_SWITCHES`), and the fidelity matrices, which
 * connect Google identities only, do not run them.
 */
export const PROVIDER_SWITCHES = ['microsoftSyncEnableFails', 'secondSignupAttaches'] as const;
type ProviderSwitch = (typeof PROVIDER_SWITCHES)[number];

/** One boolean per Timekit doubt (the shared names) and per provider switch, each with what its evidence side does. */
export interface FidelitySwitches extends Record<TimekitDoubt | ProviderSwitch, boolean> {
  /** Doubt #2: widget credentials reach only the booking.js widget endpoints (findtime, availability, bookings, a user's time zone); everything else answers 403. */
  widgetOnlyScope: boolean;
  /** #1: `PUT /calendars/:id` answers 204 with no body. */
  putNoContent: boolean;
  /** #3: the `POST /resources` answer carries no token; the app key finds it through the resource's credentials. */
  noTokenOnCreate: boolean;
  /** #4/#11: a search on a field the route does not document as searchable is ignored (the whole list), not 422. */
  searchIgnoresUnknown: boolean;
  /** #18: unknown body fields and unknown include names are ignored, not 422. */
  bodyIgnoresUnknown: boolean;
  /** #5: the signup redirect is the callback + `?email=<e>&token=<t>` as text, the email not percent-encoded. */
  callbackAsText: boolean;
  /** #6: `POST /credentials` answers 422 when `scopes` or `referrer` is an array. */
  credentialArraysRefused: boolean;
  /** #13: browsers can read only `Timekit-TestMode` (`Retry-After` is sent but not exposed). */
  retryAfterHidden: boolean;
  /** #15: a sync imports busy events only for calendars that sync at that moment; toggling provider_sync imports nothing. */
  importOnlySynced: boolean;
  /** Row 19 of the fidelity re-audit: a widget credential may not call `POST /availability` (403); no source shows one doing it. */
  availabilityWidgetRefused: boolean;
  /** Row 20 of the fidelity re-audit: a day-based constraint whose day name is not capitalised (`monday`) is ignored, as Timekit's users report. */
  lowercaseDayIgnored: boolean;
  /** Row 15: `POST /bookings` requires the flat body's `resource_id`, `what`, `where`, `description` (besides graph, start, end, customer). */
  bookingFieldsRequired: boolean;
  /** #9: declining consent redirects to the bare callback, without an error parameter. */
  denyWithoutError: boolean;
  /** #16: `POST /credentials` ignores `expires`: credentials live one year. */
  expiresIgnored: boolean;
  /** #10: a widget credential's referrer is checked against the Referer's origin only; no Referer is a 403. */
  refererOnly: boolean;
  /** Row 16 (js-sdk issue 46, one report): `PUT /calendars/:id` with `provider_sync: true` on a Microsoft calendar answers 500 and changes nothing. */
  microsoftSyncEnableFails: boolean;
  /**
   * No evidence either way: a signup with another identity in the same browser (the consent pages'
   * cookie names the resource signed in last) attaches the new account to that resource and the
   * callback carries that resource's email and token. Off: another email is another resource.
   */
  secondSignupAttaches: boolean;
}

export type FidelityProfile = 'optimistic' | 'evidence';

/**
 * The doubts about Timekit, in the order of the interface (and of `--help` and the docs table):
 * the names `tk-companion doctor` asks a live app about, in its order.
 */
export const FIDELITY_SWITCHES: readonly TimekitDoubt[] = TIMEKIT_DOUBTS;

/** Every switch: the doubts, then the provider switches (`--help`, `resolveFidelity` and the docs table list them all). */
export const ALL_SWITCHES: readonly (keyof FidelitySwitches)[] = [...FIDELITY_SWITCHES, ...PROVIDER_SWITCHES];

/** One line per switch: what its evidence side does (the CLI's `--help` prints these). */
export const FIDELITY_SWITCH_HELP: Readonly<Record<keyof FidelitySwitches, string>> = {
  widgetOnlyScope: 'widget credentials reach only findtime, availability, bookings and user time zones (else 403)',
  putNoContent: 'PUT /calendars/:id answers 204 without a body',
  noTokenOnCreate: 'the POST /resources answer carries no token (find it with ?include=credentials)',
  searchIgnoresUnknown: 'search on an undocumented field is ignored (the whole list), not 422',
  bodyIgnoresUnknown: 'unknown body fields and include names are ignored, not 422',
  callbackAsText: 'the signup callback gets "?email=…&token=…" appended as text, the email unencoded',
  credentialArraysRefused: 'POST /credentials refuses scopes or referrer given as an array (422)',
  retryAfterHidden: 'Access-Control-Expose-Headers lists only Timekit-TestMode',
  importOnlySynced: 'a sync imports events only of calendars syncing at that moment',
  availabilityWidgetRefused: 'a widget credential may not call POST /availability (403)',
  lowercaseDayIgnored: 'a constraint whose day name is not capitalised ("monday") is ignored',
  bookingFieldsRequired: 'POST /bookings requires resource_id, what, where and description (flat body)',
  denyWithoutError: 'declining consent redirects to the bare callback (no error parameter)',
  expiresIgnored: 'POST /credentials ignores expires: credentials live one year',
  refererOnly: "a widget credential's referrer is checked against Referer only; none is a 403",
  microsoftSyncEnableFails: 'PUT /calendars/:id with provider_sync: true on a Microsoft calendar answers 500',
  secondSignupAttaches: 'a second signup in the same browser attaches the account to the resource signed in there (not a new resource)',
};

const OPTIMISTIC: FidelitySwitches = {
  widgetOnlyScope: false,
  putNoContent: false,
  noTokenOnCreate: false,
  searchIgnoresUnknown: false,
  bodyIgnoresUnknown: false,
  callbackAsText: false,
  credentialArraysRefused: false,
  retryAfterHidden: false,
  importOnlySynced: false,
  availabilityWidgetRefused: false,
  lowercaseDayIgnored: false,
  bookingFieldsRequired: false,
  denyWithoutError: false,
  expiresIgnored: false,
  refererOnly: false,
  microsoftSyncEnableFails: false,
  secondSignupAttaches: false,
};

export const FIDELITY_PROFILES: Readonly<Record<FidelityProfile, Readonly<FidelitySwitches>>> = {
  optimistic: Object.freeze({ ...OPTIMISTIC }),
  // denyWithoutError, expiresIgnored, refererOnly and secondSignupAttaches have no evidence either
  // way, and microsoftSyncEnableFails rests on one report from 2018: off in both profiles, available one by one.
  evidence: Object.freeze({
    ...OPTIMISTIC,
    widgetOnlyScope: true,
    putNoContent: true,
    noTokenOnCreate: true,
    searchIgnoresUnknown: true,
    bodyIgnoresUnknown: true,
    callbackAsText: true,
    credentialArraysRefused: true,
    retryAfterHidden: true,
    importOnlySynced: true,
    availabilityWidgetRefused: true,
    lowercaseDayIgnored: true,
    bookingFieldsRequired: true,
  }),
};

export const isFidelityProfile = (value: unknown): value is FidelityProfile =>
  typeof value === 'string' && Object.hasOwn(FIDELITY_PROFILES, value);

export const isFidelitySwitch = (value: unknown): value is keyof FidelitySwitches =>
  typeof value === 'string' && (ALL_SWITCHES as readonly string[]).includes(value);

/**
 * The switches of `profile` (default `evidence`) with `switches` applied over them. Throws on an
 * unknown profile or switch name, or a value that is not a boolean, so a typo cannot silently
 * test the other side.
 */
export function resolveFidelity(profile: FidelityProfile = 'evidence', switches: Partial<FidelitySwitches> = {}): FidelitySwitches {
  if (!isFidelityProfile(profile)) {
    throw new Error(`Unknown emulator profile "${String(profile)}"; use ${Object.keys(FIDELITY_PROFILES).join(' or ')}`);
  }
  const resolved = { ...FIDELITY_PROFILES[profile] };
  for (const [name, value] of Object.entries(switches)) {
    if (value === undefined) continue;
    if (!isFidelitySwitch(name)) throw new Error(`Unknown emulator switch "${name}"; known: ${ALL_SWITCHES.join(', ')}`);
    if (typeof value !== 'boolean') throw new Error(`The emulator switch ${name} must be true or false`);
    resolved[name] = value;
  }
  return resolved;
}
