/**
 * The fidelity matrix in a browser (Chromium; the same flow runs in Node for every case in
 * test/node/companion/fidelity-matrix.test.ts): the elements on a stack of their own (an emulator
 * playing one side of each of Timekit's undocumented behaviours, docs/timekit-api.md, and a
 * companion whose user has connected Google), for both profiles and every switch alone. Each
 * case lists the calendars in both pickers, toggles one (saved in Timekit, then one sync), chooses
 * the booking target, and books into it with the session's widget credential.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from './helpers/wait.js';
import '../../src/tk-session.js';
import '../../src/tk-calendar-picker.js';
import '../../src/tk-booking-target.js';
import type { TkBookingTarget } from '../../src/components/booking-target/booking-target.js';
import type { TkCalendarPicker } from '../../src/components/calendar-picker/calendar-picker.js';
import type { TkChangeEvent, TkCalendarChangeDetail } from '../../src/events/change.js';
import { TkSession } from '../../src/session/session-service.js';
import type { TimekitCalendar, TimekitEnvelope } from '../../src/shared/timekit.js';
import { FIDELITY_SWITCHES } from '../../src/emulator/fidelity.js';
import { hasState, parts, rowControl } from './helpers/dom.js';
import { bookSlot } from '../shared/matrix-booking.js';

interface Stack {
  emulatorUrl: string;
  companionUrl: string;
  appKey: string;
}

const CASES: Array<{ name: string; stack: object }> = [
  { name: 'the evidence profile', stack: { profile: 'evidence' } },
  { name: 'the optimistic profile', stack: { profile: 'optimistic' } },
  { name: 'the optimistic profile in direct mode', stack: { profile: 'optimistic', mode: 'direct' } },
  ...FIDELITY_SWITCHES.map((name) => ({ name: `${name} alone`, stack: { profile: 'optimistic', switches: { [name]: true } } })),
];


async function stackFor(options: object): Promise<Stack> {
  const response = await fetch('/__tk-test/stack', { method: 'POST', body: JSON.stringify(options) });
  if (!response.ok) throw new Error(`POST /__tk-test/stack: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Stack;
}

/** One calendar as Timekit has it, asked with the app key. */
async function timekitCalendar(stack: Stack, id: string): Promise<TimekitCalendar> {
  const response = await fetch(`${stack.emulatorUrl}/calendars/${id}`, { headers: { authorization: `Basic ${btoa(`:${stack.appKey}`)}` } });
  return ((await response.json()) as TimekitEnvelope<TimekitCalendar>).data;
}

describe('fidelity matrix: the elements on every side of Timekit’s doubts (Chromium only)', () => {
  before(function (this: Mocha.Context) {
    if (!navigator.userAgent.includes('Chrome/')) this.skip();
  });

  for (const { name, stack: options } of CASES) {
    it(`on ${name}: both pickers list, a toggle saves and syncs, the target takes a booking`, async () => {
      const stack = await stackFor(options);
      const session = new TkSession({ endpoint: stack.companionUrl, syncDelayMs: 20, retryDelayMs: 20 });
      const syncs: string[] = [];
      session.addEventListener('sync', () => syncs.push(session.syncStatus));
      const wrap = await fixture(html`<tk-session .session=${session}>
        <tk-calendar-picker name="findtime"></tk-calendar-picker>
        <tk-booking-target name="booking"></tk-booking-target>
      </tk-session>`);
      try {
        const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
        const target = wrap.querySelector<TkBookingTarget>('tk-booking-target')!;
        await waitUntil(() => hasState(picker, 'content') && hasState(target, 'content'), 'not listed', { timeout: 5_000 });
        const calendars = await session.calendars();
        const work = calendars.find((c) => c.name === 'Work')!;
        expect(parts(picker, 'name').map((n) => n.textContent)).to.include('Work');

        rowControl(picker, work.id).click();
        await waitUntil(() => !hasState(picker, 'saving') && session.syncStatus === 'idle' && syncs.includes('syncing'), 'not saved and synced', { timeout: 5_000 });
        expect(parts(picker, 'row-error')).to.have.length(0);
        expect(parts(picker, 'sync-error')).to.have.length(0);
        expect(picker.value).to.include(work.id);
        expect((await timekitCalendar(stack, work.id)).provider_sync).to.equal(true);

        const changed = new Promise<TkChangeEvent<TkCalendarChangeDetail>>((resolve) => target.addEventListener('tk-change', resolve as EventListener, { once: true }));
        rowControl(target, work.id).click();
        expect((await changed).detail.calendarId).to.equal(work.id);

        const slots = (await session.request<TimekitEnvelope<Array<{ start: string; end: string }>>>('POST', '/findtime', {
          body: { calendar_ids: picker.value, length: '30 minutes', future: '2 weeks' },
        }))!.data;
        const booking = await bookSlot(session, slots[0]!, target.value);
        expect(booking.calendar.id).to.equal(work.id);
      } finally {
        session.stop();
      }
    });
  }
});
