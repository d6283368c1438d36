/**
 * Transport rules of shared/TIMEKIT-API.md: `/v2` only, trailing slashes, CORS, the response
 * headers, RFC 3339 timestamps, and the refusals every route shares (404, 405, 400, 413, 415).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import { api, appAuth, assertError, createResource, RFC3339, start, UUID } from './helpers.js';

let emulator: Emulator;
before(async () => (emulator = await start()));
after(() => emulator.close());

describe('paths', () => {
  it('answers /v1 with a JSON 404', async () => {
    for (const path of ['/v1/calendars', '/v1', '/v1/resources/']) {
      assertError(await api(emulator, `${emulator.origin}${path}`, { auth: appAuth(emulator.appKey) }), 404);
    }
  });

  it('answers unknown /v2 paths with 404 and a model', async () => {
    assertError(await api(emulator, '/nothing-here', { auth: appAuth(emulator.appKey) }), 404, 'Route');
    assertError(await api(emulator, '/calendars/a/b/c', { auth: appAuth(emulator.appKey) }), 404, 'Route');
    assertError(await api(emulator, `${emulator.origin}/`), 404);
  });

  it('accepts paths with and without a trailing slash', async () => {
    const { resource, auth } = await createResource(emulator);
    const calendarId = resource.calendars[0].id;
    for (const path of ['/calendars', '/calendars/', `/calendars/${calendarId}`, `/calendars/${calendarId}/`]) {
      const response = await api(emulator, path, { auth });
      assert.equal(response.status, 200, `${path}: ${response.text}`);
    }
    const created = await api(emulator, '/calendars/', { auth, body: { name: 'With slash' } });
    assert.equal(created.status, 201, created.text);
    const resources = await api(emulator, '/resources/', { auth: appAuth(emulator.appKey) });
    assert.equal(resources.status, 200);
  });

  it('answers a known path with another method 405 and Allow', async () => {
    const app = appAuth(emulator.appKey);
    const remove = await api(emulator, '/resources', { method: 'DELETE', auth: app });
    assertError(remove, 405);
    assert.deepEqual(remove.headers.get('allow')!.split(', ').sort(), ['GET', 'POST']);

    const patch = await api(emulator, `/calendars/${crypto.randomUUID()}`, { method: 'PATCH', auth: app, body: {} });
    assertError(patch, 405);
    assert.deepEqual(patch.headers.get('allow')!.split(', ').sort(), ['DELETE', 'GET', 'PUT']);

    const findtime = await api(emulator, '/findtime', { auth: app });
    assertError(findtime, 405);
    assert.equal(findtime.headers.get('allow'), 'POST');
  });
});

describe('CORS', () => {
  // A loopback page: the origins allowed by default (security.test.ts covers the others).
  const origin = 'http://127.0.0.1:5173';

  it('answers a preflight with the allowed methods and headers and the echoed origin', async () => {
    const response = await fetch(`${emulator.url}/calendars`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'PUT',
        'access-control-request-headers': 'authorization, content-type, timekit-app',
      },
    });
    assert.ok(response.status === 204 || response.status === 200, String(response.status));
    assert.equal(response.headers.get('access-control-allow-origin'), origin);
    assert.match(response.headers.get('vary')!, /\bOrigin\b/);
    const methods = response.headers.get('access-control-allow-methods')!.split(/,\s*/);
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) assert.ok(methods.includes(method), method);
    const allowed = response.headers.get('access-control-allow-headers')!.toLowerCase().split(/,\s*/);
    for (const header of [
      'authorization',
      'content-type',
      'timekit-app',
      'timekit-context',
      'timekit-inputtimestampformat',
      'timekit-outputtimestampformat',
      'timekit-timezone',
    ]) {
      assert.ok(allowed.includes(header), `${header} not allowed in the preflight`);
    }
  });

  it('echoes the Origin on answers, varies on it and exposes Timekit-TestMode', async () => {
    const ok = await api(emulator, '/resources', { auth: appAuth(emulator.testAppKey), headers: { origin } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('access-control-allow-origin'), origin);
    assert.match(ok.headers.get('vary')!, /\bOrigin\b/);
    const exposed = ok.headers.get('access-control-expose-headers')!.toLowerCase().split(/,\s*/);
    assert.ok(exposed.includes('timekit-testmode'));

    // Errors carry the CORS headers too, or a browser could not read them.
    const refused = await api(emulator, '/resources', { headers: { origin } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('access-control-allow-origin'), origin);
  });
});

describe('response headers', () => {
  it('marks test-app answers with Timekit-TestMode: true, and live ones not', async () => {
    const test = await api(emulator, '/resources', { auth: appAuth(emulator.testAppKey) });
    assert.equal(test.status, 200);
    assert.equal(test.headers.get('timekit-testmode'), 'true');
    const live = await api(emulator, '/resources', { auth: appAuth(emulator.appKey) });
    assert.equal(live.status, 200);
    assert.equal(live.headers.get('timekit-testmode'), null);
  });

  it('sends a fresh Timekit-Request-Id, X-RateLimit-Remaining and Cache-Control: no-cache', async () => {
    // The remaining count restarts every minute: only compare two answers from the same minute.
    const minute = () => Math.floor(Date.now() / 60_000);
    let first, second, sameMinute;
    do {
      const before = minute();
      first = await api(emulator, '/resources', { auth: appAuth(emulator.appKey) });
      second = await api(emulator, '/resources', { auth: appAuth(emulator.appKey) });
      sameMinute = before === minute();
    } while (!sameMinute);
    const refused = await api(emulator, '/resources');
    for (const response of [first, second, refused]) {
      assert.match(response.headers.get('timekit-request-id')!, UUID);
      assert.match(response.headers.get('x-ratelimit-remaining')!, /^\d+$/);
      assert.equal(response.headers.get('cache-control'), 'no-cache');
    }
    assert.notEqual(first.headers.get('timekit-request-id'), second.headers.get('timekit-request-id'));
    assert.ok(
      Number(second.headers.get('x-ratelimit-remaining')) < Number(first.headers.get('x-ratelimit-remaining')),
      'X-RateLimit-Remaining should count down',
    );
  });

  it('answers JSON with a JSON content type', async () => {
    const response = await api(emulator, '/resources', { auth: appAuth(emulator.appKey) });
    assert.match(response.headers.get('content-type')!, /^application\/json/);
  });
});

describe('timestamps', () => {
  it('writes RFC 3339 with a colon in the offset', async () => {
    const { resource, auth } = await createResource(emulator);
    const stamps = [resource.created_at, resource.updated_at, resource.calendars[0].created_at, resource.calendars[0].updated_at];
    const credential = await api(emulator, '/credentials', { auth, body: { type: 'client-token', scopes: 'widget' } });
    stamps.push(credential.body.data.expires, credential.body.data.token_generated_at);
    for (const stamp of stamps) assert.match(stamp, RFC3339);
  });

  it('reads offsets with and without a colon', async () => {
    const { auth } = await createResource(emulator);
    for (const expires of ['2099-01-01T10:00:00+01:00', '2099-01-01T10:00:00+0100', '2099-01-01T09:00:00Z']) {
      const response = await api(emulator, '/credentials', { auth, body: { type: 'client-token', scopes: 'widget', expires } });
      assert.equal(response.status, 201, response.text);
      assert.equal(Date.parse(response.body.data.expires), Date.parse('2099-01-01T09:00:00Z'));
    }
  });
});

describe('bodies', () => {
  it('answers malformed JSON with 400', async () => {
    for (const body of ['{"name": ', '{name: "x"}', 'nope', '{"a":1}}']) {
      assertError(await api(emulator, '/resources', { auth: appAuth(emulator.appKey), body }), 400);
    }
  });

  it('answers a JSON body that is not an object with 400', async () => {
    for (const body of ['[]', '"name"', '42', 'null', 'true']) {
      assertError(await api(emulator, '/resources', { auth: appAuth(emulator.appKey), body }), 400);
    }
  });

  it('treats an empty body as {} (so required fields are missing)', async () => {
    const response = await api(emulator, '/resources', { method: 'POST', auth: appAuth(emulator.appKey) });
    assert.equal(response.status, 422);
    assert.ok(response.body.errors.name);
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await api(emulator, '/resources', {
      auth: appAuth(emulator.appKey),
      body: 'name=x&timezone=UTC',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assertError(response, 415);
  });

  it('answers a body over 1 MiB with 413, declared or streamed', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10), timezone: 'UTC' });
    assertError(await api(emulator, '/resources', { auth: appAuth(emulator.appKey), body: huge }), 413);

    // Without a Content-Length (chunked), the limit is enforced while reading.
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"name":"'));
        if (sent > 1.5 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const streamed = await fetch(`${emulator.url}/resources`, {
      method: 'POST',
      headers: { ...appAuth(emulator.appKey), 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
    assert.equal(typeof (await streamed.json()).error, 'string');
  });
});
