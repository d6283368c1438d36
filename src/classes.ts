// Side-effect-free entry: the classes, context, events and types, without registering any tag.
export { TkSessionElement } from './components/session/session-provider.js';
export { TkCalendarPicker } from './components/calendar-picker/calendar-picker.js';
export { TkGoogleConnect } from './components/google-connect/google-connect.js';
export { TkBookingTarget } from './components/booking-target/booking-target.js';
// Types only: these classes are in entries of their own (tk-availability-rules.js,
// tk-availability-preview.js, tk-microsoft-connect.js), outside the core every page loads.
export type { TkAvailabilityPreview } from './components/availability-preview/availability-preview.js';
export type { TkAvailabilityRulesElement } from './components/availability-rules/availability-rules.js';
export type { TkRulesStrings } from './i18n/rules-en.js';
export type { TkMicrosoftConnect } from './components/microsoft-connect/microsoft-connect.js';
export type { TkMicrosoftStrings } from './i18n/microsoft-en.js';
export type { TkAvailabilityRules, TkConstraint, TkPeriod, TkWeekday } from './shared/constraints.js';
export { TkSession } from './session/session-service.js';
export type { TkSessionOptions, TkSessionStatus, TkAccountInfo, TkAccountStatus, TkCredentialsFetcher, TkRequestOptions } from './session/session-service.js';
export { TkError } from './session/errors.js';
export type { TkErrorCode } from './session/errors.js';
export { tkSessionContext, provideTkSession } from './session/session-context.js';
export { SessionController } from './session/session-controller.js';
export * from './events/index.js';
// Types only: the tag map and each element's event map, whose `addEventListener` overloads come with them.
export type * from './element-types.js';
export type { TkStrings } from './i18n/en.js';
export type { TkQuestionStrings } from './i18n/question-en.js';
export { registerTkStrings } from './i18n/locale.js';
