/**
 * Type-level tests for each element's own events: `npm run typecheck` compiles this file, nothing
 * runs it. `tk-change` carries `calendarIds` on the picker, `calendarId` on the booking target and
 * the rules on the rules element, and TypeScript strict knows which from the element; each
 * @ts-expect-error line is a mistake the types must catch.
 */
import type {
  TkAvailabilityRulesChangeEvent,
  TkBookingTargetChangeEvent,
  TkBookingTargetEventMap,
  TkCalendarPicker,
  TkCalendarPickerChangeEvent,
  TkCancelEvent,
  TkChangeEvent,
  TkConnectEvent,
  TkConnectedEvent,
  TkErrorEvent,
  TkGoogleConnect,
  TkMicrosoftConnect,
  TkSessionChangeEvent,
} from '../../src/classes.js';
import type {} from '../../src/tk-session.js';
import type {} from '../../src/tk-google-connect.js';
import type {} from '../../src/tk-microsoft-connect.js';
import type {} from '../../src/tk-calendar-picker.js';
import type {} from '../../src/tk-booking-target.js';
import type {} from '../../src/tk-availability-rules.js';
import type {} from '../../src/tk-availability-preview.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assert = <T extends true>(_: T) => undefined;

export function changeEvents(): void {
  document.querySelector('tk-calendar-picker')!.addEventListener('tk-change', (e) => e.detail.calendarIds);
  document.querySelector('tk-booking-target')!.addEventListener('tk-change', (e) => e.detail.calendarId.trim());
  document.querySelector('tk-availability-rules')!.addEventListener('tk-change', (e) => [e.detail.constraints, e.detail.timezone]);

  document.querySelector('tk-calendar-picker')!.addEventListener('tk-change', (_e) => {
    assert<Equal<typeof _e, TkCalendarPickerChangeEvent>>(true);
  });
  document.querySelector('tk-booking-target')!.addEventListener('tk-change', (_e) => {
    assert<Equal<typeof _e, TkBookingTargetChangeEvent>>(true);
  });
  document.querySelector('tk-availability-rules')!.addEventListener('tk-change', (_e) => {
    assert<Equal<typeof _e, TkAvailabilityRulesChangeEvent>>(true);
  });
  // @ts-expect-error the booking target reports calendarId, not calendarIds
  document.querySelector('tk-booking-target')!.addEventListener('tk-change', (e) => e.detail.calendarIds);
  // @ts-expect-error the picker reports calendarIds, not calendarId
  document.querySelector('tk-calendar-picker')!.addEventListener('tk-change', (e) => e.detail.calendarId);
}

export function everyEvent(): void {
  const on = <Tag extends keyof HTMLElementTagNameMap>(tag: Tag) => document.createElement(tag);
  for (const connect of [on('tk-google-connect'), on('tk-microsoft-connect')] as const) {
    connect.addEventListener('tk-connect', (_e) => assert<Equal<typeof _e, TkConnectEvent>>(true));
    connect.addEventListener('tk-connected', (_e) => assert<Equal<typeof _e, TkConnectedEvent>>(true));
    connect.addEventListener('tk-cancel', (_e) => assert<Equal<typeof _e, TkCancelEvent>>(true));
    connect.addEventListener('tk-error', (_e) => assert<Equal<typeof _e, TkErrorEvent>>(true));
  }
  on('tk-microsoft-connect').addEventListener('tk-connected', function (e) {
    assert<Equal<typeof this, TkMicrosoftConnect>>(true);
    void e.detail.provider;
  });
  on('tk-session').addEventListener('tk-session-change', (_e) => assert<Equal<typeof _e, TkSessionChangeEvent>>(true));
  on('tk-availability-preview').addEventListener('tk-error', (_e) => assert<Equal<typeof _e, TkErrorEvent>>(true));
  on('tk-booking-target').addEventListener('change', (_e) => assert<Equal<typeof _e, Event>>(true));
  // every HTMLElement event is still there, and any other name is a plain Event
  on('tk-calendar-picker').addEventListener('keydown', (e) => void e.key);
  on('tk-calendar-picker').addEventListener('some-other-event', (_e) => assert<Equal<typeof _e, Event>>(true));
  // a listener object and removeEventListener, as on any element
  on('tk-booking-target').addEventListener('tk-change', { handleEvent: (e) => void e.type });
  const onChange = (e: TkBookingTargetEventMap['tk-change']) => void e.detail.calendarId;
  on('tk-booking-target').removeEventListener('tk-change', onChange);
  // @ts-expect-error a picker's listener does not fit the booking target
  on('tk-booking-target').removeEventListener('tk-change', (e: TkCalendarPickerChangeEvent) => void e.detail.calendarIds);
}

// What bubbles up to document may come from any element: there, tk-change is the union
export function bubbled(): void {
  document.addEventListener('tk-change', (_e) => assert<Equal<typeof _e, TkChangeEvent>>(true));
}

// Elements of two kinds together still get the events every element shares
export function unions(google: TkGoogleConnect, microsoft: TkMicrosoftConnect, picker: TkCalendarPicker): void {
  for (const connect of [google, microsoft]) connect.addEventListener('tk-connected', (e) => void e.detail.email);
  for (const el of [google, picker]) el.addEventListener('tk-error', (e) => void e.detail.retryable);
}
