/** The English string table, built in, and `TkStrings`: every text the elements show or announce. */
import type { TkErrorCode } from '../session/errors.js';

/** Every user-visible and accessible-name string of the elements. Placeholders are functions. */
export interface TkStrings {
  loading: string;
  signedOut: string;
  retry: string;
  errors: Record<TkErrorCode, string>;
  connect: string;
  connectAnother: string;
  connecting: string;
  /** The status after a while without an outcome from the popup. */
  stillWaiting: string;
  connectedAs: (email: string) => string;
  /** The label of a connect element's list of the resource's calendar accounts. */
  connectedAccounts: string;
  /** An account's status in that list. */
  accountStatus: Record<'connected' | 'disconnected', string>;
  /** The button on a disconnected account, and its accessible name. */
  reconnect: string;
  reconnectAccount: (email: string) => string;
  cancelled: string;
  /** While the popup is open: the button that brings it forward, and the one that closes it. */
  showWindow: string;
  cancel: string;
  /** After Show window found the popup already closed. */
  windowClosed: string;
  /** Cancel could not close the sign-in window (it shows the provider's page): the wait is over all the same. */
  cancelledLeftOpen: string;
  pickerLabel: string;
  targetLabel: string;
  filter: string;
  noMatches: string;
  /** Beside the calendar picker's filter: how many calendars are chosen, of how many (numbers formatted for the language). */
  chosenCount: (chosen: number, total: number) => string;
  /** The switch that lists only the chosen calendars. */
  showChosen: string;
  empty: string;
  emptyWritable: string;
  loaded: (count: number) => string;
  primary: string;
  readOnly: string;
  readOnlyReason: string;
  providers: Record<'timekit' | 'google' | 'microsoft', string>;
  /** After an account's email in a picker's group heading, when its grant stopped working. */
  accountDisconnected: string;
  saving: string;
  /** A row's status while a failed write is tried again. */
  retrying: string;
  /** A row's status once its write landed (it fades). */
  saved: string;
  /** What the polite status says once a row's write landed. */
  savedRow: (name: string) => string;
  saveFailed: (name: string) => string;
  syncFailed: string;
  requiredCalendars: string;
  requiredTarget: string;
  notInAvailability: string;
  notSynced: string;
  /** The calendar picker's one-line summary: how many calendars count for availability. */
  checking: (count: number) => string;
  /** The booking target's one-line summary; `name` is the chosen calendar's. */
  bookingsGoTo: (name: string) => string;
  noBookingCalendar: string;
  /** The line saying a picker's choice is saved only when the host's form is. */
  savedWithForm: string;
  /** The overlap warning's one-click fix. */
  useForAvailability: string;
}

/**
 * A string table as the elements hold it. The English one has no error texts: they are a chunk of
 * their own (`error-texts.ts`), fetched the first time an element has an error to tell.
 */
export type TkTableStrings = Omit<TkStrings, 'errors'> & Partial<Pick<TkStrings, 'errors'>>;

export const en: TkTableStrings = {
  loading: 'Loading calendars…',
  signedOut: 'Connect a calendar account first.',
  retry: 'Try again',

  connect: 'Connect Google Calendar',
  connectAnother: 'Connect another Google account',
  connecting: 'Waiting for Google…',
  stillWaiting: 'Still waiting… If its window shows an error, close it and try again.',
  connectedAs: (email) => `Connected: ${email}`,
  connectedAccounts: 'Calendar accounts',
  accountStatus: { connected: 'Connected', disconnected: 'Disconnected' },
  reconnect: 'Reconnect',
  reconnectAccount: (email) => `Reconnect ${email}`,
  cancelled: 'Connection cancelled.',
  showWindow: 'Show window',
  cancel: 'Cancel',
  windowClosed: 'The window was closed. Connection cancelled.',
  cancelledLeftOpen: 'Connection cancelled. You can close the sign-in window.',
  pickerLabel: 'Calendars that count for availability',
  targetLabel: 'Calendar for new bookings',
  filter: 'Filter calendars',
  noMatches: 'No calendar matches.',
  chosenCount: (chosen, total) => {
    const count = new Intl.NumberFormat('en');
    return `${count.format(chosen)} of ${count.format(total)} chosen`;
  },
  showChosen: 'Show chosen only',
  empty: 'No calendars yet.',
  emptyWritable: 'No calendar can take bookings.',
  loaded: (count) => (count === 1 ? '1 calendar' : `${count} calendars`),
  primary: 'Primary',
  readOnly: 'Read-only',
  readOnlyReason: 'Read-only: bookings cannot be written to this calendar.',
  providers: { timekit: 'Built-in calendar', google: 'Google', microsoft: 'Microsoft' },
  accountDisconnected: 'Disconnected — reconnect it to keep its calendars up to date',
  saving: 'Saving…',
  retrying: 'Saving… (retrying)',
  saved: 'Saved',
  savedRow: (name) => `“${name}” saved.`,
  saveFailed: (name) => `Could not save “${name}”.`,
  syncFailed: 'Your choice is saved, but the calendar service could not import those calendars’ events yet.',
  requiredCalendars: 'Choose at least one calendar.',
  requiredTarget: 'Choose a calendar for new bookings.',
  notInAvailability: 'This calendar is not among the availability calendars, so bookings may overlap.',
  notSynced: 'Not saved: the calendar service counts a different selection.',
  checking: (count) =>
    count === 0
      ? 'No calendar is checked for availability yet.'
      : `Checking ${count.toLocaleString('en')} ${new Intl.PluralRules('en').select(count) === 'one' ? 'calendar' : 'calendars'}`,
  bookingsGoTo: (name) => `New bookings go to ${name}`,
  noBookingCalendar: 'No calendar for new bookings yet.',
  savedWithForm: 'Saved when you save the form.',
  useForAvailability: 'Also use it for availability',
};
