/**
 * The Google connect round trip against the real emulator's signup redirect and fake consent:
 * popup and redirect modes, and every refusal (origin, signed-out, return_to, forged, expired and
 * replayed nonces, declined consent).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createCompanion } from '../../../src/companion/index.js';
import { Signer } from '../../../src/companion/signing.js';
import { BASE_PATH, consent, errorCode, OTHER_PAGE, PAGE, postSession, resultOf, SECRET, startRig, type Rig } from './helpers.js';

describe('GET /google/start', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(() => rig.close());

  it('redirects to Timekit signup with a signed nonce in the callback URL under the mount path', async () => {
    const start = await rig.fetch('/google/start', { user: 'u', origin: null, referer: `${PAGE}/settings` });
    assert.equal(start.status, 302);
    assert.equal(start.headers['cache-control'], 'no-store');
    const signup = new URL(start.headers.location!);
    assert.equal(`${signup.origin}${signup.pathname}`, `${rig.emulator.url}/accounts/google/signup`);
    assert.equal(signup.searchParams.get('Timekit-App'), rig.emulator.app);
    const callback = new URL(signup.searchParams.get('callback')!);
    assert.equal(`${callback.origin}${callback.pathname}`, `${rig.url}/google/callback`);
    const claims = new Signer(SECRET).verify('nonce', callback.searchParams.get('nonce')!)!;
    assert.equal(claims.u, 'u');
    assert.equal(claims.o, PAGE);
    assert.equal(claims.r, null, 'popup mode');
    assert.ok((claims.e as number) > Date.now() + 9 * 60_000);
  });

  it('takes the page origin from Origin when a browser sends one', async () => {
    assert.equal((await rig.fetch('/google/start', { user: 'u' })).status, 302);
  });

  it('refuses a navigation from another site, or one that says nothing of its origin (403 origin-not-allowed)', async () => {
    const evil = await rig.fetch('/google/start', { user: 'u', origin: null, referer: `${OTHER_PAGE}/x` });
    assert.equal(evil.status, 403);
    assert.equal(errorCode(evil), 'origin-not-allowed');
    const silent = await rig.fetch('/google/start', { user: 'u', origin: null });
    assert.equal(errorCode(silent), 'origin-not-allowed');
  });

  it('tells the opener when the host user is signed out', async () => {
    const page = await rig.fetch('/google/start', { origin: null, referer: `${PAGE}/settings` });
    assert.equal(page.status, 401);
    const { target, message } = resultOf(page);
    assert.equal(target, PAGE);
    assert.deepEqual({ ok: message.ok, code: message.code }, { ok: false, code: 'unauthenticated' });
  });

  it('refuses return_to on another origin (403 origin-not-allowed), accepts a same-origin path', async () => {
    for (const returnTo of [`${OTHER_PAGE}/done`, '//evil.test/done', 'javascript:alert(1)']) {
      const answer = await rig.fetch(`/google/start?return_to=${encodeURIComponent(returnTo)}`, { user: 'u' });
      assert.equal(answer.status, 403, returnTo);
      assert.equal(errorCode(answer), 'origin-not-allowed', returnTo);
    }
    const ok = await rig.fetch(`/google/start?return_to=${encodeURIComponent('/settings?tab=calendars')}`, { user: 'u' });
    assert.equal(ok.status, 302);
  });

  it('answers 405 to other methods', async () => {
    const post = await rig.fetch('/google/start', { method: 'POST', user: 'u' });
    assert.equal(post.status, 405);
    assert.equal(errorCode(post), 'method-not-allowed');
  });
});

describe('GET /google/callback', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(() => rig.close());

  it('popup: stores the token, syncs, and posts {ok, email} to the exact page origin from a locked-down page', async () => {
    const callback = await consent(rig, 'amy', { identity: 'alex.morgan@example.com' });
    const page = await rig.fetch(callback, { origin: null });
    assert.equal(page.status, 200);
    const { target, message } = resultOf(page);
    assert.equal(target, PAGE);
    assert.deepEqual(message, { source: 'tk-companion', type: 'connect', ok: true, email: 'alex.morgan@example.com' });

    const csp = page.headers['content-security-policy']!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    const script = /<script>(.*?)<\/script>/s.exec(page.body)![1]!;
    assert.ok(csp.includes(`'sha256-${createHash('sha256').update(script).digest('base64')}'`), 'the CSP allows exactly the page script');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-store');

    const record = rig.store.records.get('amy') as { email: string; resourceId: string; accounts: unknown[] };
    assert.equal(record.email, 'alex.morgan@example.com');
    assert.equal(rig.emulator.state.resources.get(record.resourceId)?.email, 'alex.morgan@example.com');
    assert.equal(record.accounts.length, 1);
    assert.ok(rig.count('POST', /^\/accounts\/sync$/) >= 1);
    const session = JSON.parse((await postSession(rig, 'amy')).body);
    assert.equal(session.status, 'ready');
    assert.equal(session.email, 'alex.morgan@example.com');
  });

  it('redirect: sends the browser back to return_to with tk_connect=ok', async () => {
    const callback = await consent(rig, 'bob', { identity: 'noor.haddad@example.com', query: `?return_to=${encodeURIComponent('/settings?tab=calendars')}` });
    const back = await rig.fetch(callback, { origin: null });
    assert.equal(back.status, 303);
    assert.equal(back.headers.location, `${PAGE}/settings?tab=calendars&tk_connect=ok`);
    assert.equal(back.body, '');
    assert.ok(rig.store.records.has('bob'));
  });

  it('declined consent: posts consent-denied (or redirects with it) and stores nothing', async () => {
    const denied = await rig.fetch(await consent(rig, 'cat', { decision: 'deny' }), { origin: null });
    assert.equal(denied.status, 403);
    const { message } = resultOf(denied);
    assert.equal(message.ok, false);
    assert.equal(message.code, 'consent-denied');
    const redirected = await rig.fetch(await consent(rig, 'cat', { decision: 'deny', query: '?return_to=/settings' }), { origin: null });
    assert.equal(redirected.headers.location, `${PAGE}/settings?tk_connect=consent-denied`);
    assert.equal(rig.store.records.has('cat'), false);
  });

  it('refuses a forged, garbled or missing nonce (400 nonce-invalid) and stores nothing', async () => {
    const callback = new URL(await consent(rig, 'dee'));
    const nonce = callback.searchParams.get('nonce')!;
    const [payload, mac] = nonce.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, u: 'mallory' })).toString('base64url');
    const variants = [
      `${forgedPayload}.${mac}`, // another user under the old signature
      new Signer('another-secret-0123456789-abcdefghijklmnop').sign('nonce', { ...claims, u: 'mallory' }), // another key
      new Signer(SECRET).sign('relay', claims), // right key, wrong purpose
      new Signer(SECRET).sign('nonce', { ...claims, o: OTHER_PAGE }), // an origin not allowed
      'garbage',
      '',
    ];
    for (const variant of variants) {
      const url = new URL(callback);
      url.searchParams.set('nonce', variant);
      const answer = await rig.fetch(url.href, { origin: null });
      assert.equal(answer.status, 400, variant);
      assert.equal(errorCode(answer), 'nonce-invalid', variant);
    }
    const none = new URL(callback);
    none.searchParams.delete('nonce');
    assert.equal(errorCode(await rig.fetch(none.href, { origin: null })), 'nonce-invalid');
    assert.equal(rig.store.records.has('mallory'), false);
    assert.equal(rig.store.records.has('dee'), false);
  });

  it('refuses an expired nonce (nonce-expired)', async () => {
    const callback = await consent(rig, 'eli');
    await rig.advance('11 minutes');
    const page = await rig.fetch(callback, { origin: null });
    assert.equal(page.status, 400);
    assert.equal(resultOf(page).message.code, 'nonce-expired');
    assert.equal(rig.store.records.has('eli'), false);
  });

  it('refuses a replayed nonce (nonce-used), on this instance and on another one sharing the store', async () => {
    const callback = await consent(rig, 'flo', { identity: 'jordan.reed@example.com' });
    assert.equal(resultOf(await rig.fetch(callback, { origin: null })).message.ok, true);
    const replay = await rig.fetch(callback, { origin: null });
    assert.equal(replay.status, 400);
    assert.equal(resultOf(replay).message.code, 'nonce-used');

    const second = await consent(rig, 'flo', { identity: 'jordan.reed@example.com' });
    const other = createCompanion({
      apiBase: rig.emulator.url,
      app: rig.emulator.app,
      appKey: rig.emulator.appKey,
      allowedOrigins: [PAGE],
      secret: SECRET,
      store: rig.store,
      basePath: BASE_PATH,
      authenticate: () => null,
    });
    assert.equal(resultOf({ ...(await rig.fetch(second, { origin: null })) }).message.ok, true);
    const elsewhere = await other.handler(new Request(second));
    assert.equal(resultOf({ url: second, status: elsewhere.status, headers: {}, body: await elsewhere.text() }).message.code, 'nonce-used');
  });

  it('refuses a callback whose email Timekit does not know, or that is not a plain address (400 invalid, not a 5xx)', async () => {
    for (const email of ['nobody@example.com', 'toString', 'a@b;name:Ana', 'x@y,z', 'two words@example.com']) {
      const callback = new URL(await consent(rig, 'hal', { identity: 'alex.morgan@example.com' }));
      callback.searchParams.set('email', email);
      const page = await rig.fetch(callback.href, { origin: null });
      assert.equal(page.status, 400, email);
      assert.equal(resultOf(page).message.code, 'invalid', email);
    }
    assert.equal(rig.store.records.has('hal'), false);
  });

  it("refuses a callback pairing a real resource's email with a token Timekit does not accept (400 invalid), and stores nothing", async () => {
    await rig.fetch(await consent(rig, 'ivy', { identity: 'noor.haddad@example.com' }), { origin: null });
    const callback = new URL(await consent(rig, 'jay', { identity: 'alex.morgan@example.com' }));
    callback.searchParams.set('email', 'noor.haddad@example.com');
    callback.searchParams.set('token', 'made-up-token');
    const page = await rig.fetch(callback.href, { origin: null });
    assert.equal(page.status, 400);
    assert.equal(resultOf(page).message.code, 'invalid');
    assert.equal(rig.store.records.has('jay'), false);
  });

  it('reports Timekit failures during the callback to the opener', async () => {
    const callback = await consent(rig, 'gil', { identity: 'alex.morgan@example.com' });
    rig.emulator.faults.add({ kind: 'status', status: 500, path: '/resources', method: 'GET' });
    const page = await rig.fetch(callback, { origin: null });
    assert.equal(page.status, 502);
    assert.equal(resultOf(page).message.code, 'timekit-unavailable');
    assert.equal(rig.store.records.has('gil'), false);
  });
});
