/**
 * Both pickers with calendars from more than one provider account (a Google and a Microsoft
 * account, or two Google accounts): one group per provider, its legend naming the provider and
 * its accounts' emails, as real structure for assistive tech, with keyboard order, form
 * association and axe intact. With one account the booking target stays one flat list.
 */
import { expect, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { FakeSession, calendar, readySession } from '../helpers/fake-session.js';
import { parts, rowControl, waitForState } from '../helpers/dom.js';
import { waitUntil } from '../helpers/wait.js';
import { BOOKING_TARGET, PICKERS, fixturePicker } from '../helpers/pickers.js';
import type { TimekitAccount, TimekitCalendar } from '../../../src/shared/timekit.js';
import type { TkAccountStatus } from '../../../src/session/session-service.js';

/** A fake session whose accounts' status the test sets, as the session's syncs would. */
class StatusSession extends FakeSession {
  private readonly disconnected = new Set<string>();

  override accountStatus(account: Pick<TimekitAccount, 'provider' | 'provider_id'>): TkAccountStatus {
    return this.disconnected.has(`${account.provider} ${account.provider_id}`) ? 'disconnected' : 'connected';
  }

  disconnect(account: TimekitAccount): void {
    this.disconnected.add(`${account.provider} ${account.provider_id}`);
    this.dispatchEvent(new Event('accounts'));
  }
}

const GOOGLE: TimekitAccount = { provider: 'google', provider_id: 'alex.morgan@example.com', last_sync: null };
const MICROSOFT: TimekitAccount = { provider: 'microsoft', provider_id: 'dana.whitfield@contoso.example', last_sync: null };

/** Google's calendars, then Microsoft's, then Timekit's own, in an order the groups must undo. */
const mixedCalendars = () => [
  calendar({ name: 'Outlook calendar', provider: 'microsoft', provider_primary: true, provider_sync: true }),
  calendar({ name: 'Bookings', provider: 'timekit', provider_id: null }),
  calendar({ name: 'Work', provider: 'google', provider_primary: true }),
  calendar({ name: 'Design team', provider: 'microsoft', provider_access: 'writer' }),
];

async function sessionWith(calendars: TimekitCalendar[], accounts: TimekitAccount[]) {
  const session = new StatusSession();
  session.calendarList = calendars;
  await session.become(readySession({ accounts }));
  return session;
}

const legends = (el: Element) => parts(el, 'group-label').map((legend) => legend.textContent!.replace(/\s+/g, ' ').trim());

/** Each group's fieldset: its accessible name comes from its legend, and its rows' names. */
const groupsOf = (el: Element) =>
  [...el.shadowRoot!.querySelectorAll('[part~="group-label"]')].map((legend) => ({
    fieldset: legend.parentElement!,
    names: [...legend.parentElement!.querySelectorAll('[part~="name"]')].map((name) => name.textContent),
  }));

describe('pickers with calendars from several accounts', () => {
  for (const kind of PICKERS) {
    describe(`<${kind.tag}>`, () => {
      it('one group per provider (Timekit last), headed by the provider and its account, in fieldsets with legends; accessible', async () => {
        const session = await sessionWith(mixedCalendars(), [GOOGLE, MICROSOFT]);
        const el = await fixturePicker(kind, { session });
        await waitForState(el, 'content');
        expect(legends(el)).to.deep.equal(['Google · alex.morgan@example.com', 'Microsoft · dana.whitfield@contoso.example', 'Built-in calendar']);
        const groups = groupsOf(el);
        expect(groups.map((g) => g.fieldset.localName)).to.deep.equal(['fieldset', 'fieldset', 'fieldset']);
        expect(groups.map((g) => g.names)).to.deep.equal([['Work'], ['Outlook calendar', 'Design team'], ['Bookings']]);
        await expect(el).to.be.accessible();
      });

      it('two accounts of one provider: its heading names both emails', async () => {
        const second: TimekitAccount = { provider: 'google', provider_id: 'sam.lee@example.com', last_sync: null };
        const session = await sessionWith([calendar({ name: 'Work' }), calendar({ name: 'Side gig' })], [GOOGLE, second]);
        const el = await fixturePicker(kind, { session });
        await waitForState(el, 'content');
        expect(legends(el)).to.deep.equal(['Google · alex.morgan@example.com, sam.lee@example.com']);
        await expect(el).to.be.accessible();
      });

      it('Tab reaches the first calendar of the first group, and the form submits a calendar of another group', async () => {
        const session = await sessionWith(mixedCalendars(), [GOOGLE, MICROSOFT]);
        const form = fixtureSync<HTMLFormElement>(html`<form><button type="button">before</button>${kind.template({ session, name: 'cal' })}</form>`);
        const el = form.querySelector(kind.tag)!;
        await waitForState(el, 'content');
        form.querySelector('button')!.focus();
        await sendKeys({ press: 'Tab' });
        const work = session.calendarList.find((c) => c.name === 'Work')!;
        expect(el.shadowRoot!.activeElement).to.equal(rowControl(el, work.id));
        const design = session.calendarList.find((c) => c.name === 'Design team')!;
        rowControl(el, design.id).click();
        await el.updateComplete;
        expect(new FormData(form).getAll('cal')).to.include(design.id);
      });

      it('a disconnected account: its heading says so and what to do; its rows and the chosen calendar stay, no event; accessible', async () => {
        const session = await sessionWith(mixedCalendars(), [GOOGLE, MICROSOFT]);
        const form = fixtureSync<HTMLFormElement>(html`<form>${kind.template({ session, name: 'cal' })}</form>`);
        const el = form.querySelector(kind.tag)!;
        await waitForState(el, 'content');
        const work = session.calendarList.find((c) => c.name === 'Work')!;
        rowControl(el, work.id).click();
        await el.updateComplete;
        const rows = parts(el, 'option').length;
        let events = 0;
        for (const type of ['tk-change', 'change']) el.addEventListener(type, () => events++);

        session.disconnect(GOOGLE);
        await el.updateComplete;
        expect(parts(el, 'account-status').map((s) => s.textContent!.trim())).to.deep.equal([
          'alex.morgan@example.com: Disconnected — reconnect it to keep its calendars up to date',
        ]);
        expect(legends(el)[0]).to.contain('Disconnected');
        expect(legends(el)[1]).to.equal('Microsoft · dana.whitfield@contoso.example');
        expect(parts(el, 'option')).to.have.length(rows);
        expect(rowControl(el, work.id).checked).to.equal(true);
        expect(new FormData(form).getAll('cal')).to.include(work.id);
        expect(events).to.equal(0);
        await expect(el).to.be.accessible();
      });
    });
  }

  it('<tk-booking-target>: arrow keys move from one group to the next', async () => {
    const session = await sessionWith(mixedCalendars(), [GOOGLE, MICROSOFT]);
    const el = await fixturePicker(BOOKING_TARGET, { session });
    await waitForState(el, 'content');
    const work = session.calendarList.find((c) => c.name === 'Work')!;
    const outlook = session.calendarList.find((c) => c.name === 'Outlook calendar')!;
    el.value = work.id;
    await el.updateComplete;
    rowControl(el, work.id).focus();
    const changed = oneEvent(el, 'tk-change');
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => el.shadowRoot!.activeElement === rowControl(el, outlook.id), 'ArrowDown did not move to the next group');
    await sendKeys({ press: ' ' });
    expect((await changed).detail).to.deep.equal({ calendarId: outlook.id });
  });

  it('<tk-booking-target>: Google and Microsoft calendars group even when the session lists one account', async () => {
    const el = await fixturePicker(BOOKING_TARGET, { session: await sessionWith(mixedCalendars(), [GOOGLE]) });
    await waitForState(el, 'content');
    expect(legends(el)).to.deep.equal(['Google · alex.morgan@example.com', 'Microsoft', 'Built-in calendar']);
  });

  it('<tk-booking-target>: one account that is disconnected gets its heading, with the notice', async () => {
    const session = await sessionWith([calendar({ name: 'Work' })], [GOOGLE]);
    const el = await fixturePicker(BOOKING_TARGET, { session });
    await waitForState(el, 'content');
    expect(parts(el, 'group-label')).to.have.length(0);
    session.disconnect(GOOGLE);
    await el.updateComplete;
    expect(legends(el)).to.deep.equal(['Google · alex.morgan@example.com alex.morgan@example.com: Disconnected — reconnect it to keep its calendars up to date']);
    await expect(el).to.be.accessible();
  });

  it('<tk-booking-target>: one account stays one flat list, writable calendars first', async () => {
    const calendars = [calendar({ name: 'Team rota', provider_access: 'reader' }), calendar({ name: 'Work', provider_primary: true }), calendar({ name: 'Bookings', provider: 'timekit' })];
    const el = await fixturePicker(BOOKING_TARGET, { session: await sessionWith(calendars, [GOOGLE]) });
    await waitForState(el, 'content');
    expect(parts(el, 'group-label')).to.have.length(0);
    expect(parts(el, 'list')).to.have.length(1);
    expect(parts(el, 'name').map((n) => n.textContent)).to.deep.equal(['Work', 'Bookings', 'Team rota']);
  });
});
