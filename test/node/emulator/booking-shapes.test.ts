/**
 * `POST /bookings` in the shapes Timekit's clients send: the top-level body, and the nested
 * `event` / `customer` body of booking.js 1.x, with `include=attributes,event,user` shaping the
 * answer. Also the other calls booking.js 1.x makes on load with a widget credential
 * (`POST /findtime`, `GET /users/timezone/:email`), on both profiles.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator, FidelityProfile } from '../../../src/emulator/index.js';
import { ALEX, api, appAuth, assertError, assertInvalid, consent, MONDAY_NOON, start, userAuth, widgetCredential, type Headers } from './helpers.js';

const SITE = 'http://localhost:5173';
const CALLBACK = `${SITE}/booking/callback`;

interface World {
  emulator: Emulator;
  alex: Headers;
  widget: Headers;
  calendars: Map<string, { id: string; name: string }>;
}

/** Alex signed in and synced, a widget credential for SITE minted with strings (as the kit sends it). */
async function world(profile: FidelityProfile): Promise<World> {
  const emulator = await start({ profile, now: () => MONDAY_NOON });
  // A callback without a query of its own reads the same whether Timekit appends as text or not.
  const location = await consent(emulator, ALEX, 'allow', CALLBACK);
  const login = { auth: userAuth(location.searchParams.get('email')!, location.searchParams.get('token')!, emulator.app) };
  await api(emulator, '/accounts/sync', { method: 'POST', auth: login.auth });
  const list = await api(emulator, '/calendars?limit=1000', { auth: login.auth });
  const credential = await widgetCredential(emulator, login.auth, { referrer: SITE });
  return {
    emulator,
    alex: login.auth,
    widget: { ...userAuth(ALEX, credential.token), origin: SITE, 'timekit-context': 'widget' },
    calendars: new Map(list.body.data.map((c: { id: string; name: string }) => [c.name, c])),
  };
}

/** Exactly what booking.js 1.24.2 (`timekitCreateBooking`, preset `instant`, comment field on) sends. */
function bookingJsBody(calendarId: string) {
  return {
    event: {
      start: '2026-06-03T14:00:00-04:00',
      end: '2026-06-03T15:00:00-04:00',
      what: 'Alex Morgan x Pat Doe',
      where: 'TBD',
      description: 'Comment: Second floor, please\n',
      participants: ['pat.doe@example.com'],
      calendar_id: calendarId,
      invite: true,
      my_rsvp: 'accepted',
      sync_provider: true,
    },
    customer: { name: 'Pat Doe', email: 'pat.doe@example.com', timezone: 'Europe/Berlin', comment: 'Second floor, please' },
    graph: 'instant',
    action: 'confirm',
  };
}

for (const profile of ['optimistic', 'evidence'] as const) {
  describe(`booking.js 1.x on the ${profile} profile`, () => {
    let w: World;
    before(async () => (w = await world(profile)));
    after(() => w.emulator.close());

    it('answers what it asks on load: findtime by email, and the host time zone', async () => {
      const slots = await api(w.emulator, '/findtime', { auth: w.widget, body: { emails: [ALEX], future: '4 weeks', length: '1 hour' } });
      assert.equal(slots.status, 200, slots.text);
      assert.ok(slots.body.data.length > 0);
      const zone = await api(w.emulator, `/users/timezone/${ALEX}`, { auth: w.widget });
      assert.equal(zone.status, 200, zone.text);
      assert.deepEqual(zone.body.data, { timezone: 'America/New_York', utc_offset: -4 });
    });

    it('books its exact instant body into event.calendar_id, shaped by include=attributes,event,user', async () => {
      const work = w.calendars.get('Work')!;
      const booked = await api(w.emulator, '/bookings?include=attributes,event,user', {
        auth: w.widget,
        headers: { 'timekit-outputtimestampformat': 'Y-m-d h:ia (P e)' },
        body: bookingJsBody(work.id),
      });
      assert.equal(booked.status, 201, booked.text);
      const data = booked.body.data;
      assert.equal(data.graph, 'instant');
      assert.equal(data.state, 'confirmed');
      assert.deepEqual(data.calendar, { id: work.id, name: 'Work' });
      assert.deepEqual(data.attributes.event_info, {
        start: '2026-06-03T18:00:00+00:00',
        end: '2026-06-03T19:00:00+00:00',
        what: 'Alex Morgan x Pat Doe',
        where: 'TBD',
        description: 'Comment: Second floor, please\n',
        calendar_id: work.id,
        participants: ['pat.doe@example.com'],
      });
      assert.equal(data.event.calendar_id, work.id);
      assert.deepEqual(data.event.participants, ['pat.doe@example.com']);
      assert.equal(data.user.email, ALEX);
      assert.equal('customers' in data, false, 'only what include asked for');
      const stored = await api(w.emulator, `/bookings/${data.id}?include=customers`, { auth: w.alex });
      assert.deepEqual(stored.body.data.customers[0], {
        id: stored.body.data.customers[0].id,
        name: 'Pat Doe',
        email: 'pat.doe@example.com',
        timezone: 'Europe/Berlin',
        comment: 'Second floor, please',
      });
    });

    it('follows bodyIgnoresUnknown for fields booking.js does not send', async () => {
      const body = { ...bookingJsBody(w.calendars.get('Bookings')!.id), widget_id: 'a-widget' };
      const booked = await api(w.emulator, '/bookings', { auth: w.widget, body });
      if (profile === 'evidence') assert.equal(booked.status, 201, booked.text);
      else assertInvalid(booked, 'widget_id');
    });
  });
}

describe('POST /bookings shapes', () => {
  let w: World;
  before(async () => (w = await world('optimistic')));
  after(() => w.emulator.close());

  const book = (body: Record<string, unknown>, query = '') =>
    api(w.emulator, `/bookings${query}`, {
      auth: w.alex,
      body: { graph: 'instant', customer: { name: 'Pat', email: 'pat@example.com' }, ...body },
    });
  const slot = { start: '2026-06-04T18:00:00Z', end: '2026-06-04T19:00:00Z', what: 'Tutoring' };

  it('takes the top-level body: lands in calendar_id, else the primary calendar', async () => {
    const work = w.calendars.get('Work')!;
    assert.equal((await book({ ...slot, calendar_id: work.id })).body.data.calendar.id, work.id);
    assert.equal((await book(slot)).body.data.calendar.id, w.calendars.get(ALEX)!.id);
  });

  it('takes the nested event: event.calendar_id wins over a top-level one, which is used when event has none', async () => {
    const work = w.calendars.get('Work')!;
    const bookings = w.calendars.get('Bookings')!;
    const nested = await book({ calendar_id: bookings.id, event: { ...slot, calendar_id: work.id } });
    assert.equal(nested.status, 201, nested.text);
    assert.equal(nested.body.data.calendar.id, work.id);
    const fallback = await book({ calendar_id: bookings.id, event: slot });
    assert.equal(fallback.body.data.calendar.id, bookings.id);
    const mixed = await book({ start: slot.start, end: slot.end, event: { what: 'Mixed' } }, '?include=attributes');
    assert.equal(mixed.status, 201, mixed.text);
    assert.equal(mixed.body.data.attributes.event_info.what, 'Mixed');
    assert.equal(mixed.body.data.calendar.id, w.calendars.get(ALEX)!.id);
  });

  it('keeps customer phone, comment and where; include names exactly what comes back', async () => {
    const booked = await book(
      { event: slot, customer: { name: 'Pat', email: 'pat@example.com', phone: '+47 900 00 000', comment: 'Ring twice', where: 'Oslo' } },
      '?include=customers',
    );
    assert.equal(booked.status, 201, booked.text);
    const customer = booked.body.data.customers[0];
    assert.equal(customer.phone, '+47 900 00 000');
    assert.equal(customer.comment, 'Ring twice');
    assert.equal(customer.where, 'Oslo');
    for (const key of ['attributes', 'event', 'user']) assert.equal(key in booked.body.data, false, key);
    const bare = await book({ event: slot });
    assert.deepEqual(Object.keys(bare.body.data).sort(), ['calendar', 'completed', 'created_at', 'graph', 'id', 'possible_actions', 'state', 'updated_at']);
  });

  it('needs start, end and what in one of the two places, and checks nested fields (422 naming them)', async () => {
    assertInvalid(await book({ event: { where: 'TBD' } }), 'start', 'end', 'what');
    assertInvalid(await book({ event: { ...slot, start: 'tomorrow', participants: ['not-an-email'], my_rsvp: 'maybe' } }), 'event.start', 'event.participants', 'event.my_rsvp');
    assertInvalid(await book({ event: { ...slot, calendar_id: w.calendars.get('Team rota')!.id } }), 'calendar_id');
  });
});

describe('GET /users/timezone/:email', () => {
  let w: World;
  before(async () => (w = await world('evidence')));
  after(() => w.emulator.close());

  it("answers a resource's time zone and current offset in hours, for a widget, the resource and the app", async () => {
    const riley = await api(w.emulator, '/resources', {
      auth: appAuth(w.emulator.appKey),
      body: { name: 'Riley', timezone: 'Asia/Kolkata', email: 'riley+desk@example.com' },
    });
    assert.equal(riley.status, 201, riley.text);
    const zone = await api(w.emulator, `/users/timezone/${encodeURIComponent('riley+desk@example.com')}`, { auth: w.widget });
    assert.deepEqual(zone.body.data, { timezone: 'Asia/Kolkata', utc_offset: 5.5 });
    assert.equal((await api(w.emulator, `/users/timezone/${ALEX}`, { auth: w.alex })).body.data.utc_offset, -4);
    assertError(await api(w.emulator, '/users/timezone/nobody@example.com', { auth: w.widget }), 404, 'User');
    assertError(await api(w.emulator, '/users/timezone/%E0%A4%A', { auth: w.widget }), 404, 'User');
  });
});
