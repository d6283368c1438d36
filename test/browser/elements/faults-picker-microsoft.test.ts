/**
 * Both pickers on a stack of their own (scripts/wtr/emulator-plugin.mjs): an emulator where
 * switching a Microsoft calendar's `provider_sync` on answers 500 (`microsoftSyncEnableFails`), and
 * a companion whose user connected Alex Morgan's Google and Microsoft 365 accounts, which Timekit
 * puts on one resource. Each engine gets its own stack (`name`), so no toggle meets another's.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-session.js';
import '../../../src/tk-calendar-picker.js';
import '../../../src/tk-booking-target.js';
import type { TkBookingTarget } from '../../../src/components/booking-target/booking-target.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import { TkSession } from '../../../src/session/session-service.js';
import type { TimekitCalendar, TimekitEnvelope } from '../../../src/shared/timekit.js';
import { hasState, part, row, rowControl } from '../helpers/dom.js';

interface Stack {
  emulatorUrl: string;
  companionUrl: string;
  appKey: string;
}

/** A stack of this test's own whose user connected Alex Morgan's Google, then Microsoft 365 account. */
async function microsoftStack(): Promise<Stack> {
  const options = { profile: 'optimistic', switches: { microsoftSyncEnableFails: true }, name: `faults-picker-microsoft-${crypto.randomUUID()}` };
  const stack = await post<Stack>('/__tk-test/stack', options);
  // The same address at Microsoft: Timekit puts the account on the same resource.
  const { status } = await post<{ status: number }>('/__tk-test/stack/connect', { stack: options, identity: 'alex.morgan@example.com', provider: 'microsoft' });
  // 303: the callback moves on to the result page
  if (status !== 303) throw new Error(`the Microsoft connect answered ${status}`);
  return stack;
}

async function post<T>(path: string, body: object): Promise<T> {
  const response = await fetch(path, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** One calendar as Timekit has it, asked with the app key. */
async function timekitCalendar(stack: Stack, id: string): Promise<TimekitCalendar> {
  const response = await fetch(`${stack.emulatorUrl}/calendars/${id}`, { headers: { authorization: `Basic ${btoa(`:${stack.appKey}`)}` } });
  return ((await response.json()) as TimekitEnvelope<TimekitCalendar>).data;
}

/** Counts the `provider_sync` writes the page sends, per calendar id. */
function countWrites(): { writes: Map<string, number>; restore(): void } {
  const original = window.fetch;
  const writes = new Map<string, number>();
  window.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const id = /\/calendars\/([^/?]+)$/.exec(url)?.[1];
    if (id && init?.method === 'PUT') writes.set(decodeURIComponent(id), (writes.get(decodeURIComponent(id)) ?? 0) + 1);
    return original(input, init);
  };
  return { writes, restore: () => (window.fetch = original) };
}

describe('pickers with a Google and a Microsoft 365 account (own stack: Microsoft enable answers 500)', () => {
  let stack: Stack;
  let session: TkSession;
  let picker: TkCalendarPicker;
  let target: TkBookingTarget;
  let calendars: TimekitCalendar[];

  before(async () => {
    stack = await microsoftStack();
  });

  beforeEach(async () => {
    session = new TkSession({ endpoint: stack.companionUrl, syncDelayMs: 20, retryDelayMs: 20 });
    const wrap = await fixture(html`<tk-session .session=${session}>
      <tk-calendar-picker name="findtime"></tk-calendar-picker>
      <tk-booking-target name="booking"></tk-booking-target>
    </tk-session>`);
    picker = wrap.querySelector('tk-calendar-picker')!;
    target = wrap.querySelector('tk-booking-target')!;
    await waitUntil(() => hasState(picker, 'content') && hasState(target, 'content'), 'the calendars are not listed');
    calendars = await session.calendars();
  });

  afterEach(() => session.stop());

  it('a Microsoft calendar switched on that answers 500: sent once, the tick rolls back with the row’s error, Retry sends it once more; Google keeps working', async () => {
    const clients = calendars.find((c) => c.provider === 'microsoft' && c.name === 'Client projects')!;
    const google = calendars.find((c) => c.provider === 'google' && !picker.value.includes(c.id))!;
    const counter = countWrites();
    try {
      rowControl(picker, clients.id).click();
      await waitUntil(() => row(picker, clients.id).querySelector('[part~="row-error"]') !== null, 'no row error');
      expect(counter.writes.get(clients.id), 'the session did not try again on its own').to.equal(1);
      expect(rowControl(picker, clients.id).checked, 'the tick rolled back').to.equal(false);
      expect(picker.value).to.not.include(clients.id);
      const rowError = row(picker, clients.id).querySelector<HTMLElement>('[part~="row-error"]')!;
      expect(rowError.getAttribute('role')).to.equal('alert');
      expect(rowError.textContent).to.contain('Client projects');

      rowControl(picker, google.id).click();
      await picker.updateComplete;
      await waitUntil(() => !hasState(picker, 'saving'), 'the Google calendar is not saved');
      expect((await timekitCalendar(stack, google.id)).provider_sync).to.equal(true);
      expect(row(picker, google.id).querySelector('[part~="row-error"]')).to.equal(null);

      row(picker, clients.id).querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
      await picker.updateComplete;
      await waitUntil(() => !hasState(picker, 'saving') && row(picker, clients.id).querySelector('[part~="row-error"]') !== null, 'the retry did not end in the row error');
      expect(counter.writes.get(clients.id), 'Retry sent the write once').to.equal(2);
      expect(rowControl(picker, clients.id).checked).to.equal(false);
      expect((await timekitCalendar(stack, clients.id)).provider_sync).to.equal(false);
      expect(part(picker, 'sync-error')).to.equal(null);
    } finally {
      counter.restore();
    }
  });
});
