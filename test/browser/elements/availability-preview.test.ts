// Wrappers that are not Lit elements mount with fixtureSync: open-wc's fixture waits an animation
// frame for them, and a background tab (two test files at a time) gets none.
import { expect, fixture, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/tk-availability-preview.js';
import { TkAvailabilityPreview } from '../../../src/tk-availability-preview.js';
import { addDays, dayKey, zonedTime } from '../../../src/components/availability-preview/availability-preview.api.js';
import { TkErrorEvent } from '../../../src/events/error.js';
import { TkError } from '../../../src/session/errors.js';
import type { TkSlot } from '../../../src/shared/constraints.js';
import { FAKE_TOKEN } from '../helpers/fake-session.js';
import { FakeAvailabilitySession, WEEKDAYS_9_TO_17 } from '../helpers/fake-availability.js';
import { hasState, part, parts, waitForState } from '../helpers/dom.js';
import { waitUntil } from '../helpers/wait.js';

const BERLIN = 'Europe/Berlin';

/** A slot of `minutes` starting at `hour`:`minute` Berlin time, `dayOffset` days after today there. */
function slotAt(dayOffset: number, hour: number, minute = 0, minutes = 30): TkSlot {
  const start = zonedTime(addDays(dayKey(Date.now(), BERLIN), dayOffset), BERLIN, hour, minute);
  return { start: new Date(start).toISOString(), end: new Date(start + minutes * 60_000).toISOString() };
}

/** A ready session whose page shows Monday–Friday 9–17 in Berlin, answering `slots`. */
async function sessionWith(slots: TkSlot[] = [slotAt(1, 9), slotAt(1, 9, 30), slotAt(2, 14)]) {
  const session = new FakeAvailabilitySession();
  session.slots = slots;
  session.setAvailabilityRules({}, WEEKDAYS_9_TO_17);
  await session.refresh();
  return session;
}

async function preview(session?: FakeAvailabilitySession) {
  const el = await fixture<TkAvailabilityPreview>(html`<tk-availability-preview .session=${session}></tk-availability-preview>`);
  if (session?.status === 'ready' && !session.holdSlots) await waitForState(el, ['content', 'empty']);
  return el;
}

/** What a screen reader reads for each slot, in order. */
const announced = (el: Element) => parts(el, 'slot').map((slot) => slot.querySelector('.visually-hidden')!.textContent!.trim());
/** The visible times of the slots, in order. */
const shownTimes = (el: Element) => parts(el, 'slot').map((slot) => slot.querySelector('[aria-hidden]')!.textContent!.trim());

describe('<tk-availability-preview>', () => {
  it('is the registered class', () => {
    expect(document.createElement('tk-availability-preview')).to.be.instanceOf(TkAvailabilityPreview);
  });

  describe('states', () => {
    it('signed-out: message part and state, refresh disabled, accessible', async () => {
      const el = await preview();
      expect(hasState(el, 'signed-out')).to.equal(true);
      expect(part(el, 'signed-out')!.textContent).to.contain('Connect a calendar account first');
      expect((part(el, 'refresh-button') as HTMLButtonElement).disabled).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('loading: a polite status, busy, accessible', async () => {
      const session = await sessionWith();
      session.holdSlots = true;
      const el = await preview(session);
      await waitUntil(() => session.slotCalls.length === 1, 'no request');
      expect(hasState(el, 'loading')).to.equal(true);
      expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
      expect(part(el, 'status')!.textContent).to.contain('Loading bookable time');
      expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('empty: says no bookable time in the next N days, with the hint, accessible', async () => {
      const session = await sessionWith([]);
      const el = await fixture<TkAvailabilityPreview>(html`<tk-availability-preview days="3" .session=${session}></tk-availability-preview>`);
      await waitForState(el, 'empty');
      expect(part(el, 'empty')!.textContent).to.contain('No bookable time in the next 3 days.');
      expect(part(el, 'empty')!.textContent).to.contain('Check your working hours and the calendars');
      await expect(el).to.be.accessible();
    });

    it('error: an alert with the message for the code, tk-error once, a retry that works, accessible', async () => {
      const session = await sessionWith();
      session.holdSlots = true;
      const el = await preview(session);
      await waitUntil(() => session.slotCalls.length === 1, 'no request');
      const fired = oneEvent(el, 'tk-error');
      session.slotCalls[0]!.deferred.reject(new TkError('unavailable'));
      const event = (await fired) as TkErrorEvent;
      expect(event).to.be.instanceOf(TkErrorEvent);
      expect(event.detail).to.deep.equal({ code: 'unavailable', message: 'The calendar service is unavailable right now.', retryable: true });
      expect(event.bubbles && event.composed).to.equal(true);
      await el.updateComplete;
      expect(hasState(el, 'error')).to.equal(true);
      expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
      await expect(el).to.be.accessible();

      session.holdSlots = false;
      part(el, 'retry-button')!.click();
      await waitForState(el, 'content');
      expect(parts(el, 'slot')).to.have.length(3);
    });

    it('content: one heading per day, today first, each slot under its day, accessible', async () => {
      const el = await preview(await sessionWith());
      expect(hasState(el, 'content')).to.equal(true);
      const today = dayKey(Date.now(), BERLIN);
      const weekday = (offset: number) =>
        new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${addDays(today, offset)}T12:00:00Z`));
      const headings = parts(el, 'day-label').map((h) => h.textContent!);
      expect(headings).to.have.length(7);
      headings.forEach((heading, offset) => expect(heading).to.contain(weekday(offset)));
      const days = parts(el, 'day');
      expect(days[1]!.querySelectorAll('[part~="slot"]')).to.have.length(2);
      expect(days[2]!.querySelectorAll('[part~="slot"]')).to.have.length(1);
      expect(days[0]!.querySelector('[part~="day-empty"]')!.textContent).to.equal('No times');
      expect(part(el, 'status')!.textContent).to.equal('3 bookable times');
      await expect(el).to.be.accessible();
    });
  });

  it('.slots: the slots it shows, in time order, without those past its days (for a host to book one)', async () => {
    const beyond = slotAt(9, 10);
    const el = await fixture<TkAvailabilityPreview>(html`<tk-availability-preview days="3" .session=${await sessionWith([slotAt(2, 14), beyond, slotAt(1, 9)])}></tk-availability-preview>`);
    await waitForState(el, 'content');
    const iso = (slot: TkSlot) => ({ start: new Date(slot.start).toISOString(), end: new Date(slot.end).toISOString() });
    expect(el.slots).to.deep.equal([iso(slotAt(1, 9)), iso(slotAt(2, 14))]);
    expect(parts(el, 'slot')).to.have.length(el.slots.length);
  });

  describe('what it asks Timekit', () => {
    it('asks for the rules the page shows, over the calendars the picker chose, for the coming days', async () => {
      const session = await sessionWith();
      session.reportPickedCalendars({}, ['cal-a', 'cal-b']);
      const el = await fixture<TkAvailabilityPreview>(html`<tk-availability-preview length="1 hour" days="3" .session=${session}></tk-availability-preview>`);
      await waitForState(el, 'content');
      const { query } = session.slotCalls.at(-1)!;
      expect(query.rules).to.deep.equal(WEEKDAYS_9_TO_17);
      expect(query.calendarIds).to.deep.equal(['cal-a', 'cal-b']);
      expect(query.length).to.equal('1 hour');
      expect(Date.parse(query.from)).to.be.at.most(Date.now());
      // to: midnight in Berlin three days after today's
      expect(query.to).to.equal(new Date(zonedTime(addDays(dayKey(Date.now(), BERLIN), 3), BERLIN)).toISOString());
      expect(session.loadRulesCalls).to.equal(0);
    });

    it('without a rules element on the page, asks for the saved rules once, and again on Refresh', async () => {
      const session = await sessionWith();
      session.setAvailabilityRules({}, null);
      session.savedRules = { constraints: [{ allow_weekdays: {} }], timezone: 'America/New_York', saved: true };
      const el = await preview(session);
      expect(session.slotCalls.at(-1)!.query.rules).to.deep.equal({ constraints: [{ allow_weekdays: {} }], timezone: 'America/New_York' });
      session.reportPickedCalendars({}, ['cal-a']);
      await waitUntil(() => session.slotCalls.length === 2, 'no request after the picker changed');
      expect(session.loadRulesCalls).to.equal(1);
      part(el, 'refresh-button')!.click();
      await waitUntil(() => session.slotCalls.length === 3, 'no request after Refresh');
      expect(session.loadRulesCalls).to.equal(2);
    });

    it('a burst of rule edits makes one request, with the last rules', async () => {
      const session = await sessionWith();
      const el = await preview(session);
      expect(session.slotCalls).to.have.length(1);
      for (const end of [15, 16, 18]) {
        session.setAvailabilityRules({}, { ...WEEKDAYS_9_TO_17, constraints: [{ allow_hours: { start: 9, end } }] });
        await el.updateComplete;
      }
      await waitUntil(() => session.slotCalls.length === 2, 'no request after the edits');
      await waitUntil(() => !hasState(el, 'refreshing'), 'still refreshing');
      expect(session.slotCalls).to.have.length(2);
      expect(session.slotCalls[1]!.query.rules.constraints).to.deep.equal([{ allow_hours: { start: 9, end: 18 } }]);
    });

    it('an edit cancels the request under way, and its late answer is ignored', async () => {
      const session = await sessionWith();
      const el = await preview(session);
      session.holdSlots = true;
      session.setAvailabilityRules({}, { ...WEEKDAYS_9_TO_17, timezone: 'Europe/Paris' });
      await waitUntil(() => session.slotCalls.length === 2, 'no request after the first edit');
      const stale = session.slotCalls[1]!;
      session.setAvailabilityRules({}, { ...WEEKDAYS_9_TO_17, timezone: 'Europe/Rome' });
      await waitUntil(() => session.slotCalls.length === 3, 'no request after the second edit');
      expect(stale.query.signal!.aborted).to.equal(true);
      session.slotCalls[2]!.deferred.resolve([slotAt(3, 10)]);
      await waitUntil(() => parts(el, 'slot').length === 1, 'the newest answer is not shown');
      stale.deferred.resolve([slotAt(1, 9), slotAt(1, 10), slotAt(1, 11)]);
      await el.updateComplete;
      expect(parts(el, 'slot')).to.have.length(1);
    });

    it('follows the calendars the picker chooses', async () => {
      const session = await sessionWith();
      const el = await preview(session);
      session.slots = [slotAt(2, 11)];
      session.reportPickedCalendars({}, ['cal-busy']);
      await waitUntil(() => session.slotCalls.length === 2, 'no request after the picker changed');
      expect(session.slotCalls[1]!.query.calendarIds).to.deep.equal(['cal-busy']);
      await waitUntil(() => parts(el, 'slot').length === 1, 'the new slots are not shown');
    });

    it("refreshing while the picker's sync runs, and asks again once it is done", async () => {
      const session = await sessionWith();
      const el = await preview(session);
      session.setSyncStatus('pending');
      await el.updateComplete;
      expect(hasState(el, 'refreshing')).to.equal(true);
      expect(hasState(el, 'content')).to.equal(true);
      expect(part(el, 'status')!.textContent).to.contain('Updating bookable time');
      expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('true');
      await expect(el).to.be.accessible();
      session.setSyncStatus('syncing');
      await el.updateComplete;
      expect(hasState(el, 'refreshing')).to.equal(true);
      expect(session.slotCalls).to.have.length(1);

      session.slots = [slotAt(2, 15)]; // the busy time of the calendar just imported is gone
      session.setSyncStatus('idle');
      await waitUntil(() => session.slotCalls.length === 2, 'no request after the sync');
      await waitUntil(() => !hasState(el, 'refreshing') && parts(el, 'slot').length === 1, 'the slots after the sync are not shown');
    });

    it('Refresh asks again', async () => {
      const session = await sessionWith();
      const el = await preview(session);
      session.slots = [slotAt(4, 10)];
      part(el, 'refresh-button')!.click();
      await waitUntil(() => session.slotCalls.length === 2 && parts(el, 'slot').length === 1, 'no refresh');
    });
  });

  describe('presentation', () => {
    it('announces each slot with its full date and time', async () => {
      const el = await preview(await sessionWith([slotAt(1, 9)]));
      const start = new Date(slotAt(1, 9).start);
      const [label] = announced(el);
      const weekday = new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: BERLIN }).format(start);
      const month = new Intl.DateTimeFormat('en', { month: 'long', timeZone: BERLIN }).format(start);
      const day = new Intl.DateTimeFormat('en', { day: 'numeric', timeZone: BERLIN }).format(start);
      expect(label).to.contain(weekday).and.contain(month).and.match(new RegExp(`\\b${day}\\b`));
      // the hour's digits as the locale writes them (en: "9:00 – 9:30 AM")
      expect(label).to.match(/\b0?9:00\b.*\b0?9:30\b/);
      expect(shownTimes(el)[0]).to.match(/\b0?9:00\b/);
    });

    it('a week grid when wide, a list of days when narrow (the container, not the window)', async () => {
      const session = await sessionWith();
      const wrap = fixtureSync(html`<div>
        <div style="inline-size: 1000px"><tk-availability-preview .session=${session}></tk-availability-preview></div>
        <div style="inline-size: 320px"><tk-availability-preview .session=${session}></tk-availability-preview></div>
      </div>`);
      const [wide, narrow] = [...wrap.querySelectorAll('tk-availability-preview')];
      await waitUntil(() => hasState(wide!, 'content') && hasState(narrow!, 'content'), 'no content');
      const tops = (el: Element) => parts(el, 'day').map((day) => Math.round(day.getBoundingClientRect().top));
      expect(getComputedStyle(part(wide!, 'days')!).display).to.equal('grid');
      expect(new Set(tops(wide!)).size).to.equal(1);
      expect(getComputedStyle(part(narrow!, 'days')!).display).to.not.equal('grid');
      expect(new Set(tops(narrow!)).size).to.equal(7);
    });

    it("with a customer zone: both zones named, each slot also in the customer's time", async () => {
      const session = await sessionWith([slotAt(1, 9)]);
      const el = await fixture<TkAvailabilityPreview>(html`<tk-availability-preview timezone="America/New_York" .session=${session}></tk-availability-preview>`);
      await waitForState(el, 'content');
      const zones = part(el, 'zones')!.textContent!;
      expect(zones).to.contain('Your time: Central European Time').and.contain('Customer time: Eastern Time');
      expect(part(el, 'customer-time')!.textContent).to.match(/\b0?3:00\b/);
      expect(announced(el)[0]).to.match(/\b0?9:00\b.*customer time: .*\b0?3:00\b/);
      await expect(el).to.be.accessible();
    });

    it('no customer line when the customer zone is the provider’s or unknown', async () => {
      const session = await sessionWith([slotAt(1, 9)]);
      const el = await fixture<TkAvailabilityPreview>(html`<tk-availability-preview timezone="Not/AZone" .session=${session}></tk-availability-preview>`);
      await waitForState(el, 'content');
      expect(part(el, 'zones')).to.equal(null);
      el.timezone = BERLIN;
      await el.updateComplete;
      expect(part(el, 'zones')).to.equal(null);
      expect(part(el, 'customer-time')).to.equal(null);
    });

    it('speaks German under lang="de" (weekdays from Intl), and takes a strings override', async () => {
      const session = await sessionWith([slotAt(1, 9)]);
      const wrap = fixtureSync(html`<section lang="de-AT"><tk-availability-preview .session=${session}></tk-availability-preview></section>`);
      const el = wrap.querySelector('tk-availability-preview')!;
      await waitForState(el, 'content');
      await waitUntil(() => part(el, 'label')!.textContent === 'Buchbare Zeit', 'no German');
      const weekday = new Intl.DateTimeFormat('de', { weekday: 'long', timeZone: BERLIN }).format(new Date(slotAt(1, 9).start));
      expect(parts(el, 'day-label')[1]!.textContent).to.contain(weekday);
      expect(part(el, 'refresh-button')!.textContent).to.equal('Aktualisieren');
      el.previewStrings = { label: 'Freie Termine' };
      await el.updateComplete;
      expect(part(el, 'label')!.textContent).to.equal('Freie Termine');
    });

    it('speaks Spanish under lang="es"', async () => {
      const session = await sessionWith([]);
      const wrap = fixtureSync(html`<section lang="es"><tk-availability-preview .session=${session}></tk-availability-preview></section>`);
      const el = wrap.querySelector('tk-availability-preview')!;
      await waitForState(el, 'empty');
      await waitUntil(() => part(el, 'empty')!.textContent!.includes('No hay horario reservable en los próximos 7 días.'), 'no Spanish');
    });

    it('keyboard: one tab stop after Refresh, arrows move within a day and across days, mirrored under dir="rtl"', async () => {
      const session = await sessionWith([slotAt(1, 9), slotAt(1, 10), slotAt(2, 9)]);
      const wrap = fixtureSync(html`<div style="inline-size: 1000px"><tk-availability-preview .session=${session}></tk-availability-preview></div>`);
      const el = wrap.querySelector('tk-availability-preview')!;
      await waitForState(el, 'content');
      const slots = parts(el, 'slot');
      expect(slots.map((s) => s.tabIndex)).to.deep.equal([0, -1, -1]);
      part(el, 'refresh-button')!.focus();
      await sendKeys({ press: 'Tab' });
      expect(el.shadowRoot!.activeElement).to.equal(slots[0]);
      await sendKeys({ press: 'ArrowDown' });
      expect(el.shadowRoot!.activeElement).to.equal(slots[1]);
      await sendKeys({ press: 'ArrowRight' });
      expect(el.shadowRoot!.activeElement).to.equal(slots[2]);
      wrap.setAttribute('dir', 'rtl');
      await sendKeys({ press: 'ArrowRight' });
      expect(el.shadowRoot!.activeElement).to.equal(slots[0]);
      expect(slots.map((s) => s.tabIndex)).to.deep.equal([0, -1, -1]);
    });

    it('renders under a lang Intl refuses (a browser reporting "C")', async () => {
      const session = await sessionWith([slotAt(1, 9)]);
      const wrap = fixtureSync(html`<section lang="C"><tk-availability-preview .session=${session}></tk-availability-preview></section>`);
      const el = wrap.querySelector('tk-availability-preview')!;
      await waitForState(el, 'content');
      expect(shownTimes(el)[0]).to.match(/\b0?9:00\b/);
    });

    it('--tk-preview-slot-background on an ancestor colours the slots', async () => {
      const session = await sessionWith();
      const wrap = fixtureSync(html`<div style="--tk-preview-slot-background: rgb(200, 10, 20)"><tk-availability-preview .session=${session}></tk-availability-preview></div>`);
      const el = wrap.querySelector('tk-availability-preview')!;
      await waitForState(el, 'content');
      expect(getComputedStyle(part(el, 'slot')!).backgroundColor).to.equal('rgb(200, 10, 20)');
    });

    it('lays out with logical properties: the refresh button sits on the left under dir="rtl"', async () => {
      const session = await sessionWith();
      const wrap = fixtureSync(html`<div dir="rtl" style="inline-size: 600px"><tk-availability-preview .session=${session}></tk-availability-preview></div>`);
      const el = wrap.querySelector('tk-availability-preview')!;
      await waitForState(el, 'content');
      expect(part(el, 'refresh-button')!.getBoundingClientRect().left).to.be.lessThan(part(el, 'label')!.getBoundingClientRect().left);
    });

    it('never shows the token', async () => {
      const session = await sessionWith();
      const el = await preview(session);
      expect(el.outerHTML + el.shadowRoot!.innerHTML).to.not.contain(FAKE_TOKEN);
    });
  });
});
