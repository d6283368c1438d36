/**
 * Timekit's own booking widget (npm `timekit-booking` 1.x, with jQuery) on a booking page, handed
 * what the elements produce: the widget credential the companion minted for this page (through
 * `<tk-session>`), the availability calendars chosen in `<tk-calendar-picker>` and the target chosen
 * in `<tk-booking-target>`. A slot booked through the widget's own UI must land in that target.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from './helpers/wait.js';
import { sendMouse } from '@web/test-runner-commands';
import '../../src/tk-session.js';
import '../../src/tk-calendar-picker.js';
import '../../src/tk-booking-target.js';
import type { TkBookingTarget } from '../../src/components/booking-target/booking-target.js';
import type { TkCalendarPicker } from '../../src/components/calendar-picker/calendar-picker.js';
import type { TkSessionElement } from '../../src/components/session/session-provider.js';
import type { TimekitBooking } from '../../src/shared/timekit.js';
import { testEnv } from './helpers/env.js';
import { answerOf, consentForm, openPopup } from './helpers/popup.js';
import { hasState, parts } from './helpers/dom.js';

declare global {
  interface Window {
    TimekitBooking?: new () => { init(config: Record<string, unknown>): unknown; destroy(): void };
  }
}

const IDENTITY = 'alex.morgan@example.com';
const TARGET_NAME = 'Work';

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`could not load ${src}`));
    document.head.append(script);
  });
}

/** The row of the calendar named `name` in a picker's shadow root. */
function rowNamed(el: Element, name: string): { id: string; input: HTMLInputElement } {
  const label = parts(el, 'name').find((n) => n.textContent === name);
  const row = label?.closest<HTMLElement>('[data-id]');
  if (!row) throw new Error(`no calendar named ${name}`);
  return { id: row.dataset.id!, input: row.querySelector('input')! };
}

/** A real mouse click in the middle of `el`, scrolled into view first (FullCalendar's slots want one). */
async function click(el: Element) {
  el.scrollIntoView({ block: 'center' });
  const rect = el.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(rect.x + rect.width / 2), Math.round(rect.y + rect.height / 2)] });
}

/** Connects the wtr companion's dev user to the fake Google identity through the real popup. */
async function connect(companionUrl: string) {
  const popup = await openPopup(`${companionUrl}/google/start`);
  try {
    const form = await consentForm(popup);
    form.querySelector<HTMLInputElement>(`input[value="${IDENTITY}"]`)!.click();
    form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();
    // The result page answers the opener's ping, as it answers the element, then closes.
    await answerOf(popup, new URL(companionUrl).origin);
    await waitUntil(() => popup.closed, 'the connect popup did not finish', { timeout: 10_000 });
  } finally {
    popup.close();
  }
}

describe('booking.js (timekit-booking 1.x) against the emulator, with what the elements chose', () => {
  const originalSend = XMLHttpRequest.prototype.send;
  const originalOpen = XMLHttpRequest.prototype.open;
  /** What booking.js sent, request by request (it speaks XHR through axios). */
  const widgetRequests: { method: string; url: string; body: unknown }[] = [];

  before(async () => {
    await loadScript('/node_modules/jquery/dist/jquery.min.js');
    await loadScript('/node_modules/timekit-booking/dist/booking.min.js');
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest & { tkRequest?: object }, method: string, url: string | URL, ...rest: unknown[]) {
      this.tkRequest = { method, url: String(url) };
      return (originalOpen as (...args: unknown[]) => void).call(this, method, url, ...rest);
    };
    XMLHttpRequest.prototype.send = function (this: XMLHttpRequest & { tkRequest?: { method: string; url: string } }, body?: Document | XMLHttpRequestBodyInit | null) {
      if (this.tkRequest) widgetRequests.push({ ...this.tkRequest, body: typeof body === 'string' ? JSON.parse(body) : null });
      return originalSend.call(this, body);
    };
  });
  after(() => {
    XMLHttpRequest.prototype.open = originalOpen;
    XMLHttpRequest.prototype.send = originalSend;
  });

  it('books a slot through the widget into the target calendar chosen in <tk-booking-target>', async () => {
    expect(window.TimekitBooking, 'booking.js loaded with jQuery').to.be.a('function');
    const env = await testEnv();
    await connect(env.companionUrl);

    const wrap = await fixture<TkSessionElement>(html`<tk-session endpoint=${env.companionUrl}>
      <tk-calendar-picker name="findtime_calendars"></tk-calendar-picker>
      <tk-booking-target name="booking_calendar"></tk-booking-target>
    </tk-session>`);
    const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
    const target = wrap.querySelector<TkBookingTarget>('tk-booking-target')!;
    await waitUntil(() => hasState(picker, 'content') && hasState(target, 'content'), 'the pickers did not load', { timeout: 10_000 });

    // The provider makes the Work calendar count for availability and receive the bookings.
    const work = rowNamed(picker, TARGET_NAME);
    if (!work.input.checked) work.input.click();
    await waitUntil(() => picker.value.includes(work.id) && !hasState(picker, 'saving'), 'the toggle was not saved', { timeout: 10_000 });
    rowNamed(target, TARGET_NAME).input.click();
    await waitUntil(() => target.value === work.id, 'the target was not chosen', { timeout: 10_000 });
    const findtimeCalendars = [...picker.value];
    const bookingCalendar = target.value;

    // The booking page: booking.js configured with the session's widget credential and those ids.
    const credential = wrap.session!.widgetCredential!;
    expect(credential.email).to.equal(IDENTITY);
    const root = document.createElement('div');
    root.id = 'bookingjs';
    document.body.append(root);
    // Failures as text: the SDK's error objects hold the XHR, too big for an assertion message.
    const outcome: { booked?: { data: TimekitBooking }; failed?: string } = {};
    const failure = (step: string) => (response: { status?: number; data?: unknown }) =>
      (outcome.failed = `${step}: ${response?.status ?? 'no status'} ${JSON.stringify(response?.data ?? null)}`);
    const widget = new window.TimekitBooking!();
    try {
      widget.init({
        targetEl: '#bookingjs',
        app: credential.app,
        email: credential.email,
        apiToken: credential.token,
        name: 'Alex Morgan',
        calendar: bookingCalendar,
        availabilityView: 'listing',
        // booking.js appends `v2/...` to its base itself.
        timekitConfig: { app: credential.app, apiBaseUrl: credential.apiBase.replace(/v2\/?$/, '') },
        timekitFindTime: { calendar_ids: findtimeCalendars, future: '2 weeks', length: '1 hour' },
        localization: { showTimezoneHelper: false },
        callbacks: {
          createBookingSuccessful: (response: { data: TimekitBooking }) => (outcome.booked = response),
          createBookingFailed: failure('POST /bookings'),
          findTimeFailed: failure('POST /findtime'),
        },
      });

      await waitUntil(() => 'failed' in outcome || root.querySelector('.fc-list-item') !== null, 'booking.js showed no slots', { timeout: 10_000 });
      expect(outcome.failed).to.equal(undefined);
      // booking.js fades its loading screen out over the slots before they take clicks.
      await waitUntil(() => root.querySelector('.bookingjs-loading') === null, 'the loading screen stayed', { timeout: 5_000 });
      await click(root.querySelector('.fc-list-item')!);
      await waitUntil(() => root.querySelector('.bookingjs-form') !== null, 'no booking form', { timeout: 5_000 });
      const form = root.querySelector<HTMLFormElement>('.bookingjs-form')!;
      form.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'Marty McFly';
      form.querySelector<HTMLInputElement>('input[name="email"]')!.value = 'marty@example.com';
      form.querySelector<HTMLTextAreaElement>('[name="comment"]')!.value = 'See you then';
      await click(form.querySelector('.bookingjs-form-button')!);
      await waitUntil(() => 'booked' in outcome || 'failed' in outcome, 'booking.js did not book', { timeout: 10_000 });

      const sent = widgetRequests.find((r) => r.method.toUpperCase() === 'POST' && new URL(r.url, location.href).pathname === '/v2/bookings');
      expect(sent, 'booking.js sent POST /v2/bookings').to.not.equal(undefined);
      expect(new URL(sent!.url, location.href).searchParams.get('include')).to.equal('attributes,event,user');
      expect((sent!.body as { event: { calendar_id: string } }).event.calendar_id).to.equal(bookingCalendar);
      expect(outcome.failed).to.equal(undefined);

      // Timekit, asked with the app key, has the booking in the chosen calendar.
      const appAuth = { authorization: `Basic ${btoa(`:${env.appKey}`)}` };
      const listed = await fetch(`/v2/bookings?search=${encodeURIComponent(`calendar.id:${bookingCalendar}`)}&limit=1000`, { headers: appAuth });
      expect(listed.status).to.equal(200);
      const { data } = (await listed.json()) as { data: TimekitBooking[] };
      const landed = data.find((b) => b.id === outcome.booked!.data.id);
      expect(landed, 'the booking is listed under the target calendar').to.not.equal(undefined);
      expect(landed!.calendar.id).to.equal(bookingCalendar);
    } finally {
      widget.destroy();
      root.remove();
    }
  });
});
