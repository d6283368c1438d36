/**
 * Relay mode against the real emulator: the session hands out the companion's own origin-bound
 * token, the allow-list passes through, and everything else is refused before Timekit sees it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import type { TimekitCalendar, TimekitPage } from '../../../src/shared/timekit.js';
import { Signer } from '../../../src/companion/signing.js';
import { BASE_PATH, connect, consent, errorCode, OTHER_PAGE, PAGE, postSession, SECRET, startRig, type Rig } from './helpers.js';

describe('relay mode', () => {
  let rig: Rig;
  let session: TkReadySession;
  let google: TimekitCalendar;
  const relay = (path: string, init: RequestInit & { origin?: string | null; referer?: string; token?: string | null } = {}) => {
    const { token = session.token, headers, ...rest } = init;
    const withAuth = new Headers(headers);
    if (token !== null) withAuth.set('authorization', `Bearer ${token}`);
    return rig.fetch(`/api/v2${path}`, { ...rest, headers: withAuth });
  };
  const json = { 'content-type': 'application/json' };

  before(async () => {
    rig = await startRig({ mode: 'relay', allowedOrigins: [PAGE, OTHER_PAGE] });
    await connect(rig, 'ana', 'yuki.tanaka@example.jp');
    session = JSON.parse((await postSession(rig, 'ana')).body) as TkReadySession;
    const list = JSON.parse((await relay('/calendars')).body) as TimekitPage<TimekitCalendar>;
    google = list.data.find((c) => c.provider === 'google' && c.provider_primary)!;
  });
  after(() => rig.close());

  it('answers a relay session: the companion as API base with its own token, and a widget credential for the widget endpoints', () => {
    assert.equal(session.status, 'ready');
    assert.equal(session.mode, 'relay');
    assert.equal(session.apiBase, `${BASE_PATH}/api/v2`, "the relay's path: the page resolves it against its endpoint");
    const timekitTokens = new Set([...rig.emulator.state.credentials.values()].map((c) => c.token));
    assert.equal(timekitTokens.has(session.token), false, 'the relay token is the companion’s own');
    assert.ok(Date.parse(session.expiresAt) > Date.now());
    assert.equal(rig.count('POST', /^\/credentials$/), 1);
    const widget = session.widget!;
    assert.equal(widget.apiBase, rig.emulator.url);
    assert.equal(widget.app, rig.emulator.app);
    assert.equal(widget.email, session.email);
    const credential = [...rig.emulator.state.credentials.values()].find((c) => c.token === widget.token)!;
    assert.equal(credential.type, 'client-token');
    assert.deepEqual(credential.scopes, ['widget']);
    assert.deepEqual(credential.referrer, [PAGE]);
    assert.ok(Date.parse(session.expiresAt) <= Date.parse(widget.expiresAt), 'the relay token ends no later than the widget credential');
  });

  it('hands the same relay token out again until three quarters of its life are spent, then a new one', async () => {
    const again = JSON.parse((await postSession(rig, 'ana')).body) as TkReadySession;
    assert.deepEqual([again.token, again.expiresAt], [session.token, session.expiresAt], 'reused: no signing per session request');
    const elsewhere = JSON.parse((await postSession(rig, 'ana', { origin: OTHER_PAGE })).body) as TkReadySession;
    assert.notEqual(elsewhere.token, session.token, 'one per origin');
    await rig.advance('50 minutes');
    const renewed = JSON.parse((await postSession(rig, 'ana')).body) as TkReadySession;
    assert.notEqual(renewed.token, session.token);
    assert.ok(Date.parse(renewed.expiresAt) > Date.parse(session.expiresAt));
    session = renewed;
  });

  it('forwards the allow-list with the resource token and passes Timekit answers through', async () => {
    const list = await relay('/calendars?limit=5&page=1');
    assert.equal(list.status, 200);
    assert.equal(list.headers['access-control-allow-origin'], PAGE);
    assert.equal((JSON.parse(list.body) as TimekitPage<TimekitCalendar>).data.length, 5);

    assert.equal(JSON.parse((await relay(`/calendars/${google.id}`)).body).data.id, google.id);
    const on = await relay(`/calendars/${google.id}`, { method: 'PUT', headers: json, body: JSON.stringify({ provider_sync: true }) });
    assert.deepEqual([on.status, on.body], [204, ''], "Timekit's 204 (the evidence profile) passes through");
    assert.equal(rig.emulator.state.calendars.get(google.id)?.provider_sync, true);

    assert.equal((await relay('/accounts/sync', { method: 'POST' })).status, 200);
    assert.equal((await relay('/accounts/sync/')).status, 200, 'trailing slash');
    assert.equal(JSON.parse((await relay('/accounts')).body).data[0].provider_id, 'yuki.tanaka@example.jp');
    assert.equal((await relay('/calendars/00000000-0000-4000-8000-000000000000')).status, 404, "Timekit's own 404 passes through");
  });

  it("passes Timekit's 503 and its Retry-After through, readable by a page on another origin", async () => {
    rig.emulator.faults.add({ kind: 'status', status: 503, retryAfter: 3, path: '/calendars', method: 'GET' });
    const limited = await relay('/calendars');
    assert.equal(limited.status, 503);
    assert.equal(limited.headers['retry-after'], '3');
    assert.equal(limited.headers['access-control-expose-headers'], 'Retry-After');
    assert.equal((await relay('/calendars')).status, 200, 'the fault was for one call');
  });

  it('refuses renaming a Google calendar, and every call outside the allow-list (403 not-allowed), before Timekit sees it', async () => {
    const before = rig.emulator.requests.length;
    const refused = [
      relay(`/calendars/${google.id}`, { method: 'PUT', headers: json, body: JSON.stringify({ name: 'Renamed' }) }),
      relay(`/calendars/${google.id}`, { method: 'PUT', headers: json, body: JSON.stringify({ provider_sync: false, name: 'Renamed' }) }),
      relay(`/calendars/${google.id}`, { method: 'PUT', headers: json, body: '{}' }),
      relay(`/calendars/${google.id}`, { method: 'DELETE' }),
      relay('/calendars', { method: 'POST', headers: json, body: JSON.stringify({ name: 'New' }) }),
      relay('/credentials', { method: 'POST', headers: json, body: JSON.stringify({ type: 'server-token', scopes: ['global'] }) }),
      relay('/credentials'),
      relay('/resources'),
      relay('/findtime', { method: 'POST', headers: json, body: '{}' }),
      relay('/bookings', { method: 'POST', headers: json, body: '{}' }),
      relay('/calendars?include=credentials'),
      relay('/calendars/../credentials'),
      relay('/accounts/google/signup'),
    ];
    for (const answer of await Promise.all(refused)) {
      assert.equal(answer.status, 403, answer.url);
      assert.equal(errorCode(answer), 'not-allowed', answer.url);
      assert.match(JSON.parse(answer.body).error.message, /The relay forwards only/);
    }
    assert.equal(rig.emulator.requests.length, before, 'nothing reached Timekit');
    assert.equal(rig.emulator.state.calendars.get(google.id)?.name, google.name);
  });

  it('refuses a missing, forged, expired, purpose-swapped or non-canonical token (401 unauthenticated)', async () => {
    const [payload] = session.token.split('.') as [string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const cases = [
      null,
      'not-a-token',
      `${Buffer.from(JSON.stringify({ ...claims, u: 'mallory' })).toString('base64url')}.${session.token.split('.')[1]}`,
      new Signer(SECRET).sign('nonce', claims),
      new Signer(SECRET).sign('relay', { ...claims, e: Date.now() - 1 }),
      // the same signature in spellings base64url decoding would accept: skipped characters, padding
      `${session.token}~~`,
      `${session.token}=`,
      `${session.token.split('.')[0]}=.${session.token.split('.')[1]}`,
    ];
    for (const token of cases) {
      const answer = await relay('/calendars', { token });
      assert.equal(answer.status, 401, String(token));
      assert.equal(errorCode(answer), 'unauthenticated', String(token));
    }
  });

  it('binds the token to its origin (403 origin-not-allowed elsewhere, even another allowed origin)', async () => {
    const otherAllowed = await relay('/calendars', { origin: OTHER_PAGE });
    assert.equal(otherAllowed.status, 403);
    assert.equal(errorCode(otherAllowed), 'origin-not-allowed');
    assert.equal(errorCode(await relay('/calendars', { origin: 'http://evil.example' })), 'origin-not-allowed');
    assert.equal(errorCode(await relay('/calendars', { origin: null })), 'origin-not-allowed');
    // A same-origin GET carries no Origin, only a Referer: accepted.
    assert.equal((await relay('/calendars', { origin: null, referer: `${PAGE}/settings` })).status, 200);
  });

  it('refuses oversized (413) and malformed (400) bodies', async () => {
    const big = await relay(`/calendars/${google.id}`, { method: 'PUT', headers: json, body: JSON.stringify({ provider_sync: true, pad: 'x'.repeat(5000) }) });
    assert.equal(big.status, 413);
    assert.equal(errorCode(big), 'payload-too-large');
    for (const body of ['{"provider_sync":', '[true]', '{"provider_sync":"yes"}']) {
      const answer = await relay(`/calendars/${google.id}`, { method: 'PUT', headers: json, body });
      assert.equal(answer.status, 400, body);
      assert.equal(errorCode(answer), 'invalid', body);
    }
  });

  it('expires with the session, and stops working once the user moves to another resource', async () => {
    await rig.advance('61 minutes');
    assert.equal(errorCode(await relay('/calendars')), 'unauthenticated');
    session = JSON.parse((await postSession(rig, 'ana')).body) as TkReadySession;
    assert.equal((await relay('/calendars')).status, 200);
    const stale = session.token;
    await rig.fetch(await consent(rig, 'ana', { identity: 'noor.haddad@example.com' }), { user: 'ana', origin: null });
    assert.equal((await relay('/calendars', { token: stale })).status, 200, 'the new resource only waits for the provider');
    const accepted = await rig.fetch('/accounts/pending', { method: 'POST', user: 'ana', headers: { 'content-type': 'application/json' }, body: '{"accept":true}' });
    assert.equal(accepted.status, 200, accepted.body);
    assert.equal(errorCode(await relay('/calendars', { token: stale })), 'unauthenticated');
  });
});
