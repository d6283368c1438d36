/**
 * The two pickers as the shared suites see them. What `<tk-calendar-picker>` and
 * `<tk-booking-target>` both promise (showing loading faults, surviving hostile data, `required`
 * validation) is written once as a suite over a `PickerKind` and run for each, instead of
 * branching on the tag and casting one picker to the other.
 */
import { fixture } from '@open-wc/testing';
import { html, nothing, type TemplateResult } from 'lit';
import '../../../src/tk-booking-target.js';
import '../../../src/tk-calendar-picker.js';
import type { TkBookingTarget } from '../../../src/components/booking-target/booking-target.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';

export interface PickerAttributes {
  /** Any session object (a TkSession, or a FakeSession); none leaves the picker to its context. */
  session?: unknown;
  name?: string;
  required?: boolean;
  /** `save="manual"` on the calendar picker; the booking target has no save mode (the host saves its choice). */
  manualSave?: boolean;
}

export interface PickerKind<El extends TkCalendarPicker | TkBookingTarget = TkCalendarPicker | TkBookingTarget> {
  readonly tag: 'tk-calendar-picker' | 'tk-booking-target';
  /** The native control each calendar row is. */
  readonly control: 'checkbox' | 'radio';
  /** The browser's validation message of a `required` picker with nothing chosen. */
  readonly requiredMessage: string;
  template(attributes?: PickerAttributes): TemplateResult;
  /** Chooses nothing, from code. */
  clear(el: El): void;
}

export const CALENDAR_PICKER: PickerKind<TkCalendarPicker> = {
  tag: 'tk-calendar-picker',
  control: 'checkbox',
  requiredMessage: 'Choose at least one calendar.',
  template: ({ session, name, required, manualSave } = {}) =>
    html`<tk-calendar-picker name=${name ?? nothing} ?required=${required} save=${manualSave ? 'manual' : nothing} .session=${session}></tk-calendar-picker>`,
  clear: (el) => {
    el.value = [];
  },
};

export const BOOKING_TARGET: PickerKind<TkBookingTarget> = {
  tag: 'tk-booking-target',
  control: 'radio',
  requiredMessage: 'Choose a calendar for new bookings.',
  template: ({ session, name, required } = {}) =>
    html`<tk-booking-target name=${name ?? nothing} ?required=${required} .session=${session}></tk-booking-target>`,
  clear: (el) => {
    el.value = '';
  },
};

/** Both pickers, for the suites they share. */
export const PICKERS: readonly PickerKind[] = [CALENDAR_PICKER, BOOKING_TARGET];

/** `fixture` for a picker: mounts `kind.template(attributes)` and resolves once it has rendered. */
export function fixturePicker<El extends TkCalendarPicker | TkBookingTarget>(kind: PickerKind<El>, attributes?: PickerAttributes): Promise<El> {
  return fixture<El>(kind.template(attributes));
}
