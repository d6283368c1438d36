/**
 * `/credentials`: minting widget and server tokens (scopes and referrer as string or array, the
 * one-year default expiry), listing them for a resource or for the app, and deleting them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import {
  api,
  appAuth,
  assertError,
  assertInvalid,
  createResource,
  CREDENTIAL_KEYS,
  MISSING_ID,
  MONDAY_NOON,
  start,
  UUID,
  userAuth,
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

describe('POST /credentials', () => {
  it('mints a widget client-token: scopes and referrer strings become arrays, expiry one year on (201)', async () => {
    const response = await api(emulator, '/credentials', {
      auth: owner.auth,
      body: { type: 'client-token', scopes: 'widget', referrer: 'https://shop.example.com', description: 'Booking page' },
    });
    assert.equal(response.status, 201, response.text);
    const credential = response.body.data;
    assert.deepEqual(Object.keys(credential).sort(), CREDENTIAL_KEYS);
    assert.match(credential.id, UUID);
    assert.equal(credential.type, 'client-token');
    assert.equal(credential.description, 'Booking page');
    assert.deepEqual(credential.scopes, ['widget']);
    assert.deepEqual(credential.referrer, ['https://shop.example.com']);
    assert.equal(typeof credential.token, 'string');
    assert.ok(credential.token.length >= 16);
    assert.equal(credential.token_generated_at, '2026-06-01T12:00:00+00:00');
    const year = Date.parse(credential.expires) - MONDAY_NOON.getTime();
    assert.ok(Math.abs(year - 365 * 86_400_000) <= 86_400_000, `expires ${credential.expires} is not about a year on`);
  });

  it('takes arrays, drops a trailing slash from origins and duplicate scopes', async () => {
    const response = await api(emulator, '/credentials', {
      auth: owner.auth,
      body: {
        type: 'client-token',
        scopes: ['widget', 'widget'],
        referrer: ['http://localhost:5173/', 'https://shop.example.com'],
        expires: '2026-07-01T12:00:00+02:00',
      },
    });
    assert.equal(response.status, 201, response.text);
    assert.deepEqual(response.body.data.scopes, ['widget']);
    assert.deepEqual(response.body.data.referrer, ['http://localhost:5173', 'https://shop.example.com']);
    assert.equal(Date.parse(response.body.data.expires), Date.parse('2026-07-01T10:00:00Z'));
  });

  it('mints a global server-token that acts as the resource', async () => {
    const response = await api(emulator, '/credentials', { auth: owner.auth, body: { type: 'server-token', scopes: ['global'] } });
    assert.equal(response.status, 201);
    assert.equal(response.body.data.description, '');
    assert.deepEqual(response.body.data.referrer, []);
    const auth = userAuth(owner.resource.email, response.body.data.token);
    // A resource-only route: a widget credential would get 403 here.
    assert.equal((await api(emulator, '/credentials', { auth })).status, 200);
  });

  it('lets the app mint one for a resource named by resource_id', async () => {
    const response = await api(emulator, '/credentials', {
      auth: app,
      body: { type: 'client-token', scopes: 'widget', referrer: '*', resource_id: owner.resource.id },
    });
    assert.equal(response.status, 201, response.text);
    const auth = { ...userAuth(owner.resource.email, response.body.data.token), origin: 'https://any.example' };
    assert.equal((await api(emulator, '/calendars', { auth })).status, 200);
    assertInvalid(await api(emulator, '/credentials', { auth: app, body: { type: 'client-token', scopes: 'widget' } }), 'resource_id');
    assertInvalid(
      await api(emulator, '/credentials', { auth: app, body: { type: 'client-token', scopes: 'widget', resource_id: MISSING_ID } }),
      'resource_id',
    );
  });

  it('refuses bad fields (422 naming each)', async () => {
    const valid = { type: 'client-token', scopes: 'widget' };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ scopes: 'widget' }, 'type'],
      [{ ...valid, type: 'api-key' }, 'type'],
      [{ type: 'client-token' }, 'scopes'],
      [{ ...valid, scopes: 'admin' }, 'scopes'],
      [{ ...valid, scopes: [] }, 'scopes'],
      [{ ...valid, scopes: ['widget', 'root'] }, 'scopes'],
      [{ ...valid, scopes: 7 }, 'scopes'],
      [{ ...valid, referrer: 'https://shop.example.com/booking' }, 'referrer'],
      [{ ...valid, referrer: 'javascript:alert(1)' }, 'referrer'],
      [{ ...valid, referrer: 'shop.example.com' }, 'referrer'],
      [{ ...valid, referrer: [42] }, 'referrer'],
      [{ ...valid, expires: 'next year' }, 'expires'],
      [{ ...valid, expires: '2020-01-01T00:00:00+00:00' }, 'expires'],
      [{ ...valid, expires: 1893456000 }, 'expires'],
      [{ ...valid, description: ['x'] }, 'description'],
      [{ ...valid, token: 'choose-my-own' }, 'token'],
    ];
    for (const [body, field] of cases) assertInvalid(await api(emulator, '/credentials', { auth: owner.auth, body }), field);
  });
});

describe('GET /credentials', () => {
  it('lists the resource’s own credentials, the automatic server-token first', async () => {
    const other = await createResource(emulator);
    const response = await api(emulator, '/credentials', { auth: owner.auth });
    assert.equal(response.status, 200);
    assert.ok('total' in response.body && 'per_page' in response.body);
    const [first] = response.body.data;
    assert.equal(first.type, 'server-token');
    assert.deepEqual(first.scopes, ['global']);
    assert.equal(first.token, owner.resource.api_token);
    const theirs = await api(emulator, '/credentials', { auth: other.auth });
    const mine = new Set(response.body.data.map((c: { id: string }) => c.id));
    assert.ok(theirs.body.data.every((c: { id: string }) => !mine.has(c.id)));
  });

  it('lets the app list one resource’s credentials with search=resource.id', async () => {
    const response = await api(emulator, `/credentials?search=resource.id:${owner.resource.id}`, { auth: app });
    const own = await api(emulator, '/credentials', { auth: owner.auth });
    assert.deepEqual(response.body.data, own.body.data);
    const widgets = await api(emulator, `/credentials?search=resource.id:${owner.resource.id};type:client-token`, { auth: app });
    assert.ok(widgets.body.total > 0);
    assert.ok(widgets.body.data.every((c: { type: string }) => c.type === 'client-token'));
  });
});

describe('DELETE /credentials/:id', () => {
  it('deletes (204), after which the token no longer authenticates (401)', async () => {
    const minted = await api(emulator, '/credentials', { auth: owner.auth, body: { type: 'client-token', scopes: 'widget' } });
    const { id, token } = minted.body.data;
    const auth = userAuth(owner.resource.email, token);
    assert.equal((await api(emulator, '/calendars', { auth })).status, 200);
    const response = await api(emulator, `/credentials/${id}`, { method: 'DELETE', auth: owner.auth });
    assert.equal(response.status, 204);
    assert.equal(response.text, '');
    assertError(await api(emulator, '/calendars', { auth }), 401);
    assertError(await api(emulator, `/credentials/${id}`, { method: 'DELETE', auth: owner.auth }), 404, 'Credential');
  });

  it('answers 404 for unknown, malformed and foreign ids; the app may delete any', async () => {
    const other = await createResource(emulator);
    const theirs = (await api(emulator, '/credentials', { auth: other.auth })).body.data[0].id;
    for (const id of [MISSING_ID, 'abc', theirs]) {
      assertError(await api(emulator, `/credentials/${id}`, { method: 'DELETE', auth: owner.auth }), 404, 'Credential');
    }
    assert.equal((await api(emulator, `/credentials/${theirs}`, { method: 'DELETE', auth: app })).status, 204);
  });
});
