/**
 * The names of Timekit's undocumented behaviours the kit works around (docs/timekit-api.md): the
 * emulator plays each either way (its fidelity switches) and `tk-companion doctor` asks a real app
 * which way it goes, so both speak of them by these names, in this order.
 */
export const TIMEKIT_DOUBTS = [
  'widgetOnlyScope',
  'putNoContent',
  'noTokenOnCreate',
  'searchIgnoresUnknown',
  'bodyIgnoresUnknown',
  'callbackAsText',
  'credentialArraysRefused',
  'retryAfterHidden',
  'importOnlySynced',
  'availabilityWidgetRefused',
  'lowercaseDayIgnored',
  'bookingFieldsRequired',
  'denyWithoutError',
  'expiresIgnored',
  'refererOnly',
] as const;

export type TimekitDoubt = (typeof TIMEKIT_DOUBTS)[number];
