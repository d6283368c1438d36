/**
 * A Preact onboarding island as an app writes it, compiled by `tsc` with Preact's JSX
 * (`npm run typecheck`): handlers get their event typed per element, `value` takes what the
 * events report, and each @ts-expect-error marks a mistake the types must catch.
 */
import { useState } from 'preact/hooks';
import type {} from '../../../src/preact.js';

export function Onboarding({ savedBookingId }: { savedBookingId: string }) {
  const [calendarIds, setCalendarIds] = useState<readonly string[]>([]);
  const [bookingId, setBookingId] = useState(savedBookingId);
  return (
    <tk-session endpoint="/timekit" ontk-session-change={(e) => console.info(e.detail.status)}>
      <tk-google-connect mode="popup" ontk-connected={(e) => console.info(e.detail.email)} ontk-error={(e) => console.warn(e.detail.code)} />
      <tk-microsoft-connect ontk-connect={(e) => e.preventDefault()} ontk-cancel={(e) => void e.type} />
      <tk-calendar-picker name="availability" required value={calendarIds} ontk-change={(e) => setCalendarIds(e.detail.calendarIds)} />
      <tk-booking-target name="target" value={bookingId} ontk-change={(e) => setBookingId(e.detail.calendarId)} />
      <tk-availability-rules name="rules" ontk-change={(e) => console.info(e.detail.constraints, e.detail.timezone)} />
      <tk-availability-preview days={5} length="30 minutes" ontk-error={(e) => void e.detail.retryable} />

      {/* @ts-expect-error the booking target reports calendarId, not calendarIds */}
      <tk-booking-target ontk-change={(e) => void e.detail.calendarIds} />
      {/* @ts-expect-error the picker's value is a list of ids */}
      <tk-calendar-picker value="cal-1" />
      {/* @ts-expect-error save is auto or manual */}
      <tk-calendar-picker save="sometimes" />
      {/* @ts-expect-error mode is popup or redirect */}
      <tk-google-connect mode="window" />
      {/* @ts-expect-error days is a number */}
      <tk-availability-preview days="seven" />
    </tk-session>
  );
}
