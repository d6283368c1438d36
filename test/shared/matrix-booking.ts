/**
 * What the fidelity matrix books, in Node and in the browser alike: an instant booking of the
 * first free slot into the chosen calendar, in the flat body with every field Timekit's reference
 * marks required.
 */
import type { TkSession } from '../../src/session/session-service.js';
import type { TimekitBooking, TimekitEnvelope } from '../../src/shared/timekit.js';

/** Books `slot` into `calendarId` with the session's widget credential; resolves to the booking Timekit made. */
export async function bookSlot(session: TkSession, slot: { start: string; end: string }, calendarId: string): Promise<TimekitBooking> {
  const answer = await session.request<TimekitEnvelope<TimekitBooking>>('POST', '/bookings', {
    body: {
      resource_id: session.account!.resourceId,
      graph: 'instant',
      action: 'confirm',
      start: slot.start,
      end: slot.end,
      what: 'Matrix booking',
      where: 'TBD',
      description: 'A booking of the fidelity matrix',
      calendar_id: calendarId,
      customer: { name: 'Casey Customer', email: 'casey@example.com', timezone: 'UTC' },
    },
  });
  if (!answer?.data) throw new Error('POST /bookings answered without the booking');
  return answer.data;
}
