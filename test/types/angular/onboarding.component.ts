/**
 * An Angular onboarding component as an app writes it, compiled by Angular's own compiler with
 * `strictTemplates` (`ngc`, in `npm run typecheck`): each `(tk-…)="…($event)"` binding passes the
 * element's own event type, so handlers take the documented types (`TkCalendarPickerChangeEvent`…).
 * Angular reads `$event` from the element's `addEventListener`, which knows its events.
 */
import { CUSTOM_ELEMENTS_SCHEMA, Component, signal } from '@angular/core';
import type {
  TkAvailabilityRulesChangeEvent,
  TkBookingTargetChangeEvent,
  TkCalendarPickerChangeEvent,
  TkCancelEvent,
  TkConnectEvent,
  TkConnectedEvent,
  TkErrorEvent,
  TkSessionChangeEvent,
} from '../../../src/classes.js';
import '../../../src/tk-session.js';
import '../../../src/tk-google-connect.js';
import '../../../src/tk-calendar-picker.js';
import '../../../src/tk-booking-target.js';
import type {} from '../../../src/tk-microsoft-connect.js';
import type {} from '../../../src/tk-availability-rules.js';
import type {} from '../../../src/tk-availability-preview.js';

@Component({
  selector: 'app-onboarding',
  // Angular checks its own components' tags; these are the browser's custom elements
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <tk-session endpoint="/timekit" (tk-session-change)="onSession($event)">
      <tk-google-connect mode="popup" (tk-connect)="onConnect($event)" (tk-connected)="onConnected($event)" (tk-cancel)="onCancel($event)" (tk-error)="onError($event)"></tk-google-connect>
      <tk-microsoft-connect (tk-connected)="onConnected($event)" (tk-error)="onError($event)"></tk-microsoft-connect>
      <tk-calendar-picker name="availability" required [value]="calendarIds()" (tk-change)="onCalendars($event)" (tk-error)="onError($event)"></tk-calendar-picker>
      <tk-booking-target name="target" [value]="bookingId()" (tk-change)="onBooking($event)"></tk-booking-target>
      <tk-availability-rules name="rules" (tk-change)="onRules($event)"></tk-availability-rules>
      <tk-availability-preview [days]="5" (tk-error)="onError($event)"></tk-availability-preview>
    </tk-session>
  `,
})
export class OnboardingComponent {
  readonly calendarIds = signal<readonly string[]>([]);
  readonly bookingId = signal('');

  onSession(event: TkSessionChangeEvent) {
    console.info(event.detail.status);
  }
  onConnect(event: TkConnectEvent) {
    if (!confirm('Connect?')) event.preventDefault();
  }
  onConnected(event: TkConnectedEvent) {
    console.info(event.detail.email, event.detail.provider);
  }
  onCancel(event: TkCancelEvent) {
    console.info(event.type);
  }
  onError(event: TkErrorEvent) {
    console.warn(event.detail.code, event.detail.retryable);
  }
  onCalendars(event: TkCalendarPickerChangeEvent) {
    this.calendarIds.set(event.detail.calendarIds);
  }
  onBooking(event: TkBookingTargetChangeEvent) {
    this.bookingId.set(event.detail.calendarId);
  }
  onRules(event: TkAvailabilityRulesChangeEvent) {
    console.info(event.detail.constraints, event.detail.timezone);
  }
}
