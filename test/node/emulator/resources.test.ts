/**
 * `/resources` and `/auth`: creation with its exact shape, listing with `include`, `search` and
 * Laravel pagination, the 404 and 422 refusals, and the legacy email/password login.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import {
  api,
  appAuth,
  assertError,
  assertInvalid,
  CALENDAR_KEYS,
  CREDENTIAL_KEYS,
  MISSING_ID,
  RESOURCE_KEYS,
  RFC3339,
  start,
  UUID,
  userAuth,
} from './helpers.js';


let emulator: Emulator;
let app: Record<string, string>;
before(async () => {
  emulator = await start();
  app = appAuth(emulator.appKey);
});
after(() => emulator.close());

const orion = {
  name: 'Room Orion',
  timezone: 'Europe/Oslo',
  email: 'orion@example.test',
  first_name: 'Room',
  last_name: 'Orion',
  password: 'correct horse',
  image: 'https://example.test/orion.png',
  meta: { floor: 3 },
  tags: ['room', 'big'],
};

describe('POST /resources', () => {
  let created: any;

  it('answers 201 with the resource, its auto-created Bookings calendar and api_token', async () => {
    const response = await api(emulator, '/resources', { auth: app, body: orion });
    assert.equal(response.status, 201, response.text);
    created = response.body.data;
    assert.deepEqual(Object.keys(response.body), ['data']);
    assert.deepEqual(Object.keys(created).sort(), [...RESOURCE_KEYS, 'api_token', 'calendars'].sort());
    assert.match(created.id, UUID);
    const { id: _id, created_at, updated_at, calendars, api_token, ...fields } = created;
    assert.deepEqual(fields, {
      name: 'Room Orion',
      timezone: 'Europe/Oslo',
      email: 'orion@example.test',
      first_name: 'Room',
      last_name: 'Orion',
      image: 'https://example.test/orion.png',
      meta: { floor: 3 },
      tags: ['room', 'big'],
      availability_constraints: [],
    });
    assert.match(created_at, RFC3339);
    assert.match(updated_at, RFC3339);
    assert.equal(typeof api_token, 'string');
    assert.ok(api_token.length >= 16);
    assert.equal('password' in created, false);

    assert.equal(calendars.length, 1);
    const [calendar] = calendars;
    assert.deepEqual(Object.keys(calendar).sort(), CALENDAR_KEYS);
    assert.match(calendar.id, UUID);
    assert.equal(calendar.name, 'Bookings');
    assert.equal(calendar.provider, 'timekit');
    assert.equal(calendar.provider_access, 'owner');
    assert.equal(calendar.provider_id, null);
    assert.equal(calendar.provider_primary, false);
    assert.equal(calendar.provider_sync, false);
    assert.equal(calendar.foregroundcolor, null);
    assert.equal(calendar.backgroundcolor, null);
  });

  it('gives a token that works as resource credentials', async () => {
    const response = await api(emulator, '/calendars', { auth: userAuth(created.email, created.api_token) });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(
      response.body.data.map((c: { id: string }) => c.id),
      created.calendars.map((c: { id: string }) => c.id),
    );
  });

  it('needs only name and timezone; the rest defaults to null or empty', async () => {
    const response = await api(emulator, '/resources', { auth: app, body: { name: 'Desk 4', timezone: 'UTC' } });
    assert.equal(response.status, 201, response.text);
    const { email, first_name, last_name, image, meta, tags } = response.body.data;
    assert.deepEqual({ email, first_name, last_name, image, meta, tags }, {
      email: null,
      first_name: null,
      last_name: null,
      image: null,
      meta: {},
      tags: [],
    });
  });

  it('refuses missing name and timezone (422 on both)', async () => {
    assertInvalid(await api(emulator, '/resources', { auth: app, body: {} }), 'name', 'timezone');
    assertInvalid(await api(emulator, '/resources', { auth: app, body: { name: '   ', timezone: 'UTC' } }), 'name');
    assertInvalid(await api(emulator, '/resources', { auth: app, body: { name: 'X' } }), 'timezone');
  });

  it('refuses a timezone that is not IANA', async () => {
    for (const timezone of ['Mars/Olympus_Mons', 'GMT+25', '', 'not a zone']) {
      assertInvalid(await api(emulator, '/resources', { auth: app, body: { name: 'X', timezone } }), 'timezone');
    }
  });

  it('refuses a duplicate email, whatever its case', async () => {
    assertInvalid(await api(emulator, '/resources', { auth: app, body: { ...orion } }), 'email');
    assertInvalid(
      await api(emulator, '/resources', { auth: app, body: { name: 'Y', timezone: 'UTC', email: 'ORION@example.test' } }),
      'email',
    );
  });

  it('refuses unknown fields by name, including Object.prototype names', async () => {
    for (const field of ['colour', 'availability', 'constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const body = `{"name": "X", "timezone": "UTC", ${JSON.stringify(field)}: 1}`;
      assertInvalid(await api(emulator, '/resources', { auth: app, body }), field);
    }
  });

  it('refuses wrongly typed fields', async () => {
    const cases: Array<[string, unknown]> = [
      ['name', 42],
      ['timezone', ['UTC']],
      ['email', 'not-an-email'],
      ['email', 7],
      ['first_name', false],
      ['password', '123'],
      ['image', 'not a url'],
      ['meta', 'x'],
      ['meta', [1, 2]],
      ['tags', 'room'],
      ['tags', [1]],
    ];
    for (const [field, value] of cases) {
      const response = await api(emulator, '/resources', { auth: app, body: { name: 'X', timezone: 'UTC', [field]: value } });
      assertInvalid(response, field);
    }
  });
});

describe('GET /resources', () => {
  it('lists resources with the pagination keys', async () => {
    const response = await api(emulator, '/resources', { auth: app });
    assert.equal(response.status, 200);
    assert.deepEqual(Object.keys(response.body).sort(), [
      'current_page',
      'data',
      'from',
      'last_page',
      'next_page_url',
      'per_page',
      'prev_page_url',
      'to',
      'total',
    ]);
    assert.ok(Array.isArray(response.body.data));
    assert.equal(response.body.total, response.body.data.length);
    for (const resource of response.body.data) {
      assert.deepEqual(Object.keys(resource).sort(), RESOURCE_KEYS);
    }
  });

  it('honours include=calendars,credentials', async () => {
    const response = await api(emulator, '/resources?search=email:orion@example.test&include=calendars,credentials', { auth: app });
    assert.equal(response.status, 200);
    assert.equal(response.body.data.length, 1);
    const [resource] = response.body.data;
    assert.deepEqual(Object.keys(resource).sort(), [...RESOURCE_KEYS, 'calendars', 'credentials'].sort());
    assert.equal(resource.calendars[0].name, 'Bookings');
    const [credential] = resource.credentials;
    assert.deepEqual(Object.keys(credential).sort(), CREDENTIAL_KEYS);
    assert.equal(credential.type, 'server-token');
    assert.deepEqual(credential.scopes, ['global']);
    assert.deepEqual(credential.referrer, ['']);

    const justCalendars = await api(emulator, '/resources?include=calendars', { auth: app });
    for (const r of justCalendars.body.data) {
      assert.ok(Array.isArray(r.calendars));
      assert.equal('credentials' in r, false);
    }
  });

  it('honours search on one and several fields', async () => {
    const byName = await api(emulator, '/resources?search=name:Room%20Orion', { auth: app });
    assert.deepEqual(byName.body.data.map((r: { email: string }) => r.email), ['orion@example.test']);
    const byTwo = await api(emulator, '/resources?search=tags:room;email:orion@example.test', { auth: app });
    assert.equal(byTwo.body.total, 1);
    const none = await api(emulator, '/resources?search=tags:room;name:Somebody%20else', { auth: app });
    assert.equal(none.body.total, 0);
    assert.deepEqual(none.body.data, []);
    assert.equal(none.body.from, null);
    assert.equal(none.body.to, null);
  });

  it('refuses unknown include and search fields (422)', async () => {
    assertInvalid(await api(emulator, '/resources?include=events', { auth: app }), 'include');
    for (const search of ['password:x', 'nonsense', 'constructor:x', 'hasOwnProperty:x', 'toString:x', '__proto__:x']) {
      assertInvalid(await api(emulator, `/resources?search=${search}`, { auth: app }), 'search');
    }
  });
});

describe('GET /resources/:id', () => {
  it('answers the resource, with includes', async () => {
    const list = await api(emulator, '/resources?search=email:orion@example.test', { auth: app });
    const id = list.body.data[0].id;
    const response = await api(emulator, `/resources/${id}?include=calendars`, { auth: app });
    assert.equal(response.status, 200);
    assert.equal(response.body.data.id, id);
    assert.equal(response.body.data.calendars.length, 1);
    assert.equal('api_token' in response.body.data, false);
  });

  it('answers 404 with model Resource for unknown and malformed ids', async () => {
    for (const id of [MISSING_ID, MISSING_ID.toUpperCase().replace(/-/g, ''), 'not-a-uuid', '%00', '1']) {
      assertError(await api(emulator, `/resources/${id}`, { auth: app }), 404, 'Resource');
    }
  });
});

describe('pagination', () => {
  let paged: Emulator;
  let paging: Record<string, string>;
  before(async () => {
    paged = await start();
    paging = appAuth(paged.appKey);
    for (let i = 1; i <= 5; i++) {
      const response = await api(paged, '/resources', { auth: paging, body: { name: `R${i}`, timezone: 'UTC' } });
      assert.equal(response.status, 201);
    }
  });
  after(() => paged.close());

  it('defaults to limit 50, page 1 (per_page a number when no limit was given)', async () => {
    const { body } = await api(paged, '/resources', { auth: paging });
    assert.equal(body.total, 5);
    assert.equal(body.per_page, 50);
    assert.equal(body.current_page, 1);
    assert.equal(body.last_page, 1);
    assert.equal(body.next_page_url, null);
    assert.equal(body.prev_page_url, null);
    assert.equal(body.from, 1);
    assert.equal(body.to, 5);
  });

  it('pages with limit and page, echoes per_page as a string, and links next and previous pages', async () => {
    const first = await api(paged, '/resources?limit=2', { auth: paging });
    assert.equal(first.body.per_page, '2');
    assert.equal(first.body.current_page, 1);
    assert.equal(first.body.last_page, 3);
    assert.equal(first.body.from, 1);
    assert.equal(first.body.to, 2);
    assert.equal(first.body.prev_page_url, null);
    assert.equal(first.body.data.length, 2);
    const next = new URL(first.body.next_page_url);
    assert.equal(`${next.origin}${next.pathname}`, `${paged.url}/resources`);
    assert.equal(next.searchParams.get('limit'), '2');
    assert.equal(next.searchParams.get('page'), '2');

    const seen = [...first.body.data];
    let url: string | null = first.body.next_page_url;
    let last: any;
    while (url) {
      last = (await api(paged, url, { auth: paging })).body;
      seen.push(...last.data);
      url = last.next_page_url;
    }
    assert.equal(last.current_page, 3);
    assert.equal(last.from, 5);
    assert.equal(last.to, 5);
    assert.equal(new URL(last.prev_page_url).searchParams.get('page'), '2');
    assert.equal(new Set(seen.map((r) => r.id)).size, 5);

    const beyond = await api(paged, '/resources?limit=2&page=9', { auth: paging });
    assert.equal(beyond.status, 200);
    assert.deepEqual(beyond.body.data, []);
    assert.equal(beyond.body.from, null);
    assert.equal(beyond.body.next_page_url, null);
  });

  it('keeps the other query parameters in the page links', async () => {
    const { body } = await api(paged, '/resources?limit=1&include=calendars', { auth: paging });
    const next = new URL(body.next_page_url);
    assert.equal(next.searchParams.get('include'), 'calendars');
    assert.equal(next.searchParams.get('limit'), '1');
  });

  it('allows limit up to 1000 and refuses more, zero and non-numbers (422)', async () => {
    const max = await api(paged, '/resources?limit=1000', { auth: paging });
    assert.equal(max.status, 200);
    assert.equal(max.body.per_page, '1000');
    for (const limit of ['1001', '0', '-1', 'abc', '2.5', '']) {
      assertInvalid(await api(paged, `/resources?limit=${limit}`, { auth: paging }), 'limit');
    }
    for (const page of ['0', 'x']) assertInvalid(await api(paged, `/resources?page=${page}`, { auth: paging }), 'page');
  });
});

describe('POST /auth', () => {
  it('logs in with email and password and answers the resource with api_token', async () => {
    const response = await api(emulator, '/auth', {
      headers: { 'timekit-app': emulator.app },
      body: { email: 'orion@example.test', password: 'correct horse' },
    });
    assert.equal(response.status, 200, response.text);
    const data = response.body.data;
    assert.equal(data.email, 'orion@example.test');
    assert.deepEqual(Object.keys(data).sort(), [...RESOURCE_KEYS, 'api_token'].sort());
    const calendars = await api(emulator, '/calendars', { auth: userAuth(data.email, data.api_token) });
    assert.equal(calendars.status, 200);
  });

  it('answers 401 for a wrong password, an unknown email or a missing Timekit-App', async () => {
    const headers = { 'timekit-app': emulator.app };
    assertError(await api(emulator, '/auth', { headers, body: { email: 'orion@example.test', password: 'wrong' } }), 401);
    assertError(await api(emulator, '/auth', { headers, body: { email: 'nobody@example.test', password: 'x' } }), 401);
    assertError(await api(emulator, '/auth', { body: { email: 'orion@example.test', password: 'correct horse' } }), 401);
    const otherApp = { 'timekit-app': 'other' };
    assertError(await api(emulator, '/auth', { headers: otherApp, body: { email: 'orion@example.test', password: 'correct horse' } }), 401);
  });

  it('answers 422 for missing fields', async () => {
    const headers = { 'timekit-app': emulator.app };
    assertInvalid(await api(emulator, '/auth', { headers, body: {} }), 'email', 'password');
    assertInvalid(await api(emulator, '/auth', { headers, body: { email: 5, password: [] } }), 'email', 'password');
  });
});
