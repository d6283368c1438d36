/**
 * The elements against the real emulator (mounted same-origin by the wtr config, playing the
 * `evidence` profile) on the default path: the session a real companion answers for a resource the
 * test made (a relay token for calendar calls, a widget credential for widget calls), handed to the
 * session through `fetchCredentials`.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-session.js';
import '../../../src/tk-calendar-picker.js';
import '../../../src/tk-booking-target.js';
import type { TkBookingTarget } from '../../../src/components/booking-target/booking-target.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import type { TkSessionElement } from '../../../src/components/session/session-provider.js';
import { calendarsOf, googleLogin, newResource, sessionFor, type Login } from '../helpers/emulator.js';
import { hasState, parts, rowControl, waitForState } from '../helpers/dom.js';

async function mount(login: Login, body = html`<tk-calendar-picker name="findtime"></tk-calendar-picker>`) {
  const credentials = await sessionFor(login);
  const wrap = await fixture<TkSessionElement>(html`<tk-session .fetchCredentials=${async () => credentials}>${body}</tk-session>`);
  return { wrap, credentials };
}

describe('elements against the emulator (the default path: the relay for calendars, the widget credential for widget calls)', () => {
  it('<tk-calendar-picker> lists the calendars and a toggle writes provider_sync to Timekit', async () => {
    const login = await newResource(['Gym', 'Clinic']);
    const { wrap } = await mount(login);
    const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
    await waitForState(picker, 'content', { message: 'no calendars', timeout: 5_000 });
    expect(parts(picker, 'name').map((n) => n.textContent).sort()).to.deep.equal(['Bookings', 'Clinic', 'Gym']);

    const gym = (await calendarsOf(login)).find((c) => c.name === 'Gym')!;
    expect(gym.provider_sync).to.equal(false);
    rowControl(picker, gym.id).click();
    await waitUntil(async () => (await calendarsOf(login)).find((c) => c.id === gym.id)!.provider_sync, 'not saved', { timeout: 5_000 });
    await waitUntil(() => !hasState(picker, 'saving'));
    expect(picker.value).to.include(gym.id);
  });

  it('a server-rendered form: the value attributes show the saved calendars, ids of another resource are not submitted, and save="auto" writes nothing', async () => {
    const [login, other] = await Promise.all([newResource(['Gym', 'Clinic']), newResource(['Elsewhere'])]);
    const gym = (await calendarsOf(login)).find((c) => c.name === 'Gym')!;
    const elsewhere = (await calendarsOf(other)).find((c) => c.name === 'Elsewhere')!;
    const { wrap } = await mount(
      login,
      html`<form>
        <tk-calendar-picker name="findtime" value=${`${gym.id} ${elsewhere.id}`}></tk-calendar-picker>
        <tk-booking-target name="booking_calendar" required value=${elsewhere.id}></tk-booking-target>
      </form>`,
    );
    const form = wrap.querySelector('form')!;
    const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
    const target = wrap.querySelector<TkBookingTarget>('tk-booking-target')!;
    await waitForState(picker, 'content', { message: 'no calendars', timeout: 5_000 });
    await waitForState(target, 'content', { message: 'no calendars', timeout: 5_000 });
    expect(rowControl(picker, gym.id).checked).to.equal(true);
    expect(new FormData(form).getAll('findtime')).to.deep.equal([gym.id]);
    expect(new FormData(form).get('booking_calendar'), "another resource's calendar").to.equal(null);
    expect(form.checkValidity()).to.equal(false);
    // The attribute is shown as unsaved, never written: Timekit still syncs only what it did.
    expect(hasState(picker, 'unsynced')).to.equal(true);
    expect((await calendarsOf(login)).find((c) => c.id === gym.id)!.provider_sync).to.equal(false);

    target.setAttribute('value', gym.id);
    await target.updateComplete;
    expect(rowControl(target, gym.id).checked).to.equal(true);
    expect(new FormData(form).get('booking_calendar')).to.equal(gym.id);
  });

  it('renders a Google identity\'s hostile and right-to-left calendar names as text', async () => {
    const login = await googleLogin('noor.haddad@example.com');
    const { wrap } = await mount(login);
    const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
    await waitForState(picker, 'content', { message: 'no calendars', timeout: 5_000 });
    const names = parts(picker, 'name').map((n) => n.textContent);
    expect(names).to.include('<b>Board</b> & "meetings" <img src=x onerror=alert(1)>');
    expect(picker.shadowRoot!.querySelector('img, b')).to.equal(null);
    expect(parts(picker, 'badge-primary')).to.have.length(1);
  });

  it('<tk-booking-target> offers only writable calendars of a real Google identity', async () => {
    const login = await googleLogin('alex.morgan@example.com');
    const { wrap } = await mount(login, html`<tk-booking-target name="booking_calendar"></tk-booking-target>`);
    const target = wrap.querySelector<TkBookingTarget>('tk-booking-target')!;
    await waitForState(target, 'content', { message: 'no calendars', timeout: 5_000 });
    const real = await calendarsOf(login);
    for (const calendar of real) {
      const input = rowControl(target, calendar.id);
      expect(input.disabled, calendar.name).to.equal(calendar.provider_access === 'reader');
    }
    expect(real.some((c) => c.provider_access === 'reader')).to.equal(true);
    const long = real.find((c) => c.name.length === 500);
    expect(long, 'the seeded 500-character calendar').to.not.equal(undefined);
    expect(parts(target, 'name').map((n) => n.textContent)).to.include(long!.name);
  });

  it('a page with both pickers makes one GET /calendars, and the token shows up nowhere', async () => {
    const login = await newResource(['Gym']);
    const credentials = await sessionFor(login);
    const calendarGets: string[] = [];
    const logged: string[] = [];
    const originalFetch = window.fetch;
    const originalConsole = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
    window.fetch = (input, init) => {
      const url = String(input instanceof Request ? input.url : input);
      if ((init?.method ?? 'GET') === 'GET' && new URL(url, location.href).pathname.endsWith('/v2/calendars')) calendarGets.push(url);
      return originalFetch(input, init);
    };
    for (const level of Object.keys(originalConsole) as Array<keyof typeof originalConsole>) {
      console[level] = (...args: unknown[]) => {
        logged.push(args.map(String).join(' '));
        originalConsole[level](...args);
      };
    }
    const details: unknown[] = [];
    try {
      const wrap = await fixture<TkSessionElement>(html`<tk-session .fetchCredentials=${async () => credentials}>
        <tk-calendar-picker name="findtime"></tk-calendar-picker>
        <tk-booking-target name="booking_calendar"></tk-booking-target>
      </tk-session>`);
      for (const type of ['tk-change', 'change', 'tk-error', 'tk-session-change']) {
        wrap.addEventListener(type, (e) => details.push((e as Event & { detail?: unknown }).detail));
      }
      const picker = wrap.querySelector('tk-calendar-picker')!;
      const target = wrap.querySelector('tk-booking-target')!;
      await waitUntil(() => hasState(picker, 'content') && hasState(target, 'content'), 'not loaded', { timeout: 5_000 });
      expect(calendarGets).to.have.length(1);

      target.shadowRoot!.querySelector<HTMLInputElement>('input:not(:disabled)')!.click();
      picker.shadowRoot!.querySelector<HTMLInputElement>('input')!.click();
      await waitUntil(() => !hasState(picker, 'saving'));

      expect(details.length).to.be.greaterThan(0);
      const everything = [wrap, picker, target]
        .map((el) => el.outerHTML + (el.shadowRoot?.innerHTML ?? '') + [...el.attributes].map((a) => a.value).join())
        .join();
      for (const token of [credentials.token, credentials.widget!.token]) {
        expect(everything).to.not.contain(token);
        expect(JSON.stringify(details)).to.not.contain(token);
        expect(logged.join('\n')).to.not.contain(token);
        expect(JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })).to.not.contain(token);
        expect(location.href).to.not.contain(token);
        expect(JSON.stringify(wrap.session)).to.not.contain(token);
      }
    } finally {
      window.fetch = originalFetch;
      Object.assign(console, originalConsole);
    }
  });
});
