/**
 * A Solid onboarding page as an app writes it, compiled by `tsc` with Solid's JSX
 * (`npm run typecheck`): `on:` handlers get their event typed per element, `value` and `prop:value`
 * take what the events report, and each @ts-expect-error marks a mistake the types must catch.
 */
import { createSignal } from 'solid-js';
import type {} from '../../../src/solid.js';

export function Onboarding(props: { savedBookingId: string }) {
  const [calendarIds, setCalendarIds] = createSignal<readonly string[]>([]);
  const [bookingId, setBookingId] = createSignal(props.savedBookingId);
  return (
    <tk-session endpoint="/timekit" on:tk-session-change={(e) => console.info(e.detail.status)}>
      <tk-google-connect mode="popup" on:tk-connected={(e) => console.info(e.detail.email)} on:tk-error={(e) => console.warn(e.detail.code)} />
      <tk-microsoft-connect on:tk-connect={(e) => e.preventDefault()} on:tk-cancel={{ handleEvent: (e) => void e.type, once: true }} />
      <tk-calendar-picker name="availability" required value={calendarIds()} on:tk-change={(e) => setCalendarIds(e.detail.calendarIds)} />
      <tk-booking-target name="target" prop:value={bookingId()} on:tk-change={(e) => setBookingId(e.detail.calendarId)} />
      <tk-availability-rules name="rules" on:tk-change={(e) => console.info(e.detail.constraints, e.detail.timezone)} />
      <tk-availability-preview days={5} length="30 minutes" on:tk-error={(e) => void e.detail.retryable} />

      {/* @ts-expect-error the booking target reports calendarId, not calendarIds */}
      <tk-booking-target on:tk-change={(e) => void e.detail.calendarIds} />
      {/* @ts-expect-error the picker's value is a list of ids */}
      <tk-calendar-picker prop:value="cal-1" />
      {/* @ts-expect-error save is auto or manual */}
      <tk-calendar-picker save="sometimes" />
      {/* @ts-expect-error mode is popup or redirect */}
      <tk-google-connect mode="window" />
    </tk-session>
  );
}
