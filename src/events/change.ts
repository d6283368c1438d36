import type { TkConstraint } from '../shared/constraints.js';

/** `<tk-calendar-picker>`: the availability calendars. */
export interface TkCalendarsChangeDetail {
  readonly calendarIds: readonly string[];
  /** `'default'` when the picker chose the primary calendar itself, after a first connect; absent otherwise. */
  readonly reason?: 'default';
}

/** `<tk-booking-target>`: the calendar new bookings land in. */
export interface TkCalendarChangeDetail {
  readonly calendarId: string;
  /** `'default'` when the picker chose the primary calendar itself, after a first connect; absent otherwise. */
  readonly reason?: 'default';
}

/** `<tk-availability-rules>`: Timekit's constraints and the zone their hours are in. */
export interface TkRulesChangeDetail {
  readonly constraints: readonly TkConstraint[];
  readonly timezone: string;
}

export type TkChangeEventDetail = TkCalendarsChangeDetail | TkCalendarChangeDetail | TkRulesChangeDetail;

/** Fired by the pickers and the rules element when the user changes their value (never when code sets `.value`). */
export class TkChangeEvent<D extends TkChangeEventDetail = TkChangeEventDetail> extends Event {
  readonly detail: D;

  constructor(detail: D) {
    super('tk-change', { bubbles: true, composed: true });
    this.detail = Object.freeze({ ...detail } as D);
  }
}

/** `tk-change` of `<tk-calendar-picker>`: `detail.calendarIds`. */
export type TkCalendarPickerChangeEvent = TkChangeEvent<TkCalendarsChangeDetail>;
/** `tk-change` of `<tk-booking-target>`: `detail.calendarId`. */
export type TkBookingTargetChangeEvent = TkChangeEvent<TkCalendarChangeDetail>;
/** `tk-change` of `<tk-availability-rules>`: `detail.constraints` and `detail.timezone`. */
export type TkAvailabilityRulesChangeEvent = TkChangeEvent<TkRulesChangeDetail>;

// What bubbles to `document` may come from any of the three; on an element its own
// `addEventListener` knows which (src/element-types.ts).
declare global {
  interface GlobalEventHandlersEventMap {
    'tk-change': TkChangeEvent;
  }
}
