/**
 * Fault injection (the `faults` and `latencyMs` options, `POST /_emulator/faults` rules with
 * `count`, the per-request `Tk-Emulator-Fault` header) and the rest of the control API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import { api, appAuth, assertError, assertInvalid, control, createResource, start, type Headers } from './helpers.js';

let emulator: Emulator;
let test: Headers;
let live: Headers;
before(async () => {
  emulator = await start({ faults: [{ kind: 'status', path: '/resources', status: 429, count: 2 }] });
  test = appAuth(emulator.testAppKey);
  live = appAuth(emulator.appKey);
});
after(() => emulator.close());

const fault = (header: string, auth: Headers = live, path = '/resources') =>
  api(emulator, path, { auth, headers: { 'tk-emulator-fault': header } });

describe('the faults option', () => {
  it('answers the given status for the next N calls of the path, with Retry-After', async () => {
    for (let i = 0; i < 2; i++) {
      const limited = await api(emulator, '/resources', { auth: test });
      assertError(limited, 429);
      assert.equal(limited.headers.get('retry-after'), '1');
    }
    assert.equal((await api(emulator, '/resources', { auth: test })).status, 200);
  });
});

describe('POST /_emulator/faults', () => {
  it('adds a rule (201) that fails count calls of matching paths and methods, then lists and clears', async () => {
    const added = await control(emulator, '/faults', { status: 503, path: '/calendars/*', method: 'GET', retryAfter: 7, count: 2 });
    assert.equal(added.status, 201, added.text);
    assert.equal(added.body.data.kind, 'status');
    assert.equal(added.body.data.remaining, 2);
    const listed = await control(emulator, '/faults');
    assert.equal(listed.body.data.length, 1);

    const { resource, auth } = await createResource(emulator);
    const id = resource.calendars[0].id;
    // Another method and another path do not match.
    assert.equal((await api(emulator, `/calendars/${id}`, { method: 'PUT', auth, body: { provider_sync: true } })).status, 200);
    assert.equal((await api(emulator, '/calendars', { auth })).status, 200);

    const first = await api(emulator, `/calendars/${id}`, { auth });
    assertError(first, 503);
    assert.equal(first.headers.get('retry-after'), '7');
    assertError(await api(emulator, `/calendars/${id}/`, { auth }), 503);
    assert.equal((await api(emulator, `/calendars/${id}`, { auth })).status, 200);
    assert.deepEqual((await control(emulator, '/faults')).body.data, []);

    await control(emulator, '/faults', { status: 500, path: '/calendars', count: 0 });
    for (let i = 0; i < 3; i++) assertError(await api(emulator, '/calendars', { auth }), 500);
    const cleared = await control(emulator, '/faults', undefined, 'DELETE');
    assert.equal(cleared.status, 204);
    assert.equal((await api(emulator, '/calendars', { auth })).status, 200);
  });

  it('answers each injectable status in Timekit’s shape', async () => {
    const shapes: Array<[number, (body: any) => void]> = [
      [401, (b) => assert.equal(typeof b.error, 'string')],
      [403, (b) => assert.equal(typeof b.error, 'string')],
      [404, (b) => assert.equal(typeof b.model, 'string')],
      [422, (b) => assert.equal(typeof b.errors, 'object')],
      [429, (b) => assert.equal(typeof b.error, 'string')],
      [500, (b) => assert.equal(typeof b.error, 'string')],
      [503, (b) => assert.equal(typeof b.error, 'string')],
    ];
    for (const [status, check] of shapes) {
      await control(emulator, '/faults', { status, path: '/resources' });
      const response = await api(emulator, '/resources', { auth: live });
      assert.equal(response.status, status);
      check(response.body);
      assert.equal(response.headers.get('retry-after') !== null, status === 429 || status === 503, `Retry-After on ${status}`);
    }
  });

  it('refuses a malformed rule (422 naming the fields)', async () => {
    assertInvalid(await control(emulator, '/faults', { kind: 'explode', path: '/x' }), 'kind');
    assertInvalid(await control(emulator, '/faults', { status: 200, path: '/x' }), 'status');
    assertInvalid(await control(emulator, '/faults', { status: 500, path: 'calendars' }), 'path');
    assertInvalid(await control(emulator, '/faults', { kind: 'latency', path: '/x', latencyMs: -1 }), 'latencyMs');
    assertInvalid(await control(emulator, '/faults', { status: 500, path: '/x', constructor: 1 }), 'constructor');
    assertInvalid(await control(emulator, '/faults', [1]), 'rule');
    assert.deepEqual((await control(emulator, '/faults')).body.data, []);
  });
});

describe('the Tk-Emulator-Fault header', () => {
  it('fails just that request with a status and Retry-After', async () => {
    const limited = await fault('status=429; retry-after=3', test);
    assertError(limited, 429);
    assert.equal(limited.headers.get('retry-after'), '3');
    const unavailable = await fault('status=503');
    assertError(unavailable, 503);
    assert.equal(unavailable.headers.get('retry-after'), '1');
    assert.equal((await api(emulator, '/resources', { auth: live })).status, 200);
  });

  it('keeps the CORS headers on injected answers and exposes Retry-After', async () => {
    const response = await api(emulator, '/resources', {
      auth: live,
      headers: { 'tk-emulator-fault': 'status=503; retry-after=2', origin: 'http://localhost:5173' },
    });
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(response.headers.get('access-control-expose-headers')!, /Retry-After/i);
  });

  it('drops the connection: fetch rejects', async () => {
    await assert.rejects(fault('drop'), TypeError);
    assert.equal((await api(emulator, '/resources', { auth: live })).status, 200);
  });

  it('sends malformed JSON with status 200', async () => {
    const response = await fetch(`${emulator.url}/resources`, { headers: { ...live, 'tk-emulator-fault': 'malformed' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /json/);
    await assert.rejects(response.json(), SyntaxError);
  });

  it('adds latency before the real answer', async () => {
    const started = performance.now();
    const response = await fault('latency=250');
    assert.equal(response.status, 200);
    assert.ok(performance.now() - started >= 240, 'the answer came too soon');
  });

  it('answers 401 as for an expired credential', async () => {
    const { auth } = await createResource(emulator);
    const response = await fault('expired-credential', auth, '/calendars');
    assertError(response, 401);
    assert.match(response.body.error, /expired/i);
    assert.equal((await api(emulator, '/calendars', { auth })).status, 200);
  });

  it('never answers with timeout, so the client’s own timeout gives up', async () => {
    const request = fetch(`${emulator.url}/resources`, {
      headers: { ...live, 'tk-emulator-fault': 'timeout' },
      signal: AbortSignal.timeout(200),
    });
    await assert.rejects(request, (error: Error) => error.name === 'TimeoutError');
    assert.equal((await api(emulator, '/resources', { auth: live })).status, 200);
  });

  it('ignores a header it does not understand', async () => {
    assert.equal((await fault('please-fail')).status, 200);
    assert.equal((await fault('status=200')).status, 200);
  });
});

describe('rules of the other kinds', () => {
  it('drop, malformed and expired-credential rules fail count calls', async () => {
    await control(emulator, '/faults', { kind: 'drop', path: '/resources', count: 1 });
    await assert.rejects(api(emulator, '/resources', { auth: live }), TypeError);
    assert.equal((await api(emulator, '/resources', { auth: live })).status, 200);

    await control(emulator, '/faults', { kind: 'malformed', path: '/resources' });
    const broken = await fetch(`${emulator.url}/resources`, { headers: live });
    await assert.rejects(broken.json(), SyntaxError);

    await control(emulator, '/faults', { kind: 'expired-credential', path: '/resources' });
    assertError(await api(emulator, '/resources', { auth: live }), 401);
    assert.equal((await api(emulator, '/resources', { auth: live })).status, 200);
  });

  it('a latency rule delays count matching calls, then is spent', async () => {
    await control(emulator, '/faults', { kind: 'latency', path: '/resources', latencyMs: 200, count: 1 });
    const started = performance.now();
    assert.equal((await api(emulator, '/resources', { auth: live })).status, 200);
    assert.ok(performance.now() - started >= 190);
    assert.deepEqual((await control(emulator, '/faults')).body.data, []);
  });
});

describe('the latencyMs option', () => {
  it('delays every API answer', async () => {
    const slow = await start({ latencyMs: 150 });
    try {
      const started = performance.now();
      assert.equal((await api(slow, '/resources', { auth: appAuth(slow.appKey) })).status, 200);
      assert.ok(performance.now() - started >= 140);
    } finally {
      await slow.close();
    }
  });
});

describe('the control API', () => {
  it('describes the emulator without its keys', async () => {
    const response = await control(emulator, '');
    assert.equal(response.status, 200);
    assert.equal(response.body.data.app, emulator.app);
    assert.equal(response.body.data.widget_scope, 'standard');
    assert.ok(response.body.data.identities.some((i: { email: string }) => i.email === 'alex.morgan@example.com'));
    assert.ok(!response.text.includes(emulator.appKey));
    assert.ok(!response.text.includes(emulator.testAppKey));
  });

  it('records API requests (method, path without query, status, origin) and forgets them', async () => {
    assert.equal((await control(emulator, '/requests', undefined, 'DELETE')).status, 204);
    await api(emulator, '/resources?limit=5', { auth: live, headers: { origin: 'https://shop.example.com' } });
    await api(emulator, '/nothing');
    const recorded = await control(emulator, '/requests');
    assert.deepEqual(recorded.body.data, [
      { method: 'GET', path: '/resources', status: 200, origin: 'https://shop.example.com' },
      { method: 'GET', path: '/nothing', status: 404, origin: null },
    ]);
    assert.equal(emulator.requests.length, 2);
  });

  it('moves the clock forward, and refuses what is not a duration (422)', async () => {
    const before = Date.parse((await control(emulator, '/clock', { advance: '1 minute' })).body.data.now);
    const after = Date.parse((await control(emulator, '/clock', { advance: '1 day' })).body.data.now);
    assert.ok(after - before >= 86_400_000 && after - before < 86_400_000 + 60_000);
    for (const advance of ['soon', -5, '1e308 weeks', null]) assertInvalid(await control(emulator, '/clock', { advance }), 'advance');
  });

  it('answers unknown control paths with 404 and methods it lacks with 404 or 405', async () => {
    assertError(await control(emulator, '/nothing'), 404);
    const wrong = await control(emulator, '/clock', undefined, 'GET');
    assert.ok(wrong.status === 404 || wrong.status === 405);
    assert.equal(typeof wrong.body.error, 'string');
  });

  it('resets data, faults, requests and the clock', async () => {
    const { auth } = await createResource(emulator);
    await control(emulator, '/faults', { status: 500, path: '/nothing-else', count: 0 });
    assert.equal((await control(emulator, '/reset', {})).status, 204);
    assertError(await api(emulator, '/calendars', { auth }), 401);
    assert.deepEqual((await control(emulator, '/faults')).body.data, []);
    const left = (await control(emulator, '/requests')).body.data;
    assert.equal(left.length, 1, 'only the 401 above');
    const now = Date.parse((await control(emulator, '/clock', { advance: '1 second' })).body.data.now);
    assert.ok(Math.abs(now - Date.now()) < 60_000, 'the clock is back to real time');
  });
});
