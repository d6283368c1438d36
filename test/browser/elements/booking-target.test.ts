// Wrappers that are not Lit elements mount with fixtureSync: open-wc's fixture waits an animation
// frame for them, and a background tab (two test files at a time) gets none.
import { expect, fixture, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/tk-booking-target.js';
import '../../../src/tk-calendar-picker.js';
import '../../../src/tk-session.js';
import { TkBookingTarget } from '../../../src/components/booking-target/booking-target.js';
import { TkChangeEvent } from '../../../src/events/change.js';
import { TkError } from '../../../src/session/errors.js';
import { FAKE_TOKEN, FakeSession, calendar, readySession } from '../helpers/fake-session.js';
import { hasState, part, parts, rowControl, waitForState } from '../helpers/dom.js';

const calendars = () => [
  calendar({ name: 'Work', provider_primary: true, provider_sync: true }),
  calendar({ name: 'Team rota', provider_access: 'reader', provider_sync: true }),
  calendar({ name: 'Side gig', provider_access: 'writer' }),
];

async function sessionWith(list = calendars()) {
  const session = new FakeSession();
  session.calendarList = list;
  await session.refresh();
  return session;
}

async function target(session?: FakeSession) {
  const el = await fixture<TkBookingTarget>(html`<tk-booking-target .session=${session}></tk-booking-target>`);
  if (session?.status === 'ready' && !session.holdCalendars) await waitUntil(() => hasState(el, 'content') || hasState(el, 'empty'));
  return el;
}

describe('<tk-booking-target>', () => {
  it('is the registered class', () => {
    expect(document.createElement('tk-booking-target')).to.be.instanceOf(TkBookingTarget);
  });

  describe('states', () => {
    it('signed-out', async () => {
      const el = await target();
      expect(hasState(el, 'signed-out')).to.equal(true);
      expect(part(el, 'signed-out')).to.not.equal(null);
      await expect(el).to.be.accessible();
    });

    it('loading', async () => {
      const session = await sessionWith();
      session.holdCalendars = true;
      const el = await target(session);
      expect(hasState(el, 'loading')).to.equal(true);
      expect(part(el, 'status')!.textContent).to.contain('Loading');
      await expect(el).to.be.accessible();
    });

    it('empty', async () => {
      const el = await target(await sessionWith([]));
      expect(hasState(el, 'empty')).to.equal(true);
      expect(part(el, 'empty')).to.not.equal(null);
      await expect(el).to.be.accessible();
    });

    it('error with a retry', async () => {
      const session = await sessionWith();
      session.holdCalendars = true;
      const el = await target(session);
      const fired = oneEvent(el, 'tk-error');
      session.calendarLoads[0]!.deferred.reject(new TkError('unavailable'));
      expect((await fired).detail).to.deep.equal({ code: 'unavailable', message: 'The calendar service is unavailable right now.', retryable: true });
      await el.updateComplete;
      expect(hasState(el, 'error')).to.equal(true);
      expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
      await expect(el).to.be.accessible();
      session.holdCalendars = false;
      part(el, 'retry-button')!.click();
      await waitForState(el, 'content');
    });

    it('content: writable calendars choosable, read-only ones disabled with the reason', async () => {
      const session = await sessionWith();
      const el = await target(session);
      const [work, rota, side] = session.calendarList;
      expect(hasState(el, 'content')).to.equal(true);
      expect(parts(el, 'name').map((n) => n.textContent)).to.deep.equal(['Work', 'Side gig', 'Team rota']);
      expect(rowControl(el, work!.id).disabled).to.equal(false);
      expect(rowControl(el, side!.id).disabled).to.equal(false);
      expect(rowControl(el, rota!.id).disabled).to.equal(true);
      const reason = el.shadowRoot!.getElementById(rowControl(el, rota!.id).getAttribute('aria-describedby')!)!;
      expect(reason.textContent).to.contain('Read-only');
      expect(parts(el, 'option-disabled')).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('says so when no calendar is writable', async () => {
      const el = await target(await sessionWith([calendar({ provider_access: 'reader' })]));
      expect(part(el, 'empty')!.textContent).to.contain('No calendar can take bookings');
    });
  });

  describe('events', () => {
    it('a user choice fires tk-change {calendarId} and change, both bubbling and composed', async () => {
      const session = await sessionWith();
      const el = await target(session);
      const side = session.calendarList[2]!;
      const tkChange = oneEvent(el, 'tk-change');
      const change = oneEvent(el, 'change');
      rowControl(el, side.id).click();
      const event = (await tkChange) as TkChangeEvent;
      expect(event).to.be.instanceOf(TkChangeEvent);
      expect(event.detail).to.deep.equal({ calendarId: side.id });
      expect([event.bubbles, event.composed]).to.deep.equal([true, true]);
      expect((await change).composed).to.equal(true);
      expect(el.value).to.equal(side.id);
      expect(el.selectedCalendar!.name).to.equal('Side gig');
    });

    it('setting .value from code shows the choice and fires nothing', async () => {
      const session = await sessionWith();
      const el = await target(session);
      // a user's choice first, as a host would override one; its events are over before counting
      const chosen = oneEvent(el, 'change');
      rowControl(el, session.calendarList[2]!.id).click();
      await chosen;
      await el.updateComplete;
      let fired = 0;
      el.addEventListener('tk-change', () => fired++);
      el.addEventListener('change', () => fired++);
      el.value = session.calendarList[0]!.id;
      await el.updateComplete;
      expect(rowControl(el, session.calendarList[0]!.id).checked).to.equal(true);
      expect(fired).to.equal(0);
    });
  });

  describe('another resource', () => {
    /** The provider connects another account and Timekit gives them a new resource, with other calendars. */
    async function newResource(session: FakeSession, el: TkBookingTarget) {
      session.calendarList = [calendar({ name: 'Outlook', provider: 'microsoft' })];
      await session.become(readySession({ resourceId: 'res-2', email: 'dana.whitfield@contoso.example' }));
      await waitUntil(() => hasState(el, 'content') && parts(el, 'name').some((n) => n.textContent === 'Outlook'), 'the new calendars are not shown');
    }

    it("drops a chosen calendar of the old resource: the value clears, required fails, the form carries no stale id, one tk-change tells the host", async () => {
      const session = await sessionWith();
      const form = fixtureSync<HTMLFormElement>(html`<form><tk-booking-target name="booking_calendar" required .session=${session}></tk-booking-target></form>`);
      const el = form.querySelector('tk-booking-target')!;
      await waitForState(el, 'content');
      rowControl(el, session.calendarList[2]!.id).click();
      await el.updateComplete;
      const changes: unknown[] = [];
      el.addEventListener('tk-change', (event) => changes.push((event as TkChangeEvent).detail));
      await newResource(session, el);
      await el.updateComplete;
      expect(el.value).to.equal('');
      expect(new FormData(form).get('booking_calendar')).to.equal(null);
      expect(form.checkValidity()).to.equal(false);
      expect(changes).to.deep.equal([{ calendarId: '' }]);
      form.reset();
      await el.updateComplete;
      expect(el.value, 'a reset does not bring the old id back').to.equal('');
    });

    it('a reload of the same resource keeps the choice and fires nothing', async () => {
      const session = await sessionWith();
      const el = await target(session);
      rowControl(el, session.calendarList[2]!.id).click();
      await el.updateComplete;
      let fired = 0;
      el.addEventListener('tk-change', () => fired++);
      const loads = session.calendarLoads.length;
      await session.refresh({ reload: true });
      await waitUntil(() => session.calendarLoads.length > loads && hasState(el, 'content'), 'no reload');
      await el.updateComplete;
      expect(el.value).to.equal(session.calendarList[2]!.id);
      expect(fired).to.equal(0);
    });
  });

  describe('availability warning', () => {
    it('warns when the target is not among the calendars Timekit syncs', async () => {
      const session = await sessionWith();
      const el = await target(session);
      el.value = session.calendarList[0]!.id;
      await el.updateComplete;
      expect(part(el, 'warning')).to.equal(null);
      el.value = session.calendarList[2]!.id;
      await el.updateComplete;
      expect(part(el, 'warning')!.textContent).to.contain('not among the availability calendars');
      expect(hasState(el, 'outside-availability')).to.equal(true);
    });

    it('follows the picker on the same page, saved or not', async () => {
      const session = await sessionWith();
      const wrap = await fixture(html`<tk-session .session=${session}>
        <tk-calendar-picker save="manual"></tk-calendar-picker><tk-booking-target></tk-booking-target>
      </tk-session>`);
      const picker = wrap.querySelector('tk-calendar-picker')!;
      const el = wrap.querySelector('tk-booking-target')!;
      await waitUntil(() => hasState(el, 'content') && hasState(picker, 'content'));
      const side = session.calendarList[2]!;
      el.value = side.id;
      await el.updateComplete;
      expect(hasState(el, 'outside-availability')).to.equal(true);
      rowControl(picker, side.id).click();
      await el.updateComplete;
      expect(hasState(el, 'outside-availability')).to.equal(false);
    });
  });

  it('works by keyboard: arrows move between the writable calendars, Space chooses', async () => {
    const session = await sessionWith();
    const el = await target(session);
    const [work, , side] = session.calendarList;
    el.value = work!.id;
    await el.updateComplete;
    rowControl(el, work!.id).focus();
    const changed = oneEvent(el, 'tk-change');
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => el.shadowRoot!.activeElement === rowControl(el, side!.id), 'ArrowDown did not skip to the next writable calendar');
    await sendKeys({ press: ' ' });
    expect((await changed).detail).to.deep.equal({ calendarId: side!.id });
  });

  describe('form association', () => {
    /** A `required` target named `booking_calendar` in a fieldset of a form, showing its calendars (none chosen). */
    async function inForm() {
      const session = await sessionWith();
      const form = fixtureSync<HTMLFormElement>(html`<form><fieldset>
        <tk-booking-target name="booking_calendar" required .session=${session}></tk-booking-target>
      </fieldset></form>`);
      const el = form.querySelector('tk-booking-target')!;
      await waitForState(el, 'content');
      return { form, el, first: session.calendarList[0]! };
    }

    it('required: nothing chosen makes the form invalid, with the message', async () => {
      const { form, el } = await inForm();
      expect(form.checkValidity()).to.equal(false);
      expect(el.validationMessage).to.equal('Choose a calendar for new bookings.');
    });

    it('submits the chosen id under its name, and the form is valid', async () => {
      const { form, el, first } = await inForm();
      rowControl(el, first.id).click();
      await el.updateComplete;
      expect(new FormData(form).get('booking_calendar')).to.equal(first.id);
      expect(form.checkValidity()).to.equal(true);
    });

    it('takes back the id the browser restores (bfcache, autofill) as its value, and the form is valid', async () => {
      const { form, el, first } = await inForm();
      el.formStateRestoreCallback(first.id);
      await el.updateComplete;
      expect(el.value).to.equal(first.id);
      expect(new FormData(form).get('booking_calendar')).to.equal(first.id);
      expect(form.checkValidity()).to.equal(true);
    });

    it("the form's reset clears the choice from the value and the form data", async () => {
      const { form, el, first } = await inForm();
      rowControl(el, first.id).click();
      await el.updateComplete;
      form.reset();
      await el.updateComplete;
      expect(el.value).to.equal('');
      expect(new FormData(form).get('booking_calendar')).to.equal(null);
    });

    describe('value from HTML', () => {
      /** A server-rendered target in a form: `value` is the saved calendar id. */
      async function rendered(value: string) {
        const session = await sessionWith();
        const form = fixtureSync<HTMLFormElement>(html`<form><tk-booking-target name="booking_calendar" required value=${value} .session=${session}></tk-booking-target></form>`);
        const el = form.querySelector('tk-booking-target')!;
        await waitForState(el, 'content');
        return { form, el, session };
      }

      it('the value attribute shows the saved calendar once the calendars load, and the form submits it', async () => {
        const saved = calendar({ name: 'Saved', provider_access: 'owner' });
        const session = await sessionWith([...calendars(), saved]);
        const form = fixtureSync<HTMLFormElement>(html`<form><tk-booking-target name="booking_calendar" required value=${saved.id} .session=${session}></tk-booking-target></form>`);
        const el = form.querySelector('tk-booking-target')!;
        await waitForState(el, 'content');
        expect(el.value).to.equal(saved.id);
        expect(rowControl(el, saved.id).checked).to.equal(true);
        expect(new FormData(form).get('booking_calendar')).to.equal(saved.id);
        expect(form.checkValidity()).to.equal(true);
      });

      it("the form's reset returns to the value the page was rendered with, not to none", async () => {
        const { form, el, session } = await rendered('');
        const [work, , side] = session.calendarList;
        el.setAttribute('value', work!.id);
        await el.updateComplete;
        rowControl(el, side!.id).click();
        await el.updateComplete;
        form.reset();
        await el.updateComplete;
        expect(el.value).to.equal(work!.id);
        expect(rowControl(el, work!.id).checked).to.equal(true);
        expect(new FormData(form).get('booking_calendar')).to.equal(work!.id);
      });

      it('an id that is not among the calendars shows nothing chosen, is not submitted, fails required, and warns once naming it', async () => {
        const warnings: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
        try {
          const { form, el } = await rendered('cal-of-another-resource');
          await waitUntil(() => warnings.some((w) => w.includes('"cal-of-another-resource"')), 'no console warning names the id');
          expect(parts(el, 'radio').some((radio) => (radio as HTMLInputElement).checked)).to.equal(false);
          expect(new FormData(form).get('booking_calendar')).to.equal(null);
          expect(form.checkValidity()).to.equal(false);
          el.requestUpdate();
          await el.updateComplete;
          expect(warnings.filter((w) => w.includes('cal-of-another-resource'))).to.have.length(1);
          expect(warnings[0]).to.contain('tk-booking-target').and.to.contain('account connected now');
        } finally {
          console.warn = warn;
        }
      });

      it('a read-only calendar as the value is not submitted either: bookings cannot land there', async () => {
        const { form, session } = await rendered('');
        const el = form.querySelector('tk-booking-target')!;
        el.value = session.calendarList[1]!.id; // "Team rota", reader
        await el.updateComplete;
        expect(new FormData(form).get('booking_calendar')).to.equal(null);
        expect(form.checkValidity()).to.equal(false);
      });
    });

    it('a disabled fieldset disables every row', async () => {
      const { form, el, first } = await inForm();
      form.querySelector('fieldset')!.disabled = true;
      await el.updateComplete;
      expect(rowControl(el, first.id).disabled).to.equal(true);
    });
  });

  it('speaks Spanish under lang="es", and takes a strings override', async () => {
    const session = await sessionWith();
    const wrap = fixtureSync(html`<section lang="es-MX"><tk-booking-target .session=${session}></tk-booking-target></section>`);
    const el = wrap.querySelector('tk-booking-target')!;
    await waitForState(el, 'content');
    await waitUntil(() => part(el, 'label')!.textContent === 'Calendario para las nuevas reservas', 'no Spanish');
    expect(part(el, 'reason')!.textContent).to.contain('Solo lectura');
    el.strings = { targetLabel: 'Dónde caen las citas' };
    await el.updateComplete;
    expect(part(el, 'label')!.textContent).to.equal('Dónde caen las citas');
  });

  it('--tk-picker-accent on an ancestor colours the radios', async () => {
    const session = await sessionWith();
    const wrap = fixtureSync(html`<div style="--tk-picker-accent: rgb(200, 10, 20)"><tk-booking-target .session=${session}></tk-booking-target></div>`);
    const el = wrap.querySelector('tk-booking-target')!;
    await waitForState(el, 'content');
    expect(getComputedStyle(part(el, 'radio')!).accentColor).to.equal('rgb(200, 10, 20)');
  });

  it('lays out with logical properties: the reason indents from the right under dir="rtl"', async () => {
    const session = await sessionWith();
    const wrap = fixtureSync(html`<div dir="rtl"><tk-booking-target .session=${session}></tk-booking-target></div>`);
    const el = wrap.querySelector('tk-booking-target')!;
    await waitForState(el, 'content');
    const reason = getComputedStyle(part(el, 'reason')!);
    expect(parseFloat(reason.marginRight)).to.be.greaterThan(0);
    expect(parseFloat(reason.marginLeft)).to.equal(0);
  });

  it('never shows the token', async () => {
    const session = await sessionWith();
    const el = await target(session);
    const details: unknown[] = [];
    el.addEventListener('tk-change', (e) => details.push(e.detail));
    rowControl(el, session.calendarList[0]!.id).click();
    expect(JSON.stringify(details) + el.outerHTML + el.shadowRoot!.innerHTML).to.not.contain(FAKE_TOKEN);
  });
});
