/**
 * `/calendars`: create (resource, or app with `resource_id`), list and read, the partial `PUT`
 * with the Google rule (only `provider_sync` may change), and delete.
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
  CALENDAR_KEYS,
  control,
  createResource,
  MISSING_ID,
  MONDAY_NOON,
  RFC3339,
  start,
  syncedIdentity,
  UUID,
  type Headers,
} from './helpers.js';

let emulator: Emulator;
let app: Headers;
let owner: Awaited<ReturnType<typeof createResource>>;
before(async () => {
  emulator = await start({ now: () => MONDAY_NOON });
  app = appAuth(emulator.appKey);
  owner = await createResource(emulator);
});
after(() => emulator.close());

describe('POST /calendars', () => {
  it('creates a Timekit calendar for the calling resource (201)', async () => {
    const response = await api(emulator, '/calendars', {
      auth: owner.auth,
      body: { name: 'Consultations', description: 'Paid sessions', foregroundcolor: '#ffffff', backgroundcolor: '#1a2B3c' },
    });
    assert.equal(response.status, 201, response.text);
    const calendar = response.body.data;
    assert.deepEqual(Object.keys(calendar).sort(), CALENDAR_KEYS);
    assert.match(calendar.id, UUID);
    const { id: _id, created_at, updated_at, ...rest } = calendar;
    assert.deepEqual(rest, {
      name: 'Consultations',
      description: 'Paid sessions',
      foregroundcolor: '#ffffff',
      backgroundcolor: '#1a2B3c',
      provider: 'timekit',
      provider_id: null,
      provider_access: 'owner',
      provider_primary: false,
      provider_sync: false,
    });
    assert.match(created_at, RFC3339);
    assert.equal(updated_at, created_at);
    const mine = await api(emulator, `/calendars/${calendar.id}`, { auth: owner.auth });
    assert.deepEqual(mine.body, { data: calendar });
  });

  it('lets the app create one for a resource named by resource_id', async () => {
    const response = await api(emulator, '/calendars', { auth: app, body: { name: 'Made by the app', resource_id: owner.resource.id } });
    assert.equal(response.status, 201, response.text);
    const seen = await api(emulator, `/calendars/${response.body.data.id}`, { auth: owner.auth });
    assert.equal(seen.status, 200);
    assertInvalid(await api(emulator, '/calendars', { auth: app, body: { name: 'Nobody’s' } }), 'resource_id');
    assertInvalid(await api(emulator, '/calendars', { auth: app, body: { name: 'X', resource_id: MISSING_ID } }), 'resource_id');
    assertInvalid(await api(emulator, '/calendars', { auth: app, body: { name: 'X', resource_id: 'not-a-uuid' } }), 'resource_id');
  });

  it('refuses a missing name, bad colors, wrong types and unknown fields (422)', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{}, 'name'],
      [{ name: '' }, 'name'],
      [{ name: 7 }, 'name'],
      [{ name: 'X', foregroundcolor: 'red' }, 'foregroundcolor'],
      [{ name: 'X', backgroundcolor: '#12345' }, 'backgroundcolor'],
      [{ name: 'X', description: 5 }, 'description'],
      [{ name: 'X', provider: 'google' }, 'provider'],
      [{ name: 'X', provider_sync: true }, 'provider_sync'],
    ];
    for (const [body, field] of cases) assertInvalid(await api(emulator, '/calendars', { auth: owner.auth, body }), field);
  });
});

describe('GET /calendars', () => {
  it('lists only the caller’s calendars, paginated', async () => {
    const other = await createResource(emulator);
    const response = await api(emulator, '/calendars', { auth: owner.auth });
    assert.equal(response.status, 200);
    for (const key of ['total', 'per_page', 'current_page', 'last_page', 'next_page_url', 'prev_page_url', 'from', 'to']) {
      assert.ok(key in response.body, key);
    }
    const ids = response.body.data.map((c: { id: string }) => c.id);
    assert.ok(!ids.includes(other.resource.calendars[0].id));
    assert.ok(ids.includes(owner.resource.calendars[0].id));
    const paged = await api(emulator, '/calendars?limit=1&page=2', { auth: owner.auth });
    assert.equal(paged.body.per_page, '1');
    assert.equal(paged.body.current_page, 2);
    assert.equal(paged.body.data.length, 1);
  });

  it('lets the app see every resource’s calendars and narrow them with search', async () => {
    const all = await api(emulator, '/calendars?limit=1000', { auth: app });
    assert.ok(all.body.total >= 3);
    const one = await api(emulator, `/calendars?search=resource.id:${owner.resource.id}`, { auth: app });
    const mine = await api(emulator, '/calendars', { auth: owner.auth });
    assert.deepEqual(
      one.body.data.map((c: { id: string }) => c.id).sort(),
      mine.body.data.map((c: { id: string }) => c.id).sort(),
    );
    const synced = await api(emulator, '/calendars?search=provider:timekit;provider_sync:false', { auth: owner.auth });
    assert.equal(synced.body.total, mine.body.total);
  });

  it('answers 404 with model Calendar for unknown, malformed and foreign ids', async () => {
    const other = await createResource(emulator);
    for (const id of [MISSING_ID, 'nope', other.resource.calendars[0].id]) {
      assertError(await api(emulator, `/calendars/${id}`, { auth: owner.auth }), 404, 'Calendar');
    }
  });
});

describe('PUT /calendars/:id', () => {
  it('updates a Timekit calendar partially and answers 200 with it', async () => {
    const created = await api(emulator, '/calendars', { auth: owner.auth, body: { name: 'Before', description: 'Kept' } });
    const id = created.body.data.id;
    await control(emulator, '/clock', { advance: '1 minute' });
    const response = await api(emulator, `/calendars/${id}`, {
      method: 'PUT',
      auth: owner.auth,
      body: { name: 'After', backgroundcolor: '#00ff00', provider_sync: true },
    });
    assert.equal(response.status, 200, response.text);
    const calendar = response.body.data;
    assert.deepEqual(Object.keys(calendar).sort(), CALENDAR_KEYS);
    assert.equal(calendar.name, 'After');
    assert.equal(calendar.description, 'Kept');
    assert.equal(calendar.backgroundcolor, '#00ff00');
    assert.equal(calendar.provider_sync, true);
    assert.equal(calendar.created_at, created.body.data.created_at);
    assert.ok(Date.parse(calendar.updated_at) > Date.parse(calendar.created_at));
    const read = await api(emulator, `/calendars/${id}`, { auth: owner.auth });
    assert.deepEqual(read.body.data, calendar);

    const unchanged = await api(emulator, `/calendars/${id}`, { method: 'PUT', auth: owner.auth, body: {} });
    assert.equal(unchanged.status, 200);
    assert.equal(unchanged.body.data.name, 'After');
  });

  it('makes one calendar primary and unmarks the previous one', async () => {
    const a = await api(emulator, '/calendars', { auth: owner.auth, body: { name: 'A' } });
    const b = await api(emulator, '/calendars', { auth: owner.auth, body: { name: 'B' } });
    const setA = await api(emulator, `/calendars/${a.body.data.id}`, { method: 'PUT', auth: owner.auth, body: { primary: true } });
    assert.equal(setA.body.data.provider_primary, true);
    await api(emulator, `/calendars/${b.body.data.id}`, { method: 'PUT', auth: owner.auth, body: { primary: true } });
    const list = await api(emulator, '/calendars?search=provider:timekit', { auth: owner.auth });
    const primaries = list.body.data.filter((c: { provider_primary: boolean }) => c.provider_primary);
    assert.deepEqual(primaries.map((c: { name: string }) => c.name), ['B']);
  });

  it('refuses wrong types and unknown fields (422)', async () => {
    const id = owner.resource.calendars[0].id;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ provider_sync: 'yes' }, 'provider_sync'],
      [{ provider_sync: 1 }, 'provider_sync'],
      [{ primary: 'true' }, 'primary'],
      [{ name: '' }, 'name'],
      [{ provider_access: 'owner' }, 'provider_access'],
      [{ id: MISSING_ID }, 'id'],
    ];
    for (const [body, field] of cases) {
      assertInvalid(await api(emulator, `/calendars/${id}`, { method: 'PUT', auth: owner.auth, body }), field);
    }
  });

  it('answers 404 for another resource’s calendar', async () => {
    const other = await createResource(emulator);
    const response = await api(emulator, `/calendars/${other.resource.calendars[0].id}`, {
      method: 'PUT',
      auth: owner.auth,
      body: { provider_sync: true },
    });
    assertError(response, 404, 'Calendar');
  });

  describe('on Google calendars', () => {
    let alex: Awaited<ReturnType<typeof syncedIdentity>>;
    before(async () => (alex = await syncedIdentity(emulator, ALEX)));

    it('lets provider_sync change (200 with the calendar)', async () => {
      const work = alex.byName.get('Work');
      for (const value of [true, false, true]) {
        const response = await api(emulator, `/calendars/${work.id}`, { method: 'PUT', auth: alex.auth, body: { provider_sync: value } });
        assert.equal(response.status, 200, response.text);
        assert.equal(response.body.data.provider_sync, value);
        assert.equal(response.body.data.name, 'Work');
      }
      // Read-only shared calendars can still count towards availability.
      const rota = alex.byName.get('Team rota');
      const response = await api(emulator, `/calendars/${rota.id}`, { method: 'PUT', auth: alex.auth, body: { provider_sync: true } });
      assert.equal(response.status, 200);
    });

    it('refuses every other field (422 naming each), changing nothing', async () => {
      const primary = alex.byName.get(ALEX);
      for (const [field, value] of Object.entries({
        name: 'Renamed',
        description: 'New',
        foregroundcolor: '#000000',
        backgroundcolor: '#ffffff',
        primary: true,
      })) {
        const response = await api(emulator, `/calendars/${primary.id}`, {
          method: 'PUT',
          auth: alex.auth,
          body: { provider_sync: true, [field]: value },
        });
        assertInvalid(response, field);
      }
      const both = await api(emulator, `/calendars/${primary.id}`, {
        method: 'PUT',
        auth: alex.auth,
        body: { name: 'Renamed', description: 'New' },
      });
      assertInvalid(both, 'name', 'description');
      const read = await api(emulator, `/calendars/${primary.id}`, { auth: alex.auth });
      assert.deepEqual(read.body.data, primary);
    });

    it('lets the app key set provider_sync too', async () => {
      const holidays = alex.byName.get('Holidays in United States');
      const response = await api(emulator, `/calendars/${holidays.id}`, { method: 'PUT', auth: app, body: { provider_sync: true } });
      assert.equal(response.status, 200);
      assert.equal(response.body.data.provider_sync, true);
    });
  });
});

describe('DELETE /calendars/:id', () => {
  it('deletes (204, no body), then answers 404', async () => {
    const created = await api(emulator, '/calendars', { auth: owner.auth, body: { name: 'Temporary' } });
    const id = created.body.data.id;
    const response = await api(emulator, `/calendars/${id}`, { method: 'DELETE', auth: owner.auth });
    assert.equal(response.status, 204);
    assert.equal(response.text, '');
    assertError(await api(emulator, `/calendars/${id}`, { auth: owner.auth }), 404, 'Calendar');
    assertError(await api(emulator, `/calendars/${id}`, { method: 'DELETE', auth: owner.auth }), 404, 'Calendar');
  });

  it('lets the app delete any calendar, and refuses foreign ones for a resource (404)', async () => {
    const other = await createResource(emulator);
    const theirs = other.resource.calendars[0].id;
    assertError(await api(emulator, `/calendars/${theirs}`, { method: 'DELETE', auth: owner.auth }), 404, 'Calendar');
    const response = await api(emulator, `/calendars/${theirs}`, { method: 'DELETE', auth: app });
    assert.equal(response.status, 204);
  });
});
