/**
 * POST /session against the real emulator: origins, bodies, signed-out users, and the widget
 * credential cache (reuse, single flight, cleanup, rate limit), counted on the emulator's side.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TkReadySession, TkSessionResponse } from '../../../src/shared/companion-protocol.js';
import { CompanionError, createCompanion } from '../../../src/companion/index.js';
import { connect, errorCode, OTHER_PAGE, PAGE, postSession, SECRET, startRig, type Rig } from './helpers.js';

const ready = (body: string) => {
  const session = JSON.parse(body) as TkSessionResponse;
  assert.equal(session.status, 'ready', body);
  return session as TkReadySession;
};

describe('POST /session: refusals', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(() => rig.close());

  it('answers signed-out, uncached and with CORS for the page, for a user with no Timekit resource', async () => {
    const answer = await postSession(rig, 'nobody-yet');
    assert.equal(answer.status, 200);
    assert.deepEqual(JSON.parse(answer.body), { status: 'signed-out' });
    assert.equal(answer.headers['cache-control'], 'no-store');
    assert.equal(answer.headers['access-control-allow-origin'], PAGE);
    assert.equal(answer.headers['access-control-allow-credentials'], 'true');
    assert.equal(answer.headers.vary, 'Origin');
  });

  it('refuses a request without a signed-in host user (401 unauthenticated)', async () => {
    const answer = await postSession(rig, undefined);
    assert.equal(answer.status, 401);
    assert.equal(errorCode(answer), 'unauthenticated');
    assert.equal(answer.headers['access-control-allow-origin'], PAGE, 'the page can read why');
  });

  it('refuses another origin, with no CORS grant (403 origin-not-allowed)', async () => {
    const answer = await postSession(rig, 'u', { origin: OTHER_PAGE });
    assert.equal(answer.status, 403);
    assert.equal(errorCode(answer), 'origin-not-allowed');
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
  });

  it('refuses a request with no Origin and no Referer, and an Origin of "null"', async () => {
    assert.equal(errorCode(await postSession(rig, 'u', { origin: null })), 'origin-not-allowed');
    assert.equal(errorCode(await postSession(rig, 'u', { origin: 'null' })), 'origin-not-allowed');
  });

  it('answers preflights for allowed origins only', async () => {
    const ok = await rig.fetch('/session', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers['access-control-allow-origin'], PAGE);
    assert.match(ok.headers['access-control-allow-methods']!, /POST/);
    assert.match(ok.headers['access-control-allow-headers']!, /Content-Type/i);
    const refused = await rig.fetch('/session', { method: 'OPTIONS', origin: OTHER_PAGE });
    assert.equal(refused.status, 403);
    assert.equal(refused.headers['access-control-allow-origin'], undefined);
  });

  it('accepts no body or {}, and refuses malformed, non-object, unknown-field and non-JSON bodies (400 invalid)', async () => {
    const json = { 'content-type': 'application/json' };
    assert.equal((await postSession(rig, 'u', { body: '{}', headers: json })).status, 200);
    for (const body of ['{"status":', '[1,2]', '"x"', '{"scopes":["global"]}']) {
      const answer = await postSession(rig, 'u', { body, headers: json });
      assert.equal(answer.status, 400, body);
      assert.equal(errorCode(answer), 'invalid', body);
    }
    assert.equal(errorCode(await postSession(rig, 'u', { body: 'a=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } })), 'invalid');
  });

  it('refuses an oversized body (413 payload-too-large), declared or streamed', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(5000) });
    const declared = await postSession(rig, 'u', { body: big, headers: { 'content-type': 'application/json' } });
    assert.equal(declared.status, 413);
    assert.equal(errorCode(declared), 'payload-too-large');
    const chunks = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(500)));
        controller.close();
      },
    });
    const streamed = await postSession(rig, 'u', { body: chunks, headers: { 'content-type': 'application/json' }, duplex: 'half' } as RequestInit);
    assert.equal(streamed.status, 413);
  });

  it('answers JSON 405 for the wrong method and 404 for unknown routes', async () => {
    const get = await rig.fetch('/session', { user: 'u' });
    assert.equal(get.status, 405);
    assert.equal(errorCode(get), 'method-not-allowed');
    assert.equal(get.headers.allow, 'POST');
    const unknown = await rig.fetch('/nope', { user: 'u' });
    assert.equal(unknown.status, 404);
    assert.equal(errorCode(unknown), 'not-found');
    const relayOff = await startRig({ mode: 'direct' });
    try {
      assert.equal(errorCode(await relayOff.fetch('/api/v2/calendars', { user: 'u' })), 'not-found', 'no relay in direct mode');
    } finally {
      await relayOff.close();
    }
  });

  it('fails with a clear message on bad options, naming every problem', () => {
    assert.throws(
      () => createCompanion({ app: '', appKey: '', allowedOrigins: ['https://ok.example', 'https://x.example/path', '*'], secret: 'short' } as never),
      (error: Error) =>
        error instanceof TypeError &&
        ['app must', 'appKey must', '"https://x.example/path" is not an origin', '"*" is not an origin', 'authenticate must', 'store must', 'secret must'].every((part) =>
          error.message.includes(part),
        ),
    );
    assert.throws(
      () => createCompanion({ app: 'a', appKey: 'k', allowedOrigins: [PAGE], secret: SECRET, store: { get() {}, put() {} } as never, authenticate: () => null, apiBase: 'http://api.timekit.io/v2' }),
      /apiBase must be https/,
    );
  });
});

describe('POST /session: widget credentials', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ allowedOrigins: [PAGE, OTHER_PAGE], mode: 'direct' });
  });
  after(() => rig.close());

  it('answers a ready session whose widget token works from the page origin only', async () => {
    await connect(rig, 'ana', 'yuki.tanaka@example.jp');
    const answer = await postSession(rig, 'ana');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['cache-control'], 'no-store');
    const session = ready(answer.body);
    assert.equal(session.mode, 'direct');
    assert.equal(session.apiBase, rig.emulator.url);
    assert.equal(session.app, rig.emulator.app);
    assert.equal(session.email, 'yuki.tanaka@example.jp');
    assert.equal(session.accounts[0]?.provider_id, 'yuki.tanaka@example.jp');
    assert.equal(session.calendars, undefined);
    assert.ok(Date.parse(session.expiresAt) > Date.now() + 59 * 60_000, 'an hour by default');

    const credential = [...rig.emulator.state.credentials.values()].find((c) => c.token === session.token)!;
    assert.deepEqual(credential.scopes, ['widget']);
    assert.deepEqual(credential.referrer, [PAGE]);
    assert.equal(credential.type, 'client-token');
    assert.equal(credential.resource_id, session.resourceId);

    const findtime = (origin: string) =>
      fetch(`${session.apiBase}/findtime`, {
        method: 'POST',
        headers: { authorization: `Basic ${btoa(`${session.email}:${session.token}`)}`, 'timekit-app': session.app, 'content-type': 'application/json', origin },
        body: JSON.stringify({ resource_ids: [session.resourceId], length: '1 hour', future: '1 day' }),
      });
    assert.equal((await findtime(PAGE)).status, 200);
    assert.equal((await findtime(OTHER_PAGE)).status, 403);
  });

  it('reuses one credential for many sessions, and calls Timekit zero times per cache hit', async () => {
    await connect(rig, 'ben', 'noor.haddad@example.com');
    await postSession(rig, 'ben');
    const before = rig.emulator.requests.length;
    const tokens = new Set<string>();
    for (let i = 0; i < 50; i++) tokens.add(ready((await postSession(rig, 'ben')).body).token);
    assert.equal(tokens.size, 1);
    assert.equal(rig.emulator.requests.length, before, 'no Timekit call on a hit');
  });

  it('mints once for concurrent first requests (single flight)', async () => {
    await connect(rig, 'cleo', 'jordan.reed@example.com');
    const mintsBefore = rig.count('POST', /^\/credentials$/);
    const answers = await Promise.all(Array.from({ length: 25 }, () => postSession(rig, 'cleo')));
    assert.equal(new Set(answers.map((a) => ready(a.body).token)).size, 1);
    assert.equal(rig.count('POST', /^\/credentials$/) - mintsBefore, 1);
  });

  it('keeps one credential per origin', async () => {
    const fromPage = ready((await postSession(rig, 'ana')).body);
    const fromOther = ready((await postSession(rig, 'ana', { origin: OTHER_PAGE })).body);
    assert.notEqual(fromPage.token, fromOther.token);
    const credential = [...rig.emulator.state.credentials.values()].find((c) => c.token === fromOther.token)!;
    assert.deepEqual(credential.referrer, [OTHER_PAGE]);
  });

  it('reuses a live credential after a restart or on another instance (found on Timekit, not minted)', async () => {
    const first = ready((await postSession(rig, 'ben')).body);
    const other = createCompanion({
      apiBase: rig.emulator.url,
      app: rig.emulator.app,
      appKey: rig.emulator.appKey,
      allowedOrigins: [PAGE],
      secret: SECRET,
      store: rig.store,
      authenticate: () => 'ben',
      mode: 'direct',
    });
    const mints = rig.count('POST', /^\/credentials$/);
    const response = await other.handler(new Request('http://companion.test/session', { method: 'POST', headers: { origin: PAGE } }));
    assert.equal(ready(await response.text()).token, first.token);
    assert.equal(rig.count('POST', /^\/credentials$/), mints);
  });

  it('renews after three quarters of the lifetime and deletes its credentials once expired, never others', async () => {
    const first = ready((await postSession(rig, 'ana')).body);
    const deletes = () => rig.count('DELETE', /^\/credentials\//);
    const deletesBefore = deletes();

    await rig.advance('50 minutes'); // past 3/4 of an hour: renew, but the old one is still in use
    const second = ready((await postSession(rig, 'ana')).body);
    assert.notEqual(second.token, first.token);
    assert.equal(deletes(), deletesBefore, 'a replaced credential lives until it expires');

    await rig.advance('50 minutes'); // the first has expired, the second is due for renewal
    const third = ready((await postSession(rig, 'ana')).body);
    assert.notEqual(third.token, second.token);
    const live = new Set([...rig.emulator.state.credentials.values()].map((c) => c.token));
    assert.equal(live.has(first.token), false, 'the expired one is deleted on Timekit');
    assert.equal(live.has(second.token), true, 'the replaced but unexpired one is kept');
    assert.ok(deletes() > deletesBefore);
    // The resource's own token (not the companion's) is never touched.
    const record = rig.store.records.get('ana') as { token: string };
    assert.equal(live.has(record.token), true);

    await rig.advance('2 hours');
    ready((await postSession(rig, 'ana')).body);
    const ours = [...rig.emulator.state.credentials.values()].filter((c) => c.description === 'tk-companion widget credential' && c.referrer[0] === PAGE);
    const anas = ours.filter((c) => c.resource_id === third.resourceId);
    assert.equal(anas.length, 1, 'after two hours only the fresh credential is left');
  });

  it('rate-limits minting per user (429 rate-limited with Retry-After)', async () => {
    const limited = await startRig({ allowedOrigins: [PAGE, OTHER_PAGE], mintsPerMinute: 1 });
    try {
      await connect(limited, 'dan');
      assert.equal((await postSession(limited, 'dan')).status, 200);
      const second = await postSession(limited, 'dan', { origin: OTHER_PAGE });
      assert.equal(second.status, 429);
      assert.equal(errorCode(second), 'rate-limited');
      assert.ok(Number(second.headers['retry-after']) >= 1);
      assert.equal(second.headers['access-control-expose-headers'], 'Retry-After', 'a page on another origin can read the wait');
      assert.equal((await postSession(limited, 'dan')).status, 200, 'cache hits are never limited');
    } finally {
      await limited.close();
    }
  });

  it('maps Timekit failures onto coded errors', async () => {
    await rig.advance('3 hours'); // every cached credential is stale: the next session calls Timekit
    // Twice: a read is tried once more.
    rig.emulator.faults.add({ kind: 'status', status: 500, path: '/credentials', method: 'GET', count: 2 });
    const failing = await postSession(rig, 'ben');
    assert.equal(failing.status, 502);
    assert.equal(errorCode(failing), 'timekit-unavailable');
    rig.emulator.faults.add({ kind: 'status', status: 429, retryAfter: 7, path: '/credentials', method: 'GET' });
    const limited = await postSession(rig, 'ben');
    assert.equal(errorCode(limited), 'rate-limited');
    assert.equal(limited.headers['retry-after'], '7');
    rig.emulator.faults.add({ kind: 'malformed', path: '/credentials', method: 'GET' });
    assert.equal(errorCode(await postSession(rig, 'ben')), 'timekit-unavailable');
    rig.emulator.faults.add({ kind: 'status', status: 401, path: '/credentials', method: 'GET' });
    assert.equal(errorCode(await postSession(rig, 'ben')), 'timekit-rejected');
    assert.equal((await postSession(rig, 'ben')).status, 200, 'recovers once Timekit does');
  });
});

describe('POST /session: options', () => {
  it('preloads calendars when asked, and honours a shorter credential lifetime', async () => {
    const rig = await startRig({ preloadCalendars: true, credentialTtlSeconds: 600 });
    try {
      await connect(rig, 'eve', 'yuki.tanaka@example.jp');
      const session = ready((await postSession(rig, 'eve')).body);
      assert.ok(session.calendars!.some((c) => c.name === '仕事'));
      const lifetime = Date.parse(session.expiresAt) - Date.now();
      assert.ok(lifetime > 590_000 && lifetime <= 600_000, String(lifetime));
    } finally {
      await rig.close();
    }
  });

  it('provisionResource creates a plain resource with a calendar and saves it for the user', async () => {
    const rig = await startRig();
    try {
      const made = await rig.companion.provisionResource('fay', { name: 'Fay Olsen', email: 'fay@example.dk', timezone: 'Europe/Copenhagen' });
      const resource = rig.emulator.state.resources.get(made.resourceId)!;
      assert.equal(resource.email, 'fay@example.dk');
      assert.equal(rig.emulator.state.calendars.get(made.calendarId)?.resource_id, made.resourceId);
      const session = ready((await postSession(rig, 'fay')).body);
      assert.equal(session.resourceId, made.resourceId);
      assert.deepEqual(session.accounts, []);
      await assert.rejects(
        rig.companion.provisionResource('gus', { name: 'Gus', email: 'fay@example.dk', timezone: 'UTC' }),
        (error: CompanionError) => error instanceof CompanionError && error.code === 'email-taken' && /already has a user with the email fay@example\.dk/.test(error.message),
      );
      assert.equal(await rig.store.get('gus'), null, 'nothing stored for a refused provision');
      await assert.rejects(rig.companion.provisionResource('gus', { name: '', email: 'g@example.com', timezone: 'UTC' }), /name must be/);
    } finally {
      await rig.close();
    }
  });
});
