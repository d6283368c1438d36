/**
 * `<tk-availability-preview>` against the real emulator and companion:
 * the rules a provider saves are what the resource holds, the preview shows exactly the slots
 * Timekit answers for them, and choosing a busy calendar takes its busy time out of the preview.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/tk-session.js';
import '../../../src/tk-calendar-picker.js';
import '../../../src/tk-availability-preview.js';
import type { TkAvailabilityPreview } from '../../../src/tk-availability-preview.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import type { TkSessionElement } from '../../../src/components/session/session-provider.js';
import {
  addDays,
  bookingWindow,
  dayKey,
  slotsByDay,
  zonedTime,
} from '../../../src/components/availability-preview/availability-preview.api.js';
import type { TkAvailabilityRules, TkSlot } from '../../../src/shared/constraints.js';
import { googleLogin, newResource, sessionFor, type Login } from '../helpers/emulator.js';
import { testEnv } from '../helpers/env.js';
import { hasState, part, parts, rowControl, waitForState } from '../helpers/dom.js';
import { waitUntil } from '../helpers/wait.js';

const BERLIN = 'Europe/Berlin';
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;

/** Monday–Friday 9–17 in Berlin, and the next weekday after tomorrow off (a whole day). */
function workingHoursWithDayOff(): { rules: TkAvailabilityRules; dayOff: string } {
  const tomorrow = addDays(dayKey(Date.now(), BERLIN), 1);
  let dayOff = addDays(tomorrow, 1);
  const weekday = (key: string) => new Date(`${key}T12:00:00Z`).getUTCDay();
  while (weekday(dayOff) === 0 || weekday(dayOff) === 6) dayOff = addDays(dayOff, 1);
  const start = new Date(zonedTime(dayOff, BERLIN)).toISOString();
  const end = new Date(zonedTime(addDays(dayOff, 1), BERLIN)).toISOString();
  return {
    dayOff,
    rules: {
      timezone: BERLIN,
      constraints: [...WEEKDAYS.map((day) => ({ allow_day_and_time: { day, start: 9, end: 17 } })), { block_period: { start, end } }],
    },
  };
}

/**
 * A seeded Google identity of this engine's own, with a calendar not chosen yet whose weekly busy
 * time falls inside 9–17 on weekdays in the identity's zone: the three engines run this file at
 * the same time against one emulator, a Google identity is one Timekit resource, and other test
 * files choose calendars of the identities they use (Alex's Work, for one).
 */
function busyIdentity(): { identity: string; calendar: string; timezone: string } {
  const agent = navigator.userAgent;
  // Jordan: the clinic 9–13 every weekday; Yuki: meetings 14–16 Monday to Wednesday; Sam: a review 11–12 on Mondays
  if (agent.includes('Firefox')) return { identity: 'jordan.reed@example.com', calendar: 'Clinic rota', timezone: 'Europe/London' };
  if (!agent.includes('Chrome')) return { identity: 'yuki.tanaka@example.jp', calendar: '仕事', timezone: 'Asia/Tokyo' };
  return { identity: 'sam.lee@example.com', calendar: 'Project 0051', timezone: 'Europe/Berlin' };
}

/** Eight days: each identity's busy weekday is then still ahead, whatever day and hour it is now. */
const DAYS = 8;

async function mount(login: Login, body: unknown) {
  const credentials = await sessionFor(login);
  const wrap = await fixture<TkSessionElement>(html`<tk-session .fetchCredentials=${async () => credentials}>${body}</tk-session>`);
  await waitUntil(() => wrap.session?.status === 'ready', 'the session is not ready');
  return { wrap, session: wrap.session! };
}

/** How many slots the preview shows on each of its days. */
const shownPerDay = (el: Element) => parts(el, 'day').map((day) => day.querySelectorAll('[part~="slot"]').length);

/** The same count for slots Timekit answered, on the preview's days. */
const answeredPerDay = (slots: TkSlot[], days: string[]) => [...slotsByDay(slots, days, BERLIN).values()].map((day) => day.length);

describe('<tk-availability-preview> against the emulator', () => {
  it('shows exactly the slots Timekit offers inside Monday–Friday 9–17 with a day off', async () => {
    const login = await newResource();
    const { wrap, session } = await mount(login, html`<tk-availability-preview length="1 hour"></tk-availability-preview>`);
    const { rules, dayOff } = workingHoursWithDayOff();
    await session.saveAvailabilityRules(rules);

    // the resource holds the constraints
    const env = await testEnv();
    const resource = await fetch(`/v2/resources/${login.resourceId}`, { headers: { authorization: `Basic ${btoa(`:${env.testAppKey}`)}` } });
    const { data } = (await resource.json()) as { data: { availability_constraints: unknown; timezone: string } };
    expect(data.availability_constraints).to.deep.equal(rules.constraints);
    expect(data.timezone).to.equal(BERLIN);

    // /availability offers only slots inside them
    const window = bookingWindow(Date.now(), 7, BERLIN);
    const offered = await session.bookableSlots({ rules, length: '1 hour', from: window.from, to: window.to });
    expect(offered.length).to.be.greaterThan(0);
    for (const slot of offered) {
      const start = new Date(slot.start);
      const weekday = new Intl.DateTimeFormat('en', { weekday: 'long', timeZone: BERLIN }).format(start);
      const hour = Number(new Intl.DateTimeFormat('en', { hour: 'numeric', hourCycle: 'h23', timeZone: BERLIN }).format(start));
      expect(WEEKDAYS as readonly string[]).to.include(weekday);
      expect(hour).to.be.within(9, 16);
      expect(dayKey(start.getTime(), BERLIN)).to.not.equal(dayOff);
    }

    // the preview (following the saved rules: no rules element on this page) shows exactly those
    const preview = wrap.querySelector<TkAvailabilityPreview>('tk-availability-preview')!;
    preview.refresh();
    await waitForState(preview, 'content', { timeout: 10_000 });
    await waitUntil(() => !hasState(preview, 'refreshing'), 'still refreshing', { timeout: 10_000 });
    expect(shownPerDay(preview)).to.deep.equal(answeredPerDay(offered, window.days));
  });

  it('choosing a busy calendar in the picker takes its busy time out of the preview, after the sync', async () => {
    const { identity, calendar, timezone } = busyIdentity();
    const login = await googleLogin(identity);
    const { wrap, session } = await mount(
      login,
      html`<tk-calendar-picker></tk-calendar-picker><tk-availability-preview length="1 hour" days=${DAYS}></tk-availability-preview>`,
    );
    await session.saveAvailabilityRules({ timezone, constraints: WEEKDAYS.map((day) => ({ allow_day_and_time: { day, start: 9, end: 17 } })) });
    const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
    const preview = wrap.querySelector<TkAvailabilityPreview>('tk-availability-preview')!;
    await waitForState(picker, 'content', { timeout: 10_000 });
    const busy = (await session.calendars()).find((c) => c.name === calendar)!;
    expect(busy.provider_sync, `${calendar}, not yet chosen`).to.equal(false);
    preview.refresh();
    await waitUntil(() => hasState(preview, 'content') && !hasState(preview, 'refreshing'), 'no preview', { timeout: 10_000 });
    const before = shownPerDay(preview).reduce((a, b) => a + b, 0);

    // a long list (Sam's 1,000) renders only the rows on screen: filter it to the calendar first
    const filter = part(picker, 'filter') as HTMLInputElement | null;
    if (filter) {
      filter.value = calendar;
      filter.dispatchEvent(new Event('input'));
    }
    await waitUntil(() => picker.shadowRoot!.querySelector(`[data-id="${busy.id}"]`) !== null, 'no row for the busy calendar', { timeout: 10_000 });
    rowControl(picker, busy.id).click();
    await waitUntil(() => session.syncStatus === 'idle' && !hasState(preview, 'refreshing'), 'the sync and the refresh did not end', { timeout: 15_000 });
    await waitUntil(() => shownPerDay(preview).reduce((a, b) => a + b, 0) < before, 'the busy time is still shown', { timeout: 10_000 });
    const shown = bookingWindow(Date.now(), DAYS, timezone);
    const rules = session.availabilityRules ?? (await session.loadAvailabilityRules());
    const offered = await session.bookableSlots({ rules, length: '1 hour', from: shown.from, to: shown.to, calendarIds: session.pickedCalendarIds ?? [] });
    expect(shownPerDay(preview)).to.deep.equal(answeredPerDay(offered, shown.days));
  });
});
