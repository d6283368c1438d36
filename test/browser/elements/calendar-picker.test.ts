// Wrappers that are not Lit elements mount with fixtureSync: open-wc's fixture waits an animation
// frame for them, and a background tab (two test files at a time) gets none.
import { expect, fixture, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { sendKeys } from '@web/test-runner-commands';
import '../../../src/tk-calendar-picker.js';
import '../../../src/tk-session.js';
import { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import { TkChangeEvent } from '../../../src/events/change.js';
import { TkErrorEvent } from '../../../src/events/error.js';
import { TkError } from '../../../src/session/errors.js';
import { provideTkSession } from '../../../src/session/session-context.js';
import { FAKE_TOKEN, FakeSession, calendar, readySession as readyAnswer } from '../helpers/fake-session.js';
import { hasState, part, parts, row, rowControl, waitForState } from '../helpers/dom.js';

async function readySession(calendars = [calendar({ name: 'Work', provider_sync: true, provider_primary: true }), calendar({ name: 'Family' })]) {
  const session = new FakeSession();
  session.calendarList = calendars;
  await session.become(session.next as never);
  return session;
}

async function picker(session?: FakeSession, attrs = '') {
  const el = await fixture<TkCalendarPicker>(html`<tk-calendar-picker .session=${session}></tk-calendar-picker>`);
  if (attrs) {
    for (const [k, v] of attrs.split(' ').map((a) => a.split('='))) el.setAttribute(k!, v ?? '');
    await el.updateComplete;
  }
  if (session?.status === 'ready' && !session.holdCalendars) await waitUntil(() => hasState(el, 'content') || hasState(el, 'empty'));
  return el;
}

describe('<tk-calendar-picker>', () => {
  it('is the registered class', () => {
    expect(document.createElement('tk-calendar-picker')).to.be.instanceOf(TkCalendarPicker);
  });

  describe('states', () => {
    it('signed-out without a session: message part, state, disabled fieldset, accessible', async () => {
      const el = await picker();
      expect(hasState(el, 'signed-out')).to.equal(true);
      expect(part(el, 'signed-out')!.textContent).to.contain('Connect a calendar account first');
      expect(part(el, 'base')!.hasAttribute('disabled')).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('signed-out when the session says so', async () => {
      const session = new FakeSession();
      await session.become({ status: 'signed-out' });
      const el = await picker(session);
      expect(hasState(el, 'signed-out')).to.equal(true);
    });

    it('loading: status part with a polite name, busy, accessible', async () => {
      const session = await readySession();
      session.holdCalendars = true;
      const el = await picker(session);
      expect(hasState(el, 'loading')).to.equal(true);
      expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
      expect(part(el, 'status')!.textContent).to.contain('Loading calendars');
      expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('empty: empty part and state, accessible', async () => {
      const el = await picker(await readySession([]));
      expect(hasState(el, 'empty')).to.equal(true);
      expect(part(el, 'empty')!.textContent).to.contain('No calendars yet');
      await expect(el).to.be.accessible();
    });

    it('error: alert with the message for the code, retry that works, tk-error once, accessible', async () => {
      const session = await readySession();
      session.holdCalendars = true;
      const el = await picker(session);
      const fired = oneEvent(el, 'tk-error');
      session.calendarLoads[0]!.deferred.reject(new TkError('unavailable'));
      const event = (await fired) as TkErrorEvent;
      expect(event).to.be.instanceOf(TkErrorEvent);
      expect(event.detail).to.deep.equal({ code: 'unavailable', message: 'The calendar service is unavailable right now.', retryable: true });
      expect(event.bubbles && event.composed).to.equal(true);
      await el.updateComplete;
      expect(hasState(el, 'error')).to.equal(true);
      expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
      await expect(el).to.be.accessible();

      session.holdCalendars = false;
      part(el, 'retry-button')!.click();
      await waitForState(el, 'content');
      expect(parts(el, 'option')).to.have.length(2);
    });

    it('error when the session failed; retry refreshes the session', async () => {
      const session = new FakeSession();
      session.calendarList = [calendar()];
      await session.become('network');
      const el = await picker(session);
      expect(hasState(el, 'error')).to.equal(true);
      expect(part(el, 'error')!.textContent).to.contain('Could not reach the calendar service');
      session.next = (await readySession()).next;
      part(el, 'retry-button')!.click();
      await waitForState(el, 'content');
    });

    it('content: rows with colour, name and badges, grouped by account, accessible', async () => {
      const el = await picker(
        await readySession([
          calendar({ name: 'Work', provider_primary: true, provider_sync: true }),
          calendar({ name: 'Holidays', provider_access: 'reader' }),
          calendar({ name: 'Bookings', provider: 'timekit', provider_id: null, backgroundcolor: 'red; background-image: url(/x)' }),
        ]),
      );
      expect(hasState(el, 'content')).to.equal(true);
      expect(hasState(el, 'loading')).to.equal(false);
      const labels = parts(el, 'group-label').map((l) => l.textContent!.replace(/\s+/g, ' ').trim());
      expect(labels).to.deep.equal(['Google · alex.morgan@example.com', 'Built-in calendar']);
      const names = parts(el, 'name').map((n) => n.textContent);
      expect(names).to.deep.equal(['Work', 'Holidays', 'Bookings']);
      expect(parts(el, 'badge-primary')).to.have.length(1);
      expect(parts(el, 'badge-read-only')).to.have.length(1);
      expect(parts(el, 'color')[2]!.style.cssText).to.equal(''); // not a plain colour: not used
      expect(part(el, 'status')!.textContent!.trim()).to.equal('3 calendars');
      expect(getComputedStyle(part(el, 'color')!).backgroundColor).to.equal('rgb(66, 133, 244)');
      expect(el.value).to.have.length(1);
      await expect(el).to.be.accessible();
    });

    it('renders hostile, right-to-left, emoji and 500-character names as intact text', async () => {
      const names = ['<b>Board</b> & "meetings" <img src=x onerror=alert(1)>', 'تقويم العمل', '🍣 寿司 📅', 'x'.repeat(500)];
      const el = await picker(await readySession(names.map((name) => calendar({ name }))));
      const shown = parts(el, 'name').map((n) => n.textContent);
      expect(shown.sort()).to.deep.equal([...names].sort());
      expect(el.shadowRoot!.querySelector('img, b')).to.equal(null);
    });

    it('filters once there are more than 10 calendars, and stays quick with 1,000', async () => {
      const many = Array.from({ length: 1000 }, (_, i) => calendar({ name: `Team ${i}` }));
      const session = await readySession(many);
      session.holdCalendars = true;
      const el = await picker(session);
      session.calendarLoads[0]!.deferred.resolve(many);
      // microtasks only: the first rows render at once, then only those on screen (virtualized)
      for (let i = 0; i < 5 && !hasState(el, 'content'); i++) await el.updateComplete;
      expect(hasState(el, 'content')).to.equal(true);
      expect(parts(el, 'option').length).to.be.within(1, 200);
      await waitUntil(() => el.shadowRoot!.querySelector('[role=listitem][aria-setsize="1000"]') !== null, 'the long list was not virtualized', { timeout: 10_000 });
      expect(parts(el, 'option').length).to.be.below(200);
      const filter = part(el, 'filter') as HTMLInputElement;
      filter.value = 'team 99';
      filter.dispatchEvent(new Event('input'));
      await el.updateComplete;
      expect(parts(el, 'name').map((n) => n.textContent).sort()).to.deep.equal(['Team 99', 'Team 990', 'Team 991', 'Team 992', 'Team 993', 'Team 994', 'Team 995', 'Team 996', 'Team 997', 'Team 998', 'Team 999']);
      const small = await picker(await readySession(Array.from({ length: 10 }, () => calendar())));
      expect(part(small, 'filter')).to.equal(null);
    });
  });

  describe('events', () => {
    it('a user toggle fires tk-change with the ids and native change, both bubbling and composed', async () => {
      const session = await readySession();
      const el = await picker(session);
      const [work, family] = session.calendarList;
      const tkChange = oneEvent(el, 'tk-change');
      const change = oneEvent(el, 'change');
      rowControl(el, family!.id).click();
      const event = (await tkChange) as TkChangeEvent;
      expect(event).to.be.instanceOf(TkChangeEvent);
      expect(event.detail).to.deep.equal({ calendarIds: [work!.id, family!.id] });
      expect([event.bubbles, event.composed, event.cancelable]).to.deep.equal([true, true, false]);
      const native = await change;
      expect([native.bubbles, native.composed]).to.deep.equal([true, true]);
      expect(el.value).to.deep.equal([work!.id, family!.id]);
    });

    it('the value lists the ids in the order of the calendars, whatever order they were ticked in, as a reload gives it', async () => {
      const session = await readySession();
      const el = await picker(session, 'save=manual');
      const [work, family] = session.calendarList;
      rowControl(el, work!.id).click();
      rowControl(el, family!.id).click();
      const ticked = oneEvent(el, 'tk-change');
      rowControl(el, work!.id).click();
      expect(((await ticked) as TkChangeEvent).detail).to.deep.equal({ calendarIds: [work!.id, family!.id] });
      expect(el.value).to.deep.equal([work!.id, family!.id]);
    });

    it('setting .value from code fires nothing and saves nothing', async () => {
      const session = await readySession();
      const el = await picker(session);
      let fired = 0;
      for (const type of ['tk-change', 'change', 'tk-error']) el.addEventListener(type, () => fired++);
      el.value = [session.calendarList[1]!.id];
      await el.updateComplete;
      expect(rowControl(el, session.calendarList[1]!.id).checked).to.equal(true);
      expect(rowControl(el, session.calendarList[0]!.id).checked).to.equal(false);
      expect(fired).to.equal(0);
      expect(session.syncCalls).to.have.length(0);
    });
  });

  describe('saving', () => {
    it('save="auto" writes provider_sync for each toggle', async () => {
      const session = await readySession();
      const el = await picker(session);
      rowControl(el, session.calendarList[1]!.id).click();
      expect(session.syncCalls.map((c) => [c.id, c.sync])).to.deep.equal([[session.calendarList[1]!.id, true]]);
    });

    it('shows the saving state on the element and the row while a write is pending', async () => {
      const session = await readySession();
      const el = await picker(session);
      session.holdSync = true;
      const family = session.calendarList[1]!;
      rowControl(el, family.id).click();
      await el.updateComplete;
      expect(hasState(el, 'saving')).to.equal(true);
      expect(rowControl(el, family.id).getAttribute('aria-busy')).to.equal('true');
      session.syncCalls[0]!.deferred.resolve({ ...family, provider_sync: true });
      await waitUntil(() => !hasState(el, 'saving'));
      expect(rowControl(el, family.id).getAttribute('aria-busy')).to.equal('false');
      expect(rowControl(el, family.id).checked).to.equal(true);
    });

    it('a reload that lands during a save keeps the toggle; in manual mode it keeps unsaved choices', async () => {
      const session = await readySession();
      const el = await picker(session);
      const family = session.calendarList[1]!;
      session.holdSync = true;
      rowControl(el, family.id).click();
      await session.refresh({ reload: true }); // e.g. another account was connected meanwhile
      await waitUntil(() => session.calendarLoads.length === 2 && part(el, 'base')!.getAttribute('aria-busy') === 'false');
      expect(rowControl(el, family.id).checked).to.equal(true);
      expect(el.value).to.include(family.id);

      const manual = await picker(session, 'save=manual');
      const work = session.calendarList[0]!;
      rowControl(manual, work.id).click();
      await session.refresh({ reload: true });
      await waitUntil(() => part(manual, 'base')!.getAttribute('aria-busy') === 'false' && session.calendarLoads.length >= 4);
      expect(rowControl(manual, work.id).checked).to.equal(false);
    });

    it('a refused toggle rolls back with an inline error on that row, and its retry saves it', async () => {
      const session = await readySession();
      const el = await picker(session);
      const family = session.calendarList[1]!;
      session.failSync = new TkError('invalid', 'HTTP 422', 422);
      const errored = oneEvent(el, 'tk-error');
      rowControl(el, family.id).click();
      expect(rowControl(el, family.id).checked).to.equal(true); // optimistic
      expect((await errored).detail.code).to.equal('invalid');
      await el.updateComplete;
      expect(rowControl(el, family.id).checked).to.equal(false);
      expect(el.value).to.not.include(family.id);
      const rowError = row(el, family.id).querySelector('[part~="row-error"]')!;
      expect(rowError.getAttribute('role')).to.equal('alert');
      expect(rowError.textContent).to.contain('Could not save');
      await expect(el).to.be.accessible();

      session.failSync = undefined;
      row(el, family.id).querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
      await waitUntil(() => !hasState(el, 'saving'));
      expect(rowControl(el, family.id).checked).to.equal(true);
      expect(row(el, family.id).querySelector('[part~="row-error"]')).to.equal(null);
      expect(session.calendarList[1]!.provider_sync).to.equal(true);
    });

    it('save="manual" writes nothing until .save(), which writes only the differences', async () => {
      const session = await readySession();
      const el = await picker(session, 'save=manual');
      const [work, family] = session.calendarList;
      rowControl(el, family!.id).click();
      rowControl(el, work!.id).click();
      expect(session.syncCalls).to.have.length(0);
      expect(await el.save()).to.equal(true);
      expect(session.syncCalls.map((c) => [c.id, c.sync]).sort()).to.deep.equal([[work!.id, false], [family!.id, true]].sort());
    });
  });

  describe('another resource', () => {
    /** The provider connects another account and Timekit gives them a new resource, with other calendars. */
    async function becomeNewResource(session: FakeSession, el: TkCalendarPicker, calendars: ReturnType<typeof calendar>[]) {
      session.calendarList = calendars;
      await session.become(readyAnswer({ resourceId: 'res-2', email: 'dana.whitfield@contoso.example' }));
      await waitUntil(() => hasState(el, 'content') && parts(el, 'name').some((n) => n.textContent === calendars[0]!.name), 'the new calendars are not shown');
      await el.updateComplete;
    }

    it("auto mode: the new resource's synced calendars replace the old selection, with one tk-change", async () => {
      const session = await readySession();
      const el = await picker(session);
      expect(el.value).to.have.length(1);
      const changes: unknown[] = [];
      el.addEventListener('tk-change', (event) => changes.push((event as TkChangeEvent).detail));
      const outlook = calendar({ name: 'Outlook', provider: 'microsoft', provider_sync: true });
      await becomeNewResource(session, el, [outlook, calendar({ name: 'Rooms', provider: 'microsoft' })]);
      expect(el.value).to.deep.equal([outlook.id]);
      expect(changes).to.deep.equal([{ calendarIds: [outlook.id] }]);
    });

    it("manual mode: choices of the old resource's calendars are dropped, required fails, the form carries none, one tk-change", async () => {
      const session = await readySession();
      const form = fixtureSync<HTMLFormElement>(html`<form><tk-calendar-picker name="findtime_calendars" required save="manual" .session=${session}></tk-calendar-picker></form>`);
      const el = form.querySelector('tk-calendar-picker')!;
      await waitForState(el, 'content');
      rowControl(el, session.calendarList[1]!.id).click();
      await el.updateComplete;
      expect(el.value).to.have.length(2);
      const changes: unknown[] = [];
      el.addEventListener('tk-change', (event) => changes.push((event as TkChangeEvent).detail));
      await becomeNewResource(session, el, [calendar({ name: 'Outlook', provider: 'microsoft' })]);
      expect(el.value).to.deep.equal([]);
      expect(new FormData(form).getAll('findtime_calendars')).to.deep.equal([]);
      expect(form.checkValidity()).to.equal(false);
      expect(changes).to.deep.equal([{ calendarIds: [] }]);
    });
  });

  describe('context', () => {
    it('gets the session from an ancestor <tk-session>', async () => {
      const session = await readySession();
      const wrap = await fixture(html`<tk-session .session=${session}><tk-calendar-picker></tk-calendar-picker></tk-session>`);
      const el = wrap.querySelector('tk-calendar-picker')!;
      await waitForState(el, 'content');
    });

    it('across a shadow boundary', async () => {
      const session = await readySession();
      const wrap = await fixture<HTMLElement>(html`<tk-session .session=${session}><div></div></tk-session>`);
      const root = wrap.querySelector('div')!.attachShadow({ mode: 'open' });
      const el = document.createElement('tk-calendar-picker');
      root.append(el);
      await waitForState(el, 'content');
    });

    it('from a provider that arrives later (provideTkSession)', async () => {
      const session = await readySession();
      const host = fixtureSync<HTMLDivElement>(html`<div><tk-calendar-picker></tk-calendar-picker></div>`);
      const el = host.querySelector('tk-calendar-picker')!;
      await el.updateComplete;
      expect(hasState(el, 'signed-out')).to.equal(true);
      provideTkSession(host, session);
      await waitForState(el, 'content');
    });

    it('an explicit .session wins over the context', async () => {
      const outer = await readySession([calendar({ name: 'Outer' })]);
      const inner = await readySession([calendar({ name: 'Inner' })]);
      const wrap = await fixture(html`<tk-session .session=${outer}><tk-calendar-picker .session=${inner}></tk-calendar-picker></tk-session>`);
      const el = wrap.querySelector('tk-calendar-picker')!;
      await waitForState(el, 'content');
      expect(part(el, 'name')!.textContent).to.equal('Inner');
    });

    it('reloads when the session signs in, and aborts a superseded load', async () => {
      const session = new FakeSession();
      await session.become({ status: 'signed-out' });
      session.calendarList = [calendar({ name: 'Late' })];
      session.holdCalendars = true;
      const el = await picker(session);
      await session.become((await readySession()).next as never);
      await waitUntil(() => session.calendarLoads.length === 1);
      await session.refresh({ reload: true });
      await waitUntil(() => session.calendarLoads.length === 2);
      expect(session.calendarLoads[0]!.signal!.aborted).to.equal(true);
      session.calendarLoads[1]!.deferred.resolve([calendar({ name: 'Newest' })]);
      await waitForState(el, 'content');
      expect(part(el, 'name')!.textContent).to.equal('Newest');
    });
  });

  it('works by keyboard: an arrow key to a row, Space toggles it', async () => {
    const session = await readySession();
    const el = await picker(session);
    const changed = oneEvent(el, 'tk-change');
    rowControl(el, session.calendarList[0]!.id).focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => el.shadowRoot!.activeElement === rowControl(el, session.calendarList[1]!.id), 'ArrowDown did not move to the next row');
    await sendKeys({ press: ' ' });
    expect((await changed).detail).to.deep.equal({ calendarIds: [session.calendarList[0]!.id, session.calendarList[1]!.id] });
  });

  it('the disabled attribute disables every row and leaves the value out of validity', async () => {
    const session = await readySession();
    const el = await picker(session, 'disabled required');
    expect(parts(el, 'checkbox').every((box) => (box as HTMLInputElement).disabled)).to.equal(true);
    el.value = [];
    await el.updateComplete;
    expect(el.checkValidity()).to.equal(true); // disabled controls are barred from validation
  });

  describe('form association', () => {
    /** A `required` manual-save picker named `findtime` in a fieldset of a form, showing its calendars (Work chosen). */
    async function inForm() {
      const session = await readySession();
      const form = fixtureSync<HTMLFormElement>(html`<form>
        <fieldset><tk-calendar-picker name="findtime" required save="manual" .session=${session}></tk-calendar-picker></fieldset>
      </form>`);
      const el = form.querySelector('tk-calendar-picker')!;
      await waitForState(el, 'content');
      const [work, family] = session.calendarList;
      return { form, el, work: work!, family: family! };
    }

    it('submits the chosen ids under its name', async () => {
      const { form, el, work, family } = await inForm();
      expect(new FormData(form).getAll('findtime')).to.deep.equal([work.id]);
      rowControl(el, family.id).click();
      await el.updateComplete;
      expect(new FormData(form).getAll('findtime')).to.deep.equal([work.id, family.id]);
    });

    it('required: nothing chosen makes the form invalid, with the message', async () => {
      const { form, el } = await inForm();
      el.value = [];
      await el.updateComplete;
      expect(form.checkValidity()).to.equal(false);
      expect(el.validationMessage).to.equal('Choose at least one calendar.');
    });

    it('takes back the ids the browser restores (bfcache, autofill) as its value and form data', async () => {
      const { form, el, work, family } = await inForm();
      const kept = new FormData();
      kept.append('findtime', family.id);
      kept.append('findtime', work.id);
      el.formStateRestoreCallback(kept);
      await el.updateComplete;
      // In the calendars' order, as every value is.
      expect(el.value).to.deep.equal([work.id, family.id]);
      expect(new FormData(form).getAll('findtime')).to.deep.equal([work.id, family.id]);
    });

    it("the form's reset brings back the first value, and the form is valid again", async () => {
      const { form, el, work } = await inForm();
      el.value = [];
      await el.updateComplete;
      form.reset();
      await el.updateComplete;
      expect(el.value).to.deep.equal([work.id]);
      expect(form.checkValidity()).to.equal(true);
    });

    describe('value from HTML', () => {
      /** A server-rendered picker in a form: `value` holds the saved ids, space-separated. */
      async function rendered(value: (ids: string[]) => string, save = 'manual') {
        const session = await readySession([calendar({ name: 'Work', provider_sync: true }), calendar({ name: 'Family' }), calendar({ name: 'Team' })]);
        const ids = session.calendarList.map((c) => c.id);
        const form = fixtureSync<HTMLFormElement>(html`<form>
          <tk-calendar-picker name="findtime" required save=${save} value=${value(ids)} .session=${session}></tk-calendar-picker>
        </form>`);
        const el = form.querySelector('tk-calendar-picker')!;
        await waitForState(el, 'content');
        return { form, el, session, ids };
      }

      it('the value attribute, space-separated, is the selection shown and submitted', async () => {
        const { form, el, ids } = await rendered((ids) => ` ${ids[1]}  ${ids[2]} `);
        expect(el.value).to.deep.equal([ids[1], ids[2]]);
        expect(ids.map((id) => rowControl(el, id!).checked)).to.deep.equal([false, true, true]);
        expect(new FormData(form).getAll('findtime')).to.deep.equal([ids[1], ids[2]]);
      });

      it("the form's reset returns to the value attribute, not to what Timekit syncs", async () => {
        const { form, el, ids } = await rendered((ids) => `${ids[1]}`);
        rowControl(el, ids[2]!).click();
        await el.updateComplete;
        form.reset();
        await el.updateComplete;
        expect(el.value).to.deep.equal([ids[1]]);
        expect(new FormData(form).getAll('findtime')).to.deep.equal([ids[1]]);
      });

      it('ids that are not among the calendars are dropped: only the known ones are submitted, required fails with none, one warning names them', async () => {
        const warnings: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
        try {
          const { form, el, ids } = await rendered((ids) => `${ids[1]} cal-gone-1`);
          await waitUntil(() => warnings.some((w) => w.includes('"cal-gone-1"')), 'no console warning names the id');
          expect(el.value).to.deep.equal([ids[1]]);
          expect(new FormData(form).getAll('findtime')).to.deep.equal([ids[1]]);
          el.value = ['cal-gone-2'];
          await el.updateComplete;
          expect(new FormData(form).getAll('findtime')).to.deep.equal([]);
          expect(form.checkValidity()).to.equal(false);
          await waitUntil(() => warnings.some((w) => w.includes('"cal-gone-2"')), 'no console warning names the second id');
          expect(warnings.filter((w) => w.includes('tk-calendar-picker: value'))).to.have.length(2);
        } finally {
          console.warn = warn;
        }
      });

      it('with save="auto" the value attribute writes nothing: a selection other than Timekit\'s shows as unsaved', async () => {
        const { el, session, ids } = await rendered((ids) => `${ids[1]}`, 'auto');
        expect(el.value).to.deep.equal([ids[1]]);
        expect(hasState(el, 'unsynced')).to.equal(true);
        expect(part(el, 'warning')).to.not.equal(null);
        expect(session.syncCalls).to.have.length(0);
      });
    });

    it('a disabled fieldset disables every row and leaves the value out of the form data', async () => {
      const { form, el, work } = await inForm();
      form.querySelector('fieldset')!.disabled = true;
      await el.updateComplete;
      expect(rowControl(el, work.id).disabled).to.equal(true);
      expect(new FormData(form).getAll('findtime')).to.deep.equal([]);
    });
  });

  describe('localisation', () => {
    it('uses the nearest lang (German) and a strings override', async () => {
      const session = await readySession([]);
      const wrap = fixtureSync(html`<div lang="de"><tk-calendar-picker .session=${session}></tk-calendar-picker></div>`);
      const el = wrap.querySelector('tk-calendar-picker')!;
      await waitForState(el, 'empty');
      // German is a separate chunk, fetched on first use
      await waitUntil(() => part(el, 'empty')!.textContent!.includes('Noch keine Kalender'), 'no German');
      expect(part(el, 'label')!.textContent).to.equal('Kalender, die für die Verfügbarkeit zählen');
      el.strings = { empty: 'Nada' };
      await el.updateComplete;
      expect(part(el, 'empty')!.textContent!.trim()).to.equal('Nada');
    });
  });

  it('a --tk-* property on an ancestor changes a part', async () => {
    const session = await readySession();
    const wrap = fixtureSync(html`<div style="--tk-picker-option-background: rgb(1, 2, 3)"><tk-calendar-picker .session=${session}></tk-calendar-picker></div>`);
    const el = wrap.querySelector('tk-calendar-picker')!;
    await waitForState(el, 'content');
    expect(getComputedStyle(part(el, 'option')!).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('follows the page\'s color-scheme: dark colours on a dark page, still accessible', async function (this: Mocha.Context) {
    if (!CSS.supports('color', 'light-dark(#000, #fff)')) this.skip(); // the light colours stay
    const session = await readySession();
    session.holdCalendars = true;
    const wrap = fixtureSync(html`<div style="color-scheme: dark; background: Canvas; color: CanvasText">
      <tk-calendar-picker .session=${session}></tk-calendar-picker>
    </div>`);
    const el = wrap.querySelector('tk-calendar-picker')!;
    await el.updateComplete;
    session.calendarLoads[0]!.deferred.reject(new TkError('network'));
    await waitForState(el, 'error');
    expect(getComputedStyle(part(el, 'error')!).color).to.equal('rgb(242, 184, 181)');
    await expect(el).to.be.accessible();
  });

  it('never shows the token in attributes, DOM or event details', async () => {
    const session = await readySession();
    const el = await picker(session);
    const details: unknown[] = [];
    el.addEventListener('tk-change', (e) => details.push(e.detail));
    rowControl(el, session.calendarList[1]!.id).click();
    expect(JSON.stringify(details)).to.not.contain(FAKE_TOKEN);
    expect(el.outerHTML + el.shadowRoot!.innerHTML).to.not.contain(FAKE_TOKEN);
  });
});
