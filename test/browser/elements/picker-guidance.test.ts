/**
 * What the pickers do to guide the provider (issue #21): the defaults chosen after a first
 * connect, the one-line summaries, the visible save of each row, the booking target's save-mode
 * line, the overlap warning beside its row with its one-click fix, and default strings without
 * the vendor's name. Each test has its own FakeSession.
 */
import { expect, fixture, fixtureSync, html } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-booking-target.js';
import '../../../src/tk-calendar-picker.js';
import type { TkBookingTarget } from '../../../src/components/booking-target/booking-target.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import type { TkCalendarChangeDetail, TkCalendarsChangeDetail } from '../../../src/events/change.js';
import type { TimekitCalendar } from '../../../src/shared/timekit.js';
import { FakeSession, calendar } from '../helpers/fake-session.js';
import { hasState, part, parts, row, rowControl } from '../helpers/dom.js';

/** A provider's calendars right after connecting Google: nothing syncs yet. */
const connected = () => [
  calendar({ name: 'Side gig', provider_access: 'writer' }),
  calendar({ name: 'Work', provider_primary: true }),
  calendar({ name: 'Team rota', provider_access: 'reader' }),
];

async function sessionWith(list: TimekitCalendar[]) {
  const session = new FakeSession();
  session.calendarList = list;
  await session.refresh();
  return session;
}

interface Page {
  form: HTMLFormElement;
  picker: TkCalendarPicker;
  target: TkBookingTarget;
  pickerChanges: TkCalendarsChangeDetail[];
  targetChanges: TkCalendarChangeDetail[];
}

/** Both pickers in a form on one session, their tk-change details collected, once both show their calendars. */
async function page(session: FakeSession, attributes: { noDefaults?: boolean; manual?: boolean; targetValue?: string } = {}): Promise<Page> {
  const form = fixtureSync<HTMLFormElement>(html`<form>
    <tk-calendar-picker name="findtime" save=${attributes.manual ? 'manual' : 'auto'} ?no-defaults=${attributes.noDefaults} .session=${session}></tk-calendar-picker>
    <tk-booking-target name="target" value=${attributes.targetValue ?? ''} ?no-defaults=${attributes.noDefaults} .session=${session}></tk-booking-target>
  </form>`);
  const picker = form.querySelector('tk-calendar-picker')!;
  const target = form.querySelector('tk-booking-target')!;
  const pickerChanges: TkCalendarsChangeDetail[] = [];
  const targetChanges: TkCalendarChangeDetail[] = [];
  picker.addEventListener('tk-change', (event) => pickerChanges.push(event.detail));
  target.addEventListener('tk-change', (event) => targetChanges.push(event.detail));
  await waitUntil(() => hasState(picker, 'content') && hasState(target, 'content'), 'the pickers never showed their calendars');
  return { form, picker, target, pickerChanges, targetChanges };
}

/** What `<tk-google-connect>` does once the popup reports the account: the pickers reload. */
async function connect(session: FakeSession, { picker, target }: Page) {
  const loads = session.calendarLoads.length;
  await session.refresh({ reload: true });
  await waitUntil(() => session.calendarLoads.length >= loads + 2 && hasState(picker, 'content') && hasState(target, 'content'), 'the pickers did not reload');
  await picker.updateComplete;
  await target.updateComplete;
}

const text = (el: Element, name: string) => part(el, name)?.textContent?.replace(/[\u2068\u2069]/g, '').trim();

describe('picker guidance', () => {
  describe('smart defaults after a first connect', () => {
    it('chooses the primary for availability (saved) and as the booking calendar; the form, tk-change and summaries match', async () => {
      const session = await sessionWith(connected());
      const work = session.calendarList[1]!;
      const p = await page(session);
      // A page load is no connect: nothing is chosen.
      expect([p.picker.value, p.target.value]).to.deep.equal([[], '']);
      await connect(session, p);
      await waitUntil(() => p.target.value === work.id && p.picker.value.length === 1, 'no defaults chosen');
      expect(p.picker.value).to.deep.equal([work.id]);
      expect(p.pickerChanges).to.deep.equal([{ calendarIds: [work.id], reason: 'default' }]);
      expect(p.targetChanges).to.deep.equal([{ calendarId: work.id, reason: 'default' }]);
      // Saved as the provider's tick would be (save="auto").
      expect(session.syncCalls.map((c) => [c.id, c.sync])).to.deep.equal([[work.id, true]]);
      await waitUntil(() => new FormData(p.form).get('target') === work.id);
      expect(new FormData(p.form).getAll('findtime')).to.deep.equal([work.id]);
      expect(rowControl(p.picker, work.id).checked).to.equal(true);
      expect(rowControl(p.target, work.id).checked).to.equal(true);
      expect(text(p.picker, 'summary')).to.equal('Checking 1 calendar');
      expect(text(p.target, 'summary')).to.equal('New bookings go to Work');
      expect(part(p.target, 'warning')).to.equal(null);
      await expect(p.picker).to.be.accessible();
      await expect(p.target).to.be.accessible();
    });

    it('in save="manual" the default is in the form value and unsaved, as a tick is', async () => {
      const session = await sessionWith(connected());
      const work = session.calendarList[1]!;
      const p = await page(session, { manual: true });
      await connect(session, p);
      await waitUntil(() => p.picker.value.length === 1);
      expect(p.picker.value).to.deep.equal([work.id]);
      await waitUntil(() => new FormData(p.form).getAll('findtime').length === 1);
      expect(session.syncCalls).to.deep.equal([]);
    });

    it('no-defaults: nothing is chosen after a connect, and no tk-change fires', async () => {
      const session = await sessionWith(connected());
      const p = await page(session, { noDefaults: true });
      await connect(session, p);
      await p.picker.updateComplete;
      await p.target.updateComplete;
      expect([p.picker.value, p.target.value, p.pickerChanges, p.targetChanges, session.syncCalls]).to.deep.equal([[], '', [], [], []]);
      expect(text(p.picker, 'summary')).to.equal('No calendar is checked for availability yet.');
      expect(text(p.target, 'summary')).to.equal('No calendar for new bookings yet.');
    });

    it('a connect that brings a synced calendar chooses nothing, and neither does one with a booking calendar from the host', async () => {
      const list = connected();
      list[0]!.provider_sync = true;
      const session = await sessionWith(list);
      const p = await page(session, { targetValue: list[0]!.id });
      await connect(session, p);
      await p.picker.updateComplete;
      await p.target.updateComplete;
      expect([p.picker.value, p.target.value, p.pickerChanges, p.targetChanges]).to.deep.equal([[list[0]!.id], list[0]!.id, [], []]);
    });

    it('after the provider un-ticks the default, a reload chooses nothing again', async () => {
      const session = await sessionWith(connected());
      const work = session.calendarList[1]!;
      const first = await page(session);
      await connect(session, first);
      await waitUntil(() => first.picker.value.length === 1 && !hasState(first.picker, 'saving'));
      rowControl(first.picker, work.id).click();
      await waitUntil(() => session.syncCalls.length === 2 && !hasState(first.picker, 'saving'));
      expect(work.provider_sync).to.equal(false);
      // The reload: a new page, a new session, Timekit syncing nothing, the host giving no value.
      const reloaded = await sessionWith(session.calendarList);
      const again = await page(reloaded);
      await again.picker.updateComplete;
      expect([again.picker.value, again.target.value, again.pickerChanges, again.targetChanges]).to.deep.equal([[], '', [], []]);
    });

    it('a connect the page loaded with (redirect: noteConnect) chooses the defaults too', async () => {
      const session = await sessionWith(connected());
      const work = session.calendarList[1]!;
      const p = await page(session);
      session.noteConnect();
      await waitUntil(() => p.picker.value.length === 1 && p.target.value === work.id, 'no defaults after noteConnect');
      expect([p.pickerChanges.length, p.targetChanges.length]).to.deep.equal([1, 1]);
    });

    it('chooses nothing the provider cannot see: no primary on top, or one the filter hides', async () => {
      const noPrimary = await sessionWith([calendar({ name: 'Work' }), calendar({ name: 'Home' })]);
      const p = await page(noPrimary);
      await connect(noPrimary, p);
      await p.picker.updateComplete;
      expect([p.picker.value, p.target.value]).to.deep.equal([[], '']);

      const many = [calendar({ name: 'Work', provider_primary: true }), ...Array.from({ length: 11 }, (_, i) => calendar({ name: `Project ${i}` }))];
      const session = await sessionWith(many);
      const q = await page(session);
      const filter = part(q.picker, 'filter') as HTMLInputElement;
      filter.value = 'Project';
      filter.dispatchEvent(new Event('input'));
      await connect(session, q);
      await q.picker.updateComplete;
      expect(q.picker.value).to.deep.equal([]);
    });
  });

  describe('one-line summary', () => {
    it('counts with plural rules and a thousands separator (en, de, es), as a polite status', async () => {
      const session = await sessionWith(Array.from({ length: 1001 }, (_, i) => calendar({ name: `Project ${i}`, provider_sync: true })));
      const wrapper = fixtureSync(html`<div lang="en">
        <tk-calendar-picker .session=${session}></tk-calendar-picker>
        <div lang="de"><tk-calendar-picker .session=${session}></tk-calendar-picker></div>
        <div lang="es"><tk-calendar-picker .session=${session}></tk-calendar-picker></div>
      </div>`);
      const [english, german, spanish] = [...wrapper.querySelectorAll('tk-calendar-picker')];
      // German and Spanish arrive in chunks of their own: until then those pickers speak English.
      const inOwnLanguage = [/calendars/, /Kalender/, /calendarios/];
      await waitUntil(() => [english, german, spanish].every((el, i) => inOwnLanguage[i]!.test(text(el!, 'summary') ?? '')), 'no summary in each language', { timeout: 10_000 });
      expect(text(english!, 'summary')).to.equal('Checking 1,001 calendars');
      expect(text(german!, 'summary')).to.equal('1.001 Kalender werden geprüft');
      expect(text(spanish!, 'summary')).to.equal('Se consultan 1001 calendarios');
      expect(part(english!, 'summary')!.getAttribute('role')).to.equal('status');
    });
  });

  describe('one visible save model', () => {
    it('a written row says "Saving…", then "Saved" (announced once), which then goes', async () => {
      const session = await sessionWith(connected());
      const work = session.calendarList[1]!;
      const p = await page(session, { noDefaults: true });
      session.holdSync = true;
      rowControl(p.picker, work.id).click();
      await waitUntil(() => row(p.picker, work.id).querySelector('[part~="row-status"]')?.textContent === 'Saving…', 'no Saving…');
      work.provider_sync = true;
      session.syncCalls[0]!.deferred.resolve(structuredClone(work));
      await waitUntil(() => row(p.picker, work.id).querySelector('[part~="row-status"]')?.textContent === 'Saved', 'no Saved');
      const saved = row(p.picker, work.id).querySelector<HTMLElement>('[part~="row-status"]')!;
      // It fades (the stylesheet turns the animation off under prefers-reduced-motion).
      if (!matchMedia('(prefers-reduced-motion: reduce)').matches) expect(getComputedStyle(saved).animationName).to.equal('tk-fade-out');
      expect(part(p.picker, 'status')!.textContent).to.equal('“Work” saved.');
      expect(text(p.picker, 'summary')).to.equal('Checking 1 calendar');
      await expect(p.picker).to.be.accessible();
      await waitUntil(() => parts(p.picker, 'row-status').length === 0, '"Saved" never went', { timeout: 10_000 });
    });

    it('the booking target says it is saved with the form; the calendar picker says so in save="manual" only', async () => {
      const session = await sessionWith(connected());
      const auto = await page(session);
      expect(text(auto.target, 'save-mode')).to.equal('Saved when you save the form.');
      expect(part(auto.picker, 'save-mode')).to.equal(null);
      const manual = await page(session, { manual: true });
      expect(text(manual.picker, 'save-mode')).to.equal('Saved when you save the form.');
    });
  });

  describe('overlap warning', () => {
    it('sits beside the chosen row; its one-click fix ticks the calendar in the calendar picker, and it goes', async () => {
      const session = await sessionWith(connected());
      const [side, work] = session.calendarList;
      const p = await page(session, { noDefaults: true });
      rowControl(p.target, side!.id).click();
      await waitUntil(() => part(p.target, 'warning') !== null, 'no warning');
      expect(part(p.target, 'warning')!.closest('[data-id]')!.getAttribute('data-id')).to.equal(side!.id);
      expect(row(p.target, side!.id).contains(part(p.target, 'warning'))).to.equal(true);
      expect(row(p.target, work!.id).querySelector('[part~="warning"]')).to.equal(null);
      await expect(p.target).to.be.accessible();
      part(p.target, 'availability-button')!.click();
      await waitUntil(() => part(p.target, 'warning') === null, 'the warning stayed');
      expect(p.picker.value).to.deep.equal([side!.id]);
      expect(p.pickerChanges).to.deep.equal([{ calendarIds: [side!.id] }]);
      expect(session.syncCalls.map((c) => [c.id, c.sync])).to.deep.equal([[side!.id, true]]);
      await waitUntil(() => p.target.shadowRoot!.activeElement === rowControl(p.target, side!.id), 'the focus did not go back to the choice');
    });

    it('without a calendar picker on the page: the warning, and no fix button', async () => {
      const session = await sessionWith(connected());
      const side = session.calendarList[0]!;
      const el = await fixture<TkBookingTarget>(html`<tk-booking-target no-defaults .session=${session}></tk-booking-target>`);
      await waitUntil(() => hasState(el, 'content'));
      rowControl(el, side.id).click();
      await waitUntil(() => part(el, 'warning') !== null, 'no warning');
      expect(part(el, 'availability-button')).to.equal(null);
    });
  });

  describe('white-label', () => {
    it("the built-in calendar's group reads 'Built-in calendar'; provider badges only with provider-badges", async () => {
      const session = await sessionWith([calendar({ name: 'Bookings', provider: 'timekit' }), ...connected()]);
      const plain = await fixture<TkCalendarPicker>(html`<tk-calendar-picker .session=${session}></tk-calendar-picker>`);
      await waitUntil(() => hasState(plain, 'content'));
      expect(parts(plain, 'group-label').map((l) => l.textContent!.trim())).to.include('Built-in calendar');
      expect(parts(plain, 'badge-provider')).to.deep.equal([]);
      const badged = await fixture<TkCalendarPicker>(html`<tk-calendar-picker provider-badges .session=${session}></tk-calendar-picker>`);
      await waitUntil(() => hasState(badged, 'content'));
      expect(parts(badged, 'badge-provider').map((b) => b.textContent)).to.include.members(['Built-in calendar', 'Google']);
    });
  });
});
