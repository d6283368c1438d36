/**
 * Both pickers with several calendar accounts against a real emulator and companion: a stack of
 * each test's own per run (scripts/wtr/emulator-plugin.mjs), since these tests connect accounts and
 * revoke grants. A Google and a Microsoft 365 account on one resource (the same address), an
 * account whose grant was revoked, and a second account Timekit put on a new resource that the
 * provider then switches to.
 */
import { expect, fixtureSync, html } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-session.js';
import '../../../src/tk-calendar-picker.js';
import '../../../src/tk-booking-target.js';
import type { TkBookingTarget } from '../../../src/components/booking-target/booking-target.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import type { TkCalendarChangeDetail, TkChangeEvent } from '../../../src/events/change.js';
import { TkSession } from '../../../src/session/session-service.js';
import { hasState, parts, row, rowControl } from '../helpers/dom.js';

const ALEX = 'alex.morgan@example.com';
const DANA = 'dana.whitfield@contoso.example';

async function post<T>(path: string, body: object): Promise<T> {
  const response = await fetch(path, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A stack of this test's own, whose user has connected Alex Morgan's Google account. */
async function ownStack(test: string) {
  const options = { profile: 'evidence', name: `${test}-${crypto.randomUUID()}` };
  const { companionUrl } = await post<{ companionUrl: string }>('/__tk-test/stack', options);
  return {
    companionUrl,
    async connect(identity: string, provider: 'google' | 'microsoft') {
      const { status } = await post<{ status: number }>('/__tk-test/stack/connect', { stack: options, identity, provider });
      expect(status, 'the callback moves on to the result page').to.equal(303);
    },
    async revoke(email: string) {
      const { status } = await post<{ status: number }>('/__tk-test/stack/revoke', { stack: options, provider: 'google', email });
      expect(status).to.equal(200);
    },
  };
}

const legends = (el: Element) => parts(el, 'group-label').map((legend) => legend.textContent!.replace(/\s+/g, ' ').trim());

describe('pickers with several accounts, on a real emulator and companion', () => {
  let session: TkSession;
  afterEach(() => session.stop());

  /** Both pickers in a form, on a session of the stack's companion, showing their calendars. */
  async function pickersOn(companionUrl: string) {
    session = new TkSession({ endpoint: companionUrl, syncDelayMs: 20, retryDelayMs: 20 });
    const form = fixtureSync<HTMLFormElement>(html`<form><tk-session .session=${session}>
      <tk-calendar-picker name="findtime"></tk-calendar-picker>
      <tk-booking-target name="booking" required></tk-booking-target>
    </tk-session></form>`);
    const picker = form.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
    const target = form.querySelector<TkBookingTarget>('tk-booking-target')!;
    await waitUntil(() => hasState(picker, 'content') && hasState(target, 'content'), 'the calendars are not listed', { timeout: 10_000 });
    return { form, picker, target };
  }

  it('Google and Microsoft 365 on one resource: both pickers group per provider, headed by the account; accessible', async () => {
    const stack = await ownStack('pickers-both-providers');
    await stack.connect(ALEX, 'microsoft');
    const { picker, target } = await pickersOn(stack.companionUrl);
    const expected = [`Google · ${ALEX}`, `Microsoft · ${ALEX}`];
    expect(legends(picker).slice(0, 2)).to.deep.equal(expected);
    expect(legends(target).slice(0, 2)).to.deep.equal(expected);
    const clients = (await session.calendars()).find((c) => c.provider === 'microsoft' && c.name === 'Client projects')!;
    expect(row(target, clients.id).closest('fieldset')!.querySelector('legend')!.textContent).to.contain('Microsoft');
    await expect(picker).to.be.accessible();
    await expect(target).to.be.accessible();
  });

  it('a revoked Google grant: once a sync is refused both headings say it is disconnected; rows and choices stay', async () => {
    const stack = await ownStack('pickers-revoked');
    const { form, picker, target } = await pickersOn(stack.companionUrl);
    const calendars = await session.calendars();
    const work = calendars.find((c) => c.name === 'Work')!;
    rowControl(target, work.id).click();
    await target.updateComplete;
    const rows = parts(picker, 'option').length;

    await stack.revoke(ALEX);
    // The sync that follows a change of synced calendars is refused for the revoked grant.
    const other = calendars.find((c) => c.provider === 'google' && !picker.value.includes(c.id))!;
    rowControl(picker, other.id).click();
    const chosen = picker.value;
    await waitUntil(
      () => parts(picker, 'account-status').length === 1 && parts(target, 'account-status').length === 1,
      'the headings do not say the account is disconnected',
      { timeout: 10_000 },
    );
    expect(parts(picker, 'account-status')[0]!.textContent!.trim()).to.equal(`${ALEX}: Disconnected — reconnect it to keep its calendars up to date`);
    expect(parts(picker, 'option')).to.have.length(rows);
    expect(picker.value).to.deep.equal(chosen);
    expect(target.value).to.equal(work.id);
    expect(new FormData(form).get('booking')).to.equal(work.id);
    await expect(picker).to.be.accessible();
  });

  it('a switch to the resource of a second account, accepted: the booking target empties, required fails, one tk-change', async () => {
    const stack = await ownStack('pickers-pending-accept');
    const { form, target } = await pickersOn(stack.companionUrl);
    const oldCalendars = await session.calendars();
    const work = oldCalendars.find((c) => c.name === 'Work')!;
    rowControl(target, work.id).click();
    await target.updateComplete;
    expect(form.checkValidity()).to.equal(true);

    await stack.connect(DANA, 'microsoft');
    await session.refresh();
    expect(session.account!.pendingAccount).to.deep.equal({ provider: 'microsoft', email: DANA });
    expect(target.value, 'nothing changes until the provider answers').to.equal(work.id);

    const changes: TkCalendarChangeDetail[] = [];
    target.addEventListener('tk-change', (event) => changes.push((event as TkChangeEvent<TkCalendarChangeDetail>).detail));
    await session.resolvePendingAccount(true);
    const shownIds = () => parts(target, 'option').map((option) => option.dataset.id);
    await waitUntil(
      () => hasState(target, 'content') && shownIds().length > 0 && shownIds().every((id) => !oldCalendars.some((c) => c.id === id)),
      'the new resource’s calendars are not shown',
      { timeout: 10_000 },
    );
    await target.updateComplete;
    expect(target.value).to.equal('');
    expect(new FormData(form).get('booking')).to.equal(null);
    expect(form.checkValidity()).to.equal(false);
    expect(changes).to.deep.equal([{ calendarId: '' }]);
  });
});
