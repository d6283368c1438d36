/**
 * The three callers (app key, resource, widget credential) and every refusal: 401 for missing,
 * wrong or expired credentials, 403 outside the widget allow-list, outside the credential's
 * `referrer` origins, and outside the strict widget scope.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import {
  api,
  appAuth,
  assertError,
  control,
  MONDAY_NOON,
  start,
  syncedIdentity,
  userAuth,
  widgetCredential,
  type Headers,
} from './helpers.js';

const SITE = 'http://localhost:5173';
const JORDAN = 'jordan.reed@example.com';

let emulator: Emulator;
let owner: Awaited<ReturnType<typeof syncedIdentity>>;
let widget: Headers;
let bookings: { id: string };
let primary: { id: string };

before(async () => {
  emulator = await start({ now: () => MONDAY_NOON });
  owner = await syncedIdentity(emulator, JORDAN);
  const credential = await widgetCredential(emulator, owner.auth, { referrer: SITE });
  widget = { ...userAuth(owner.email, credential.token), origin: SITE };
  bookings = owner.byName.get('Bookings');
  primary = owner.byName.get(JORDAN);
});
after(() => emulator.close());

const basic = (text: string) => `Basic ${Buffer.from(text).toString('base64')}`;

describe('401: missing or wrong credentials', () => {
  it('refuses a request without Authorization', async () => {
    assertError(await api(emulator, '/calendars'), 401);
    assertError(await api(emulator, '/resources'), 401);
  });

  it('refuses Authorization that is not HTTP Basic or not email:password', async () => {
    for (const authorization of ['Bearer abc', 'Basic', 'Basic !!!', basic('no-colon-here'), 'Digest username="x"', '']) {
      const response = await api(emulator, '/calendars', { headers: { authorization, 'timekit-app': emulator.app } });
      assertError(response, 401);
    }
  });

  it('refuses a wrong app key', async () => {
    assertError(await api(emulator, '/resources', { auth: appAuth('live_api_key_wrong') }), 401);
    assertError(await api(emulator, '/resources', { auth: appAuth('') }), 401);
  });

  it('refuses a wrong token, an unknown email, and a missing or unknown Timekit-App', async () => {
    assertError(await api(emulator, '/calendars', { auth: userAuth(owner.email, 'wrong-token') }), 401);
    assertError(await api(emulator, '/calendars', { auth: userAuth('nobody@example.com', owner.token) }), 401);
    assertError(await api(emulator, '/calendars', { auth: { authorization: owner.auth.authorization! } }), 401);
    assertError(await api(emulator, '/calendars', { auth: userAuth(owner.email, owner.token, 'another-app') }), 401);
  });

  it('does not let one resource use another one’s token', async () => {
    const other = await syncedIdentity(emulator, 'yuki.tanaka@example.jp');
    assertError(await api(emulator, '/calendars', { auth: userAuth(owner.email, other.token) }), 401);
  });
});

describe('the app key', () => {
  it('sees every resource, and is refused (403) on resource-only routes', async () => {
    const app = appAuth(emulator.appKey);
    const resources = await api(emulator, '/resources', { auth: app });
    assert.equal(resources.status, 200);
    assert.ok(resources.body.data.some((r: { email: string }) => r.email === JORDAN));
    assertError(await api(emulator, '/accounts', { auth: app }), 403);
    assertError(await api(emulator, '/accounts/sync', { method: 'POST', auth: app }), 403);
  });
});

describe('a resource credential', () => {
  it('is refused (403) on app-only routes', async () => {
    assertError(await api(emulator, '/resources', { auth: owner.auth }), 403);
    assertError(await api(emulator, '/resources', { auth: owner.auth, body: { name: 'X', timezone: 'UTC' } }), 403);
  });

  it('sees only its own resource’s objects (404 for others’)', async () => {
    const other = await syncedIdentity(emulator, 'noor.haddad@example.com');
    const theirs = other.calendars[0].id;
    assertError(await api(emulator, `/calendars/${theirs}`, { auth: owner.auth }), 404, 'Calendar');
    const mine = await api(emulator, '/calendars?limit=1000', { auth: owner.auth });
    assert.ok(!mine.body.data.some((c: { id: string }) => c.id === theirs));
  });
});

describe('a widget credential', () => {
  it('may call everything on the widget allow-list', async () => {
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/calendars'],
      ['GET', `/calendars/${primary.id}`],
      ['PUT', `/calendars/${primary.id}`, { provider_sync: true }],
      ['GET', '/accounts/sync'],
      ['POST', '/accounts/sync'],
      ['GET', '/accounts'],
      ['POST', '/findtime', { future: '2 days' }],
      ['POST', '/availability', { resources: [await resourceId()], to: '2 days' }],
      // Its own resource's working hours, as a working-hours screen in direct mode reads and writes them.
      ['GET', `/resources/${await resourceId()}`],
      ['PUT', `/resources/${await resourceId()}`, { availability_constraints: [{ allow_weekdays: {} }], timezone: 'Europe/Paris' }],
      [
        'POST',
        '/bookings',
        {
          graph: 'instant',
          start: '2026-06-03T14:00:00+00:00',
          end: '2026-06-03T15:00:00+00:00',
          what: 'Widget booking',
          calendar_id: bookings.id,
          customer: { name: 'Pat Doe', email: 'pat@example.com' },
        },
      ],
    ];
    for (const [method, path, body] of calls) {
      const response = await api(emulator, path, { method, auth: widget, body });
      assert.ok(response.status >= 200 && response.status < 300, `${method} ${path}: ${response.status} ${response.text}`);
    }
  });

  it('is refused (403) outside the allow-list', async () => {
    const credentials = await api(emulator, '/credentials', { auth: owner.auth });
    const calls: Array<[string, string, unknown?]> = [
      ['GET', '/resources'],
      ['POST', '/resources', { name: 'X', timezone: 'UTC' }],
      // The resource's full token must not be one include away.
      ['GET', `/resources/${await resourceId()}?include=credentials`],
      ['PUT', `/resources/${await resourceId()}`, { name: 'Renamed' }],
      ['POST', '/credentials', { type: 'client-token', scopes: 'widget' }],
      ['GET', '/credentials'],
      ['DELETE', `/credentials/${credentials.body.data[0].id}`],
      ['POST', '/calendars', { name: 'Mine now' }],
      ['DELETE', `/calendars/${bookings.id}`],
      ['PUT', `/calendars/${bookings.id}`, { name: 'Renamed' }],
      ['PUT', `/calendars/${bookings.id}`, { provider_sync: true, description: 'sneaky' }],
      ['PUT', `/calendars/${bookings.id}`, { primary: true }],
      ['GET', '/bookings'],
    ];
    for (const [method, path, body] of calls) {
      const response = await api(emulator, path, { method, auth: widget, body });
      assert.equal(response.status, 403, `${method} ${path}: ${response.status} ${response.text}`);
      assertError(response, 403);
    }
    // Nothing was changed by the refused calls.
    const calendar = await api(emulator, `/calendars/${bookings.id}`, { auth: owner.auth });
    assert.equal(calendar.body.data.name, 'Bookings');
    assert.equal(calendar.body.data.description, 'Calendar automatically created together with the resource');
  });

  it('is refused (403) from an origin outside its referrer list, by Origin and else by Referer', async () => {
    const { origin: _origin, ...noOrigin } = widget;
    assertError(await api(emulator, '/calendars', { auth: { ...noOrigin, origin: 'https://evil.example' } }), 403);
    assertError(await api(emulator, '/calendars', { auth: { ...noOrigin, origin: 'http://localhost:5174' } }), 403);
    assertError(await api(emulator, '/calendars', { auth: noOrigin }), 403);
    assertError(await api(emulator, '/calendars', { auth: { ...noOrigin, referer: 'https://evil.example/page' } }), 403);

    const viaReferer = await api(emulator, '/calendars', { auth: { ...noOrigin, referer: `${SITE}/onboarding?step=2` } });
    assert.equal(viaReferer.status, 200, viaReferer.text);
    // An opaque origin ("null", e.g. a sandboxed frame) says nothing: Referer decides.
    const opaque = await api(emulator, '/calendars', { auth: { ...noOrigin, origin: 'null', referer: `${SITE}/page` } });
    assert.equal(opaque.status, 200, opaque.text);
    assertError(await api(emulator, '/calendars', { auth: { ...noOrigin, origin: 'null' } }), 403);
    // Origin wins over Referer when both are sent.
    const both = { ...noOrigin, origin: 'https://evil.example', referer: `${SITE}/page` };
    assertError(await api(emulator, '/calendars', { auth: both }), 403);
  });

  it('accepts any origin when its referrer is "*" or empty', async () => {
    for (const referrer of ['*', [], '']) {
      const credential = await widgetCredential(emulator, owner.auth, { referrer });
      const auth = { ...userAuth(owner.email, credential.token), origin: 'https://anywhere.example' };
      const response = await api(emulator, '/calendars', { auth });
      assert.equal(response.status, 200, `referrer ${JSON.stringify(referrer)}: ${response.text}`);
    }
  });

  it('is refused (401) once expired', async () => {
    const soon = new Date(MONDAY_NOON.getTime() + 3_600_000).toISOString();
    const credential = await widgetCredential(emulator, owner.auth, { expires: soon });
    const auth = { ...userAuth(owner.email, credential.token), origin: SITE };
    assert.equal((await api(emulator, '/calendars', { auth })).status, 200);

    const moved = await control(emulator, '/clock', { advance: '2 hours' });
    assert.equal(moved.status, 200);
    assert.equal(moved.body.data.now, '2026-06-01T14:00:00.000Z');
    assertError(await api(emulator, '/calendars', { auth }), 401);
    // The resource's own token (one year by default) still works.
    assert.equal((await api(emulator, '/calendars', { auth: owner.auth })).status, 200);
  });
});

describe('the strict widget scope', () => {
  let strict: Emulator;
  let strictOwner: Awaited<ReturnType<typeof syncedIdentity>>;
  let strictWidget: Headers;
  before(async () => {
    strict = await start({ now: () => MONDAY_NOON, widgetScope: 'strict' });
    strictOwner = await syncedIdentity(strict, JORDAN);
    const credential = await widgetCredential(strict, strictOwner.auth, { referrer: SITE });
    strictWidget = { ...userAuth(strictOwner.email, credential.token), origin: SITE };
  });
  after(() => strict.close());

  it('refuses PUT /calendars/:id and the account routes (403)', async () => {
    const calendar = strictOwner.byName.get(JORDAN);
    const put = await api(strict, `/calendars/${calendar.id}`, { method: 'PUT', auth: strictWidget, body: { provider_sync: true } });
    assertError(put, 403);
    assertError(await api(strict, '/accounts/sync', { auth: strictWidget }), 403);
    assertError(await api(strict, '/accounts/sync', { method: 'POST', auth: strictWidget }), 403);
    assertError(await api(strict, '/accounts', { auth: strictWidget }), 403);
    const unchanged = await api(strict, `/calendars/${calendar.id}`, { auth: strictOwner.auth });
    assert.equal(unchanged.body.data.provider_sync, false);
  });

  it('still allows reads, findtime and bookings', async () => {
    assert.equal((await api(strict, '/calendars', { auth: strictWidget })).status, 200);
    const findtime = await api(strict, '/findtime', { auth: strictWidget, body: { future: '1 day' } });
    assert.equal(findtime.status, 200, findtime.text);
    const booking = await api(strict, '/bookings', {
      auth: strictWidget,
      body: {
        graph: 'confirm_decline',
        start: '2026-06-04T09:00:00+00:00',
        end: '2026-06-04T10:00:00+00:00',
        what: 'Strict booking',
        customer: { name: 'Pat Doe', email: 'pat@example.com' },
      },
    });
    assert.equal(booking.status, 201, booking.text);
  });

  it('leaves resource credentials alone', async () => {
    const calendar = strictOwner.byName.get(JORDAN);
    const put = await api(strict, `/calendars/${calendar.id}`, { method: 'PUT', auth: strictOwner.auth, body: { provider_sync: true } });
    assert.equal(put.status, 200, put.text);
  });
});

async function resourceId(): Promise<string> {
  const found = await api(emulator, `/resources?search=email:${JORDAN}`, { auth: appAuth(emulator.appKey) });
  return found.body.data[0].id;
}
