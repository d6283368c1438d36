/**
 * `/findtime`, `/availability` and `/bookings` really compute: busy time comes only from synced
 * provider calendars and Timekit calendars, filters restrict slots, and a booking lands in the
 * calendar it names and makes that time busy.
 *
 * The clock is pinned to Monday 2026-06-01 12:00 UTC (08:00 in New York, EDT = UTC−4). Alex Morgan's
 * "Work" calendar has a stand-up every weekday 09:00–09:30 and a client workshop on Tuesdays and
 * Thursdays 10:00–12:00, New York time: on Tuesday 2 June that is 13:00–13:30 and 14:00–16:00 UTC.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import {
  ALEX,
  api,
  appAuth,
  assertError,
  assertInvalid,
  createResource,
  MISSING_ID,
  MONDAY_NOON,
  RFC3339,
  start,
  syncedIdentity,
  type Headers,
} from './helpers.js';

const TUESDAY = { start: '2026-06-02T00:00:00+00:00', future: '1 day', length: '1 hour' };
const NEW_YORK = 'America/New_York';

let emulator: Emulator;
let alex: Awaited<ReturnType<typeof syncedIdentity>>;
let alexId: string;
before(async () => {
  emulator = await start({ now: () => MONDAY_NOON });
  alex = await syncedIdentity(emulator, ALEX);
  const found = await api(emulator, `/resources?search=email:${ALEX}`, { auth: appAuth(emulator.appKey) });
  alexId = found.body.data[0].id;
});
after(() => emulator.close());

async function findtime(auth: Headers, body: Record<string, unknown>): Promise<Array<{ start: string; end: string }>> {
  const response = await api(emulator, '/findtime', { auth, body });
  assert.equal(response.status, 200, response.text);
  assert.deepEqual(Object.keys(response.body), ['data']);
  return response.body.data;
}

const starts = (slots: Array<{ start: string }>) => new Set(slots.map((s) => new Date(s.start).toISOString()));
const utc = (time: string) => new Date(time).toISOString();

async function setSync(calendar: { id: string }, value: boolean) {
  const response = await api(emulator, `/calendars/${calendar.id}`, { method: 'PUT', auth: alex.auth, body: { provider_sync: value } });
  assert.equal(response.status, 200, response.text);
}

/** Weekday (0 = Sunday) and minutes since midnight of an instant in a time zone. */
function local(time: string, zone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', weekday: 'short', hour: 'numeric', minute: 'numeric' })
      .formatToParts(new Date(time))
      .map((p) => [p.type, p.value]),
  );
  return { weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

describe('POST /findtime', () => {
  it('answers {data: [{start, end}]} slots of the asked length, RFC 3339, inside the window', async () => {
    const slots = await findtime(alex.auth, TUESDAY);
    assert.equal(slots.length, 24, 'nothing is synced yet: the whole day is free');
    for (const slot of slots) {
      assert.deepEqual(Object.keys(slot).sort(), ['end', 'start']);
      assert.match(slot.start, RFC3339);
      assert.match(slot.end, RFC3339);
      assert.equal(Date.parse(slot.end) - Date.parse(slot.start), 3_600_000);
      assert.ok(Date.parse(slot.start) >= Date.parse(TUESDAY.start));
      assert.ok(Date.parse(slot.end) <= Date.parse('2026-06-03T00:00:00Z'));
    }
    const half = await findtime(alex.auth, { ...TUESDAY, length: '30 minutes' });
    assert.equal(half.length, 48);
  });

  it('ignores busy events in calendars with provider_sync false, and honours them once true', async () => {
    const work = alex.byName.get('Work');
    assert.equal(work.provider_sync, false);
    const before = starts(await findtime(alex.auth, TUESDAY));
    for (const hour of ['13', '14', '15']) assert.ok(before.has(utc(`2026-06-02T${hour}:00:00Z`)), `${hour}:00Z should be free`);

    await setSync(work, true);
    const synced = starts(await findtime(alex.auth, TUESDAY));
    assert.ok(!synced.has(utc('2026-06-02T13:00:00Z')), 'the stand-up (09:00–09:30 New York) makes 13:00Z busy');
    assert.ok(!synced.has(utc('2026-06-02T14:00:00Z')), 'the workshop (10:00–12:00 New York) makes 14:00Z busy');
    assert.ok(!synced.has(utc('2026-06-02T15:00:00Z')), 'the workshop makes 15:00Z busy');
    assert.ok(synced.has(utc('2026-06-02T12:00:00Z')));
    assert.ok(synced.has(utc('2026-06-02T16:00:00Z')));
    assert.equal(synced.size, 21);
    // The other calendars are still unsynced: the on-call rota (15:00–16:00 New York = 19:00Z) counts for nothing.
    assert.ok(synced.has(utc('2026-06-02T19:00:00Z')));

    await setSync(work, false);
    assert.equal(starts(await findtime(alex.auth, TUESDAY)).size, 24);
    await setSync(work, true);
  });

  it('counts read-only calendars once synced, and limits the search to calendar_ids', async () => {
    const rota = alex.byName.get('Team rota');
    await setSync(rota, true);
    assert.ok(!starts(await findtime(alex.auth, TUESDAY)).has(utc('2026-06-02T19:00:00Z')));

    const onlyRota = starts(await findtime(alex.auth, { ...TUESDAY, calendar_ids: [rota.id] }));
    assert.ok(!onlyRota.has(utc('2026-06-02T19:00:00Z')));
    assert.ok(onlyRota.has(utc('2026-06-02T14:00:00Z')), 'Work is not among the calendar_ids');
    await setSync(rota, false);
  });

  it('accepts emails and resource_ids, and works for a widget credential', async () => {
    const app = appAuth(emulator.appKey);
    const byEmail = await findtime(app, { ...TUESDAY, emails: [ALEX] });
    const byId = await findtime(app, { ...TUESDAY, resource_ids: [alexId] });
    const own = await findtime(alex.auth, TUESDAY);
    assert.deepEqual(byEmail, own);
    assert.deepEqual(byId, own);

    const widget = await api(emulator, '/credentials', { auth: alex.auth, body: { type: 'client-token', scopes: 'widget', referrer: '*' } });
    const auth = { authorization: `Basic ${Buffer.from(`${ALEX}:${widget.body.data.token}`).toString('base64')}`, 'timekit-app': emulator.app };
    assert.deepEqual(await findtime(auth, TUESDAY), own);
  });

  it('starts at now by default and honours relative start, sort and buffer', async () => {
    const slots = await findtime(alex.auth, { future: '1 day' });
    assert.equal(slots[0]!.start, '2026-06-01T12:00:00+00:00');
    const later = await findtime(alex.auth, { start: '1 day', future: '1 day' });
    assert.equal(later[0]!.start, '2026-06-02T12:00:00+00:00');
    const desc = await findtime(alex.auth, { ...TUESDAY, sort: 'desc' });
    assert.equal(desc[0]!.start, '2026-06-02T23:00:00+00:00');
    // A one-hour buffer around the 14:00–16:00Z workshop also rules out 12:00Z (next to the stand-up) and 16:00Z.
    const buffered = starts(await findtime(alex.auth, { ...TUESDAY, buffer: '1 hour' }));
    assert.ok(!buffered.has(utc('2026-06-02T16:00:00Z')));
    assert.ok(!buffered.has(utc('2026-06-02T12:00:00Z')));
    assert.ok(buffered.has(utc('2026-06-02T17:00:00Z')));
    const overlapping = await findtime(alex.auth, { ...TUESDAY, all_solutions: true });
    assert.equal(Date.parse(overlapping[1]!.start) - Date.parse(overlapping[0]!.start), 15 * 60_000);
  });

  describe('filters', () => {
    const WEEK = { start: '2026-06-01T00:00:00+00:00', future: '1 week', length: '1 hour' };

    it('business_hours keeps Monday–Friday 09:00–17:00 in the resource’s time zone', async () => {
      const all = await findtime(alex.auth, WEEK);
      const slots = await findtime(alex.auth, { ...WEEK, filters: { and: [{ business_hours: {} }] } });
      assert.ok(slots.length > 0 && slots.length < all.length);
      for (const slot of slots) {
        const { weekday, minutes } = local(slot.start, NEW_YORK);
        assert.ok(weekday >= 1 && weekday <= 5, `${slot.start} is on a weekend in New York`);
        assert.ok(minutes >= 9 * 60 && minutes + 60 <= 17 * 60, `${slot.start} is outside 09–17 in New York`);
      }
      assert.ok(starts(slots).has(utc('2026-06-01T14:00:00Z')), 'Monday 10:00 New York');
      assert.ok(!starts(slots).has(utc('2026-06-01T21:00:00Z')), 'Monday 17:00 New York');
      const tokyo = await findtime(alex.auth, { ...WEEK, filters: { and: [{ business_hours: { timezone: 'Asia/Tokyo' } }] } });
      for (const slot of tokyo) {
        const { minutes } = local(slot.start, 'Asia/Tokyo');
        assert.ok(minutes >= 9 * 60 && minutes + 60 <= 17 * 60);
      }
    });

    it('specific_day keeps one weekday; or keeps any of several', async () => {
      const wednesday = await findtime(alex.auth, { ...WEEK, filters: { and: [{ specific_day: { day: 'Wednesday' } }] } });
      assert.ok(wednesday.length > 0);
      for (const slot of wednesday) assert.equal(local(slot.start, NEW_YORK).weekday, 3);
      const either = await findtime(alex.auth, {
        ...WEEK,
        filters: { or: [{ specific_day: { day: 'Monday' } }, { specific_day: { day: 'friday' } }] },
      });
      const days = new Set(either.map((slot) => local(slot.start, NEW_YORK).weekday));
      assert.deepEqual([...days].sort(), [1, 5]);
      const combined = await findtime(alex.auth, {
        ...WEEK,
        filters: { and: [{ specific_day: { day: 'Wednesday' } }, { business_hours: {} }] },
      });
      assert.equal(combined.length, 7, 'Wednesday 10:00–17:00: the synced stand-up takes 09:00');
      const window = await findtime(alex.auth, {
        ...WEEK,
        filters: { and: [{ specific_day_and_time: { day: 'Thursday', start: 13, end: 15 } }] },
      });
      assert.deepEqual(window.map((s) => s.start), ['2026-06-04T17:00:00+00:00', '2026-06-04T18:00:00+00:00']);
    });

    it('refuses unknown filters and bad arguments (422 on filters)', async () => {
      for (const filters of [
        { and: [{ take_a_nap: {} }] },
        { and: [{ specific_day: { day: 'Someday' } }] },
        { and: [{ business_hours: { timezone: 'Mars/Base' } }] },
        { and: [{ specific_day: {}, business_hours: {} }] },
        { and: ['business_hours'] },
        { or: [{ specific_day_and_time: { day: 'Monday', start: 15, end: 9 } }] },
      ]) {
        assertInvalid(await api(emulator, '/findtime', { auth: alex.auth, body: { ...WEEK, filters } }), 'filters');
      }
      assertInvalid(await api(emulator, '/findtime', { auth: alex.auth, body: { ...WEEK, filters: { not: [] } } }), 'filters.not');
      assertInvalid(await api(emulator, '/findtime', { auth: alex.auth, body: { ...WEEK, filters: [] } }), 'filters');
    });
  });

  it('refuses bad fields and unknown targets (422)', async () => {
    const cases: Array<[Record<string, unknown>, string, Headers?]> = [
      [{ future: 'a while' }, 'future'],
      [{ future: '1 year' }, 'future'],
      [{ length: 'long' }, 'length'],
      [{ length: 60 }, 'length'],
      [{ start: 'yesterday-ish' }, 'start'],
      [{ calendar_ids: [MISSING_ID] }, 'calendar_ids'],
      [{ calendar_ids: ['not-a-uuid'] }, 'calendar_ids'],
      [{ calendar_ids: 'all' }, 'calendar_ids'],
      [{ emails: ['nobody@example.com'] }, 'emails'],
      [{ resource_ids: ['../etc/passwd'] }, 'resource_ids'],
      [{ sort: 'random' }, 'sort'],
      [{ everything: true }, 'everything'],
      [{}, 'calendar_ids', appAuth(emulator.appKey)],
    ];
    for (const [body, field, auth = alex.auth] of cases) {
      assertInvalid(await api(emulator, '/findtime', { auth, body }), field);
    }
  });

  it('does not let a resource search another resource’s calendars (422)', async () => {
    const other = await createResource(emulator);
    const body = { ...TUESDAY, calendar_ids: [other.resource.calendars[0].id] };
    assertInvalid(await api(emulator, '/findtime', { auth: alex.auth, body }), 'calendar_ids');
    assertInvalid(await api(emulator, '/findtime', { auth: other.auth, body: { ...TUESDAY, emails: [ALEX] } }), 'emails');
  });

  it('refuses windows and slot lengths it cannot compute (422), quickly', async () => {
    const started = performance.now();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ start: '1e308 weeks', future: '1 hour' }, 'start'],
      [{ start: '1e15 hours', future: '2 hours' }, 'start'],
      [{ future: '1e308 weeks' }, 'future'],
      [{ length: '0.001 seconds', future: '1 hour' }, 'length'],
      [{ length: '1 second', future: '1 day' }, 'length'],
      [{ length: '1e308 weeks' }, 'length'],
      [{ buffer: '1e308 weeks' }, 'buffer'],
      // 262,080 one-minute candidates: one such search used to block the process for seconds.
      [{ length: '1 minute', future: '26 weeks' }, 'future'],
    ];
    for (const [body, field] of cases) assertInvalid(await api(emulator, '/findtime', { auth: alex.auth, body }), field);
    assert.ok(performance.now() - started < 5000, 'refusals must not compute anything first');
    // Six months at five-minute steps is still searched.
    const fine = await api(emulator, '/findtime', { auth: alex.auth, body: { length: '5 minutes', future: '26 weeks' } });
    assert.equal(fine.status, 200);
    assert.ok(fine.body.data.length > 40_000);
  });
});

describe('POST /availability', () => {
  it('answers free slots with the resources that are free, for the app', async () => {
    const response = await api(emulator, '/availability', {
      auth: appAuth(emulator.appKey),
      body: { resources: [alexId], from: '2026-06-02T13:00:00+00:00', to: '2026-06-02T17:00:00+00:00', length: '1 hour' },
    });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(Object.keys(response.body), ['data']);
    // Work is synced (the findtime tests left it on): 13:00Z has the stand-up, 14:00–16:00Z the workshop.
    assert.deepEqual(response.body.data, [
      {
        start: '2026-06-02T16:00:00+00:00',
        end: '2026-06-02T17:00:00+00:00',
        resources: [{ id: alexId, name: 'Alex Morgan', timezone: NEW_YORK }],
      },
    ]);
  });

  it('in mutual mode keeps only the times every resource is free', async () => {
    const other = await createResource(emulator, { timezone: 'UTC' });
    const booked = await api(emulator, '/bookings', {
      auth: other.auth,
      body: {
        graph: 'instant',
        start: '2026-06-02T16:00:00+00:00',
        end: '2026-06-02T17:00:00+00:00',
        what: 'Busy',
        customer: { name: 'Pat', email: 'pat@example.com' },
      },
    });
    assert.equal(booked.status, 201, booked.text);
    const body = { resources: [alexId, other.resource.id], from: '2026-06-02T16:00:00+00:00', to: '2026-06-02T18:00:00+00:00' };
    const mutual = await api(emulator, '/availability', { auth: appAuth(emulator.appKey), body: { ...body, mode: 'mutual' } });
    assert.deepEqual(mutual.body.data.map((s: { start: string }) => s.start), ['2026-06-02T17:00:00+00:00']);
    assert.equal(mutual.body.data[0].resources.length, 2);
    const roundRobin = await api(emulator, '/availability', { auth: appAuth(emulator.appKey), body });
    assert.deepEqual(roundRobin.body.data.map((s: { start: string }) => s.start), ['2026-06-02T16:00:00+00:00', '2026-06-02T17:00:00+00:00']);
    assert.deepEqual(roundRobin.body.data[0].resources.map((r: { id: string }) => r.id), [alexId]);
  });

  it('counts a repeated resource once', async () => {
    const body = { resources: [alexId, alexId, alexId], from: '2026-06-02T16:00:00+00:00', to: '2026-06-02T18:00:00+00:00', mode: 'mutual' };
    const response = await api(emulator, '/availability', { auth: appAuth(emulator.appKey), body });
    assert.equal(response.status, 200, response.text);
    assert.ok(response.body.data.length > 0);
    for (const slot of response.body.data) assert.deepEqual(slot.resources.map((r: { id: string }) => r.id), [alexId]);
  });

  it('refuses bad fields (422)', async () => {
    const app = appAuth(emulator.appKey);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'resources'],
      [{ resources: [] }, 'resources'],
      [{ resources: [MISSING_ID] }, 'resources'],
      [{ resources: 'everyone' }, 'resources'],
      [{ resources: [alexId], mode: 'lottery' }, 'mode'],
      [{ resources: [alexId], output_timezone: 'Nowhere/Land' }, 'output_timezone'],
      [{ resources: [alexId], from: '2026-06-03T00:00:00Z', to: '2026-06-02T00:00:00Z' }, 'to'],
      [{ resources: [alexId], to: '1 year' }, 'to'],
      [{ resources: [alexId], timeslot_increments: '1 second' }, 'timeslot_increments'],
      [{ resources: [alexId], length: '1 minute', to: '26 weeks' }, 'to'],
    ];
    for (const [body, field] of cases) assertInvalid(await api(emulator, '/availability', { auth: app, body }), field);
  });
});

describe('POST /bookings', () => {
  const booking = (fields: Record<string, unknown> = {}) => ({
    graph: 'instant',
    start: '2026-06-03T18:00:00+00:00',
    end: '2026-06-03T19:00:00+00:00',
    what: 'Consultation',
    where: 'Video call',
    description: 'First session',
    customer: { name: 'Pat Doe', email: 'pat@example.com', timezone: 'Europe/Paris' },
    ...fields,
  });
  const book = (auth: Headers, fields: Record<string, unknown> = {}, query = '') =>
    api(emulator, `/bookings${query}`, { auth, body: booking(fields) });
  const eventOf = async (id: string, auth: Headers = alex.auth) => {
    const response = await api(emulator, `/bookings/${id}?include=event`, { auth });
    assert.equal(response.status, 200, response.text);
    return response.body.data.event;
  };

  it('books into the Timekit calendar it names (201), and that time is busy afterwards', async () => {
    const wednesday = { start: '2026-06-03T00:00:00+00:00', future: '1 day', length: '1 hour' };
    assert.ok(starts(await findtime(alex.auth, wednesday)).has(utc('2026-06-03T18:00:00Z')));

    const calendar = alex.byName.get('Bookings');
    const response = await book(alex.auth, { calendar_id: calendar.id });
    assert.equal(response.status, 201, response.text);
    const data = response.body.data;
    assert.deepEqual(Object.keys(data).sort(), [
      'calendar',
      'completed',
      'created_at',
      'graph',
      'id',
      'possible_actions',
      'state',
      'updated_at',
    ]);
    assert.equal(data.graph, 'instant');
    assert.equal(data.state, 'confirmed');
    assert.equal(data.completed, false);
    assert.deepEqual(data.calendar, { id: calendar.id, name: 'Bookings' });
    assert.match(data.created_at, RFC3339);

    const event = await eventOf(data.id);
    assert.equal(event.calendar_id, calendar.id);
    assert.equal(Date.parse(event.start), Date.parse('2026-06-03T18:00:00Z'));
    assert.equal(Date.parse(event.end), Date.parse('2026-06-03T19:00:00Z'));
    assert.equal(event.what, 'Consultation');

    const after = starts(await findtime(alex.auth, wednesday));
    assert.ok(!after.has(utc('2026-06-03T18:00:00Z')), 'the booked hour is busy now');
    assert.ok(after.has(utc('2026-06-03T19:00:00Z')));
  });

  it('books into a Google calendar it names', async () => {
    const work = alex.byName.get('Work');
    const response = await book(alex.auth, { calendar_id: work.id, start: '2026-06-05T18:00:00Z', end: '2026-06-05T18:30:00Z' });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.body.data.calendar.id, work.id);
    assert.equal((await eventOf(response.body.data.id)).calendar_id, work.id);
    // Work is synced, so the booking makes Friday 18:00Z busy.
    const friday = starts(await findtime(alex.auth, { start: '2026-06-05T18:00:00Z', future: '2 hours', length: '30 minutes' }));
    assert.deepEqual([...friday], [utc('2026-06-05T18:30:00Z'), utc('2026-06-05T19:00:00Z'), utc('2026-06-05T19:30:00Z')]);
  });

  it('books into the primary calendar without calendar_id', async () => {
    const primary = alex.byName.get(ALEX);
    assert.equal(primary.provider_primary, true);
    const response = await book(alex.auth, { start: '2026-06-08T14:00:00Z', end: '2026-06-08T15:00:00Z' });
    assert.equal(response.status, 201, response.text);
    assert.equal((await eventOf(response.body.data.id)).calendar_id, primary.id);

    // A plain resource: its primary calendar is whichever it marked with PUT {primary: true}.
    const plain = await createResource(emulator);
    const first = await book(plain.auth);
    assert.equal((await eventOf(first.body.data.id, plain.auth)).calendar_id, plain.resource.calendars[0].id);
    const second = await api(emulator, '/calendars', { auth: plain.auth, body: { name: 'Second' } });
    await api(emulator, `/calendars/${second.body.data.id}`, { method: 'PUT', auth: plain.auth, body: { primary: true } });
    const moved = await book(plain.auth);
    assert.equal((await eventOf(moved.body.data.id, plain.auth)).calendar_id, second.body.data.id);
  });

  it('refuses a read-only calendar (422 on calendar_id)', async () => {
    for (const name of ['Team rota', 'Holidays in United States']) {
      const calendar = alex.byName.get(name);
      assert.equal(calendar.provider_access, 'reader');
      assertInvalid(await book(alex.auth, { calendar_id: calendar.id }), 'calendar_id');
    }
    const events = await api(emulator, `/bookings?search=calendar.id:${alex.byName.get('Team rota').id}`, { auth: alex.auth });
    assert.equal(events.body.total, 0);
  });

  it('refuses unknown, malformed and foreign calendar ids (422 on calendar_id)', async () => {
    const other = await createResource(emulator);
    for (const calendar_id of [MISSING_ID, 'not-a-uuid', '', other.resource.calendars[0].id]) {
      assertInvalid(await book(alex.auth, { calendar_id }), 'calendar_id');
    }
  });

  it('makes confirm_decline bookings tentative, and includes what is asked', async () => {
    const response = await book(alex.auth, { graph: 'confirm_decline', start: '2026-06-09T14:00:00Z', end: '2026-06-09T15:00:00Z' }, '?include=attributes,event,user,customers');
    assert.equal(response.status, 201, response.text);
    const data = response.body.data;
    assert.equal(data.state, 'tentative');
    assert.deepEqual([...data.possible_actions].sort(), ['confirm', 'decline']);
    assert.equal(data.attributes.event_info.what, 'Consultation');
    assert.equal(data.attributes.event_info.where, 'Video call');
    assert.equal(Date.parse(data.attributes.event_info.start), Date.parse('2026-06-09T14:00:00Z'));
    assert.equal(data.event.calendar_id, alex.byName.get(ALEX).id);
    assert.equal(data.user.email, ALEX);
    assert.equal(data.customers[0].email, 'pat@example.com');
    assert.equal(data.customers[0].timezone, 'Europe/Paris');
    assertInvalid(await book(alex.auth, {}, '?include=provider_event'), 'include');
  });

  it('lets the app book for a resource named by resource_id', async () => {
    const app = appAuth(emulator.appKey);
    const response = await book(app, { resource_id: alexId, calendar_id: alex.byName.get('Bookings').id, start: '2026-06-10T14:00:00Z', end: '2026-06-10T15:00:00Z' });
    assert.equal(response.status, 201, response.text);
    assertInvalid(await book(app), 'resource_id');
    const other = await createResource(emulator);
    assertInvalid(await book(app, { resource_id: other.resource.id, calendar_id: alex.byName.get('Bookings').id }), 'calendar_id');
  });

  it('refuses bad fields (422 naming each)', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ graph: undefined }, 'graph'],
      [{ graph: 'group_owner_with_cake' }, 'graph'],
      [{ start: undefined }, 'start'],
      [{ start: 'tomorrow at noon' }, 'start'],
      [{ end: '2026-06-03T17:00:00Z' }, 'end'],
      [{ end: 1780000000 }, 'end'],
      [{ what: '' }, 'what'],
      [{ what: undefined }, 'what'],
      [{ customer: undefined }, 'customer'],
      [{ customer: { name: 'Pat' } }, 'customer.email'],
      [{ customer: { name: 'Pat', email: 'not-an-email' } }, 'customer.email'],
      [{ customer: { name: 'Pat', email: 'pat@example.com', timezone: 'Moon/Base' } }, 'customer.timezone'],
      [{ customer: 'Pat' }, 'customer'],
      [{ settings: { allow_double_bookings: 'yes' } }, 'settings'],
      [{ event: { start: 'x' } }, 'event'],
    ];
    for (const [fields, field] of cases) {
      const body = JSON.parse(JSON.stringify(booking(fields)));
      assertInvalid(await api(emulator, '/bookings', { auth: alex.auth, body }), field);
    }
  });
});

describe('GET /bookings', () => {
  it('lists the caller’s bookings, searchable by calendar.id, and reads one', async () => {
    const list = await api(emulator, '/bookings', { auth: alex.auth });
    assert.equal(list.status, 200);
    assert.ok(list.body.total >= 4);
    const bookings = alex.byName.get('Bookings');
    const inBookings = await api(emulator, `/bookings?search=calendar.id:${bookings.id}`, { auth: alex.auth });
    assert.ok(inBookings.body.total >= 1);
    for (const b of inBookings.body.data) assert.equal(b.calendar.id, bookings.id);
    const one = await api(emulator, `/bookings/${list.body.data[0].id}`, { auth: alex.auth });
    assert.deepEqual(one.body.data, list.body.data[0]);
  });

  it('answers 404 with model Booking for unknown, malformed and foreign ids', async () => {
    const mine = (await api(emulator, '/bookings', { auth: alex.auth })).body.data[0].id;
    const other = await createResource(emulator);
    for (const [id, auth] of [
      [MISSING_ID, alex.auth],
      ['nope', alex.auth],
      [mine, other.auth],
    ] as const) {
      assertError(await api(emulator, `/bookings/${id}`, { auth }), 404, 'Booking');
    }
  });
});
