/**
 * The doctor's text for each doubt of docs/timekit-api.md: the doubt in one line, what the kit does
 * on each side of it, and why a question stays unasked without more to ask with.
 */
import { TIMEKIT_DOUBTS, type TimekitDoubt } from '../../shared/timekit-doubts.js';

/** The doubts the doctor asks about, named and ordered as the emulator's fidelity switches. */
export const DOCTOR_DOUBTS = TIMEKIT_DOUBTS;
export type DoctorDoubt = TimekitDoubt;

export interface DoubtText {
  doubt: string;
  /** One text when the kit works either way, else one per side (`true` is the evidence side). */
  kit: Record<'true' | 'false', string> | string;
  /** Why the question stays unasked when nothing else says so. */
  unasked?: string;
}

/** One line per doubt; the kit's behaviour on each side (`kit[true]` is the evidence side). */
export const DOUBTS: Record<DoctorDoubt, DoubtText> = {
  widgetOnlyScope: {
    doubt: 'widget credentials reach only findtime, availability and bookings',
    kit: {
      true: "keep mode 'relay' (the default): calendar reads, provider_sync writes and syncs go through the companion with the resource token; the widget credential serves findtime and bookings",
      false: "the default relay works; mode 'direct' may send the calendar calls straight to Timekit with the widget credential",
    },
    unasked: 'needs a resource (--resource-email and its token)',
  },
  putNoContent: {
    doubt: 'PUT /calendars/:id answers 204 with no body',
    kit: {
      true: 'a 204 is a save: the kit reads the calendar back and never repeats a PUT Timekit kept',
      false: 'the kit takes the saved calendar from the answer',
    },
    unasked: 'needs a calendar to write its own provider_sync value back to',
  },
  noTokenOnCreate: {
    doubt: 'the POST /resources answer carries no token',
    kit: 'provisionResource takes api_token, else token, else asks for the resource\'s credentials with the app key: works either way',
    unasked: 'needs a write (--create-test-resource creates one throwaway resource)',
  },
  searchIgnoresUnknown: {
    doubt: 'a search on an undocumented field is ignored (the whole list), not refused',
    kit: 'the companion checks the email of every resource a search returns, paging through, and fails closed: works either way',
  },
  bodyIgnoresUnknown: {
    doubt: 'unknown body fields and include names are ignored, not refused',
    kit: 'the kit sends only documented fields and includes: works either way',
  },
  callbackAsText: {
    doubt: 'the signup callback gets ?email=…&token=… appended as text',
    kit: 'the connect nonce rides in the callback\'s path and the answer is parsed tolerantly (a "+" stays "+"): works either way',
    unasked: 'needs a Google consent',
  },
  credentialArraysRefused: {
    doubt: 'POST /credentials refuses arrays for scopes and referrer',
    kit: 'the companion sends scopes and referrer as strings: works either way',
    unasked: 'needs a resource (--resource-email and its token)',
  },
  retryAfterHidden: {
    doubt: 'browsers cannot read Retry-After (not in Access-Control-Expose-Headers)',
    kit: {
      true: 'in the browser the kit waits 1 s, then 2 s, after a 429 or 503',
      false: 'the browser waits as long as Retry-After asks',
    },
  },
  importOnlySynced: {
    doubt: 'a sync imports events only of calendars that sync at that moment',
    kit: 'the kit runs POST /accounts/sync once after each burst of provider_sync changes: works either way',
    unasked: 'needs a write (changing which calendars sync)',
  },
  availabilityWidgetRefused: {
    doubt: 'a widget credential may not call POST /availability',
    kit: {
      true: 'bookable slots ask POST /availability through the relay (the default mode), else POST /findtime with the widget credential',
      false: 'the same: the relay serves /availability; a widget credential could too',
    },
    unasked: 'needs a resource (--resource-email and its token)',
  },
  lowercaseDayIgnored: {
    doubt: 'a constraint whose day name is not capitalised ("monday") is ignored',
    kit: 'the kit writes day names capitalised, as the reference does: works either way',
    unasked: 'needs a resource (--resource-email and its token)',
  },
  bookingFieldsRequired: {
    doubt: 'POST /bookings requires resource_id, what, where and description',
    kit: 'the demo and the kit\'s examples send the flat body with all of them: works either way',
    unasked: 'needs a write (a booking)',
  },
  denyWithoutError: {
    doubt: 'declining consent comes back to the bare callback, without error=',
    kit: 'a callback without email, token or error reads as consent declined and keeps what was connected: works either way',
    unasked: 'needs a Google consent',
  },
  expiresIgnored: {
    doubt: 'POST /credentials ignores expires: credentials live a year',
    kit: {
      true: "works: the companion renews and deletes widget credentials after its own TTL, though Timekit would honour them for a year until deleted",
      false: 'widget credentials expire after the companion\'s TTL (default 1 hour)',
    },
    unasked: 'needs a resource (--resource-email and its token)',
  },
  refererOnly: {
    doubt: 'a widget credential\'s referrer is checked against Referer only',
    kit: {
      true: "widget calls carry a Referer with the page's origin whatever the page's Referrer-Policy (the elements ask for strict-origin)",
      false: 'the Origin header is enough',
    },
    unasked: 'needs a resource (--resource-email and its token)',
  },
};
