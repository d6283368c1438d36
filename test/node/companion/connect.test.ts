/**
 * The Google connect round trip against the real emulator's signup redirect and fake consent:
 * popup and redirect modes, the binding to the browser and user that started (the account-linking
 * attack refused), the element's state and endpoint, callbacks in the shapes Timekit may send,
 * and every refusal (origin, signed-out, return_to, forged, expired and replayed nonces, declined
 * consent).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { callbackParams } from '../../../src/companion/connect/callback-params.js';
import { createCompanion, toNodeHandler, type NodeContext, type TimekitRecord } from '../../../src/companion/index.js';
import { answerConsent, startEmulator } from '../../../src/emulator/index.js';
import { Signer } from '../../../src/companion/signing.js';
import { jwtAuthenticator, signHs256 } from '../../../src/companion/jwt.js';
import { SIGNUP_SIGNATURE_PARAM, signupSignature } from '../../../src/shared/emulator-signup.js';
import { BASE_PATH, companionOptions, connect, consent, plainResource, errorCode, follow, OTHER_PAGE, PAGE, postSession, resultOf, SECRET, startRig, type Rig, type Seen } from './helpers.js';

const STATE = 'c3RhdGUtb2YtdGhlLWVsZW1lbnQ';

/** The nonce in a callback URL: its last path segment. */
const nonceOf = (callback: string) => new URL(callback).pathname.split('/').at(-1)!;
const hashOf = (id: string) => createHash('sha256').update(id).digest('base64url');

describe('GET /google/start', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(() => rig.close());

  it('redirects to Timekit signup with the signed nonce as a path segment of the callback, and nothing in its query', async () => {
    const start = await rig.fetch(`/google/start?state=${STATE}`, { user: 'u', origin: null, referer: `${PAGE}/settings` });
    assert.equal(start.status, 302);
    assert.equal(start.headers['cache-control'], 'no-store');
    const signup = new URL(start.headers.location!);
    assert.equal(`${signup.origin}${signup.pathname}`, `${rig.emulator.url}/accounts/google/signup`);
    assert.equal(signup.searchParams.get('Timekit-App'), rig.emulator.app);
    const callback = new URL(signup.searchParams.get('callback')!);
    assert.equal(callback.search, '', 'a query Timekit could garble by appending ?email=… as text');
    assert.match(callback.pathname, new RegExp(`^${BASE_PATH}/google/callback/[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}$`));
    const claims = new Signer(SECRET).verify('nonce', nonceOf(callback.href))!;
    assert.equal(claims.u, 'u');
    assert.equal(claims.o, PAGE);
    assert.equal(claims.r, null, 'popup mode');
    assert.equal(claims.s, STATE);
    assert.equal(claims.b, rig.url);
    assert.ok((claims.e as number) > Date.now() + 9 * 60_000);
  });

  it('signs the signup link with the app key for the emulator (a loopback API base), and for no other', async () => {
    const start = await rig.fetch('/google/start', { user: 'u' });
    const signup = new URL(start.headers.location!);
    const expected = await signupSignature(rig.emulator.appKey, rig.emulator.app, signup.searchParams.get('callback')!);
    assert.equal(signup.searchParams.get(SIGNUP_SIGNATURE_PARAM), expected);
    const onTimekit = createCompanion(companionOptions(rig.emulator, { apiBase: 'https://api.timekit.invalid/v2', authenticate: () => 'u' }));
    const answer = await onTimekit.handler(new Request('http://127.0.0.1/google/start', { headers: { referer: `${PAGE}/` } }));
    const timekitSignup = new URL(answer.headers.get('location')!);
    assert.equal(`${timekitSignup.origin}${timekitSignup.pathname}`, 'https://api.timekit.invalid/v2/accounts/google/signup');
    assert.equal(timekitSignup.searchParams.has(SIGNUP_SIGNATURE_PARAM), false);
  });

  it('binds the browser: an HttpOnly, SameSite=Lax cookie per round trip with a hash of the nonce id (no prefix or Secure on http)', async () => {
    const start = await rig.fetch('/google/start', { user: 'u' });
    const callback = new URL(start.headers.location!).searchParams.get('callback')!;
    const hash = hashOf(new Signer(SECRET).verify('nonce', nonceOf(callback))!.n as string);
    assert.equal(start.headers['set-cookie'], `tk_connect_${hash.slice(0, 16)}=${hash}; Path=/; Max-Age=600; HttpOnly; SameSite=Lax`);
  });

  it('on https the cookie is __Host-tk_connect_…, Secure (no sibling subdomain can plant or overwrite it)', async () => {
    const https = await startRig({ publicUrl: 'https://app.test/timekit' });
    try {
      const start = await https.fetch('/google/start', { user: 'u' });
      assert.match(start.headers['set-cookie']!, /^__Host-tk_connect_[A-Za-z0-9_-]{16}=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=600; HttpOnly; SameSite=Lax; Secure$/);
      const callback = new URL(start.headers.location!).searchParams.get('callback')!;
      assert.ok(callback.startsWith('https://app.test/timekit/google/callback/'));
    } finally {
      await https.close();
    }
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

  it('tells the page when the host user is signed out, and echoes the state', async () => {
    const page = await rig.fetch(`/google/start?state=${STATE}`, { origin: null, referer: `${PAGE}/settings` });
    assert.equal(page.status, 401);
    const { target, message } = resultOf(page);
    assert.equal(target, PAGE);
    assert.deepEqual({ ok: message.ok, code: message.code, state: message.state }, { ok: false, code: 'unauthenticated', state: STATE });
    assert.equal(page.headers['set-cookie'], undefined);
  });

  it('refuses a state that is not 1 to 128 characters of base64url (400 invalid)', async () => {
    for (const state of ['', 'x'.repeat(129), `${STATE}!`, `${STATE}=`, 'a b']) {
      const answer = await rig.fetch(`/google/start?state=${encodeURIComponent(state)}`, { user: 'u' });
      assert.equal(answer.status, 400, state);
      assert.equal(errorCode(answer), 'invalid', state);
    }
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

describe("GET /google/start: the callback is always the companion's own, the endpoint only says on which origin", () => {
  /** A second origin the host allows (a staging site, a localhost left in the list). */
  const SECOND_PAGE = 'http://127.0.0.1:5199';
  let rig: Rig;
  // A user per start: each one counts against the per-user limit on connect starts.
  let users = 0;
  const someone = () => `u${++users}`;
  before(async () => {
    rig = await startRig({ allowedOrigins: [PAGE, SECOND_PAGE] });
  });
  after(() => rig.close());

  const callbackFor = async (query: string, headers: Record<string, string> = {}) => {
    const start = await rig.fetch(`/google/start?${query}`, { user: someone(), headers });
    assert.equal(start.status, 302, start.body);
    return new URL(start.headers.location!).searchParams.get('callback')!;
  };

  /** Asserts a start was refused at once, to the page, with `code`, and with no round trip begun. */
  const assertRefused = (answer: Seen, code: string, label: string) => {
    const { target, message } = resultOf(answer);
    assert.equal(target, PAGE, label);
    assert.equal(message.code, code, label);
    assert.equal(answer.headers['set-cookie'], undefined, label);
    assert.equal(answer.headers.location, undefined, `${label}: no redirect to Timekit`);
  };

  it("the companion's mount path on the page's own origin wins over a Host a proxy rewrote (Vite changeOrigin, Next request.url)", async () => {
    const endpoint = `${PAGE}${BASE_PATH}`;
    const callback = await callbackFor(`endpoint=${encodeURIComponent(endpoint)}`, { host: 'internal.test:8787' });
    assert.ok(callback.startsWith(`${endpoint}/google/callback/`), callback);
    assert.equal(new Signer(SECRET).verify('nonce', nonceOf(callback))!.b, endpoint);
  });

  it("the companion's own URL is taken too, trailing slash or not", async () => {
    const callback = await callbackFor(`endpoint=${encodeURIComponent(`${rig.url}/`)}`);
    assert.ok(callback.startsWith(`${rig.url}/google/callback/`), callback);
  });

  it('another path on the page origin is refused (403 endpoint-mismatch): a redirector there would receive the resource token', async () => {
    for (const endpoint of [`${PAGE}/out/${encodeURIComponent('http://evil.test/x')}`, `${PAGE}${BASE_PATH}/google/done`, `${PAGE}/`, `${PAGE}/elsewhere${BASE_PATH}`]) {
      const answer = await rig.fetch(`/google/start?endpoint=${encodeURIComponent(endpoint)}`, { user: someone() });
      assert.equal(answer.status, 403, endpoint);
      assertRefused(answer, 'endpoint-mismatch', endpoint);
      assert.match(String(resultOf(answer).message.message), /publicUrl/);
    }
    assert.ok(rig.logs.some((line) => line.includes('set publicUrl')), 'the host log says what to set');
  });

  it("another allowed origin, or any other, is refused even with the mount path: only the page's own origin is", async () => {
    for (const endpoint of [`${SECOND_PAGE}${BASE_PATH}`, `${OTHER_PAGE}${BASE_PATH}`, `http://evil.test${BASE_PATH}`]) {
      const answer = await rig.fetch(`/google/start?endpoint=${encodeURIComponent(endpoint)}`, { user: someone() });
      assertRefused(answer, 'endpoint-mismatch', endpoint);
    }
  });

  it("an attacker's link, clicked on an allowed origin with a redirector: the token never leaves the companion", async () => {
    // mallory posts `/google/start?endpoint=<SECOND_PAGE>/out/<her server>` where the victim reads it on SECOND_PAGE
    const evil = 'http://127.0.0.1:9/x';
    const link = `/google/start?endpoint=${encodeURIComponent(`${SECOND_PAGE}/out/${encodeURIComponent(evil)}`)}`;
    const answer = await rig.fetch(link, { user: 'bob', origin: null, referer: `${SECOND_PAGE}/messages/42` });
    assert.equal(resultOf(answer).message.code, 'endpoint-mismatch');
    assert.equal(answer.headers.location, undefined, 'no signup URL, so no consent and no callback at all');
    assert.equal(rig.count('GET', /google\/signup/), 0);
  });

  it('an endpoint that is not a plain absolute URL is refused (invalid)', async () => {
    for (const endpoint of ['/timekit', `${PAGE}/timekit?x=1`, `http://user:pw@${new URL(PAGE).host}/timekit`, 'javascript:alert(1)']) {
      const answer = await rig.fetch(`/google/start?endpoint=${encodeURIComponent(endpoint)}`, { user: someone() });
      assertRefused(answer, 'invalid', endpoint);
    }
  });

  it('with publicUrl, the callback is publicUrl, and an endpoint that differs from it is refused', async () => {
    const fixed = await startRig({ publicUrl: `${PAGE}/fixed` });
    try {
      const same = await fixed.fetch(`/google/start?endpoint=${encodeURIComponent(`${PAGE}/fixed/`)}`, { user: someone() });
      assert.ok(new URL(same.headers.location!).searchParams.get('callback')!.startsWith(`${PAGE}/fixed/google/callback/`));
      const other = await fixed.fetch(`/google/start?endpoint=${encodeURIComponent(`${PAGE}/elsewhere`)}`, { user: someone() });
      assertRefused(other, 'endpoint-mismatch', 'publicUrl');
    } finally {
      await fixed.close();
    }
  });
});

describe('GET /google/callback/<nonce>', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
  });
  after(() => rig.close());

  it('popup: stores the token, syncs, and moves on (303) to a locked-down result page whose URL carries no token', async () => {
    const callback = await consent(rig, 'amy', { identity: 'alex.morgan@example.com', query: `?state=${STATE}` });
    assert.match(callback, /[?&]token=/, 'Timekit sends the token in the callback URL');
    const answer = await rig.fetch(callback, { user: 'amy', origin: null });
    assert.equal(answer.status, 303);
    assert.equal(answer.body, '');
    assert.match(answer.headers['set-cookie']!, /^tk_connect_[A-Za-z0-9_-]{16}=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/, 'the binding cookie is cleared');
    const location = answer.headers.location!;
    assert.match(location, /^\.\.\/done\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/, 'relative, so it stays on the origin and path the browser used');
    const record = rig.store.records.get('amy') as { email: string; token: string; resourceId: string; accounts: unknown[] };
    assert.ok(!location.includes(record.token));

    const page = await follow(rig, answer);
    assert.equal(new URL(page.url).pathname.startsWith(`${BASE_PATH}/google/done/`), true);
    assert.equal(page.status, 200);
    const { target, message } = resultOf(page);
    assert.equal(target, PAGE);
    assert.deepEqual(message, { source: 'tk-companion', type: 'connect', ok: true, email: 'alex.morgan@example.com', state: STATE });
    assert.ok(!page.body.includes(record.token));

    const csp = page.headers['content-security-policy']!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /frame-ancestors 'none'/);
    const script = /<script>(.*?)<\/script>/s.exec(page.body)![1]!;
    assert.ok(csp.includes(`'sha256-${createHash('sha256').update(script).digest('base64')}'`), 'the CSP allows exactly the page script');
    assert.ok(!script.includes('opener'), 'the page answers the ping, and never uses an opener');
    assert.equal(page.headers['x-frame-options'], 'DENY');
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.equal(page.headers['cache-control'], 'no-store');

    assert.equal(record.email, 'alex.morgan@example.com');
    assert.equal(rig.emulator.state.resources.get(record.resourceId)?.email, 'alex.morgan@example.com');
    assert.equal(record.accounts.length, 1);
    assert.ok(rig.count('POST', /^\/accounts\/sync$/) >= 1);
    const session = JSON.parse((await postSession(rig, 'amy')).body);
    assert.equal(session.status, 'ready');
    assert.equal(session.email, 'alex.morgan@example.com');
  });

  it('two connects at once in one browser (two tabs) both finish: one cookie each', async () => {
    const first = await consent(rig, 'two', { identity: 'alex.morgan@example.com' });
    const second = await consent(rig, 'two', { identity: 'noor.haddad@example.com' });
    assert.equal(resultOf(await follow(rig, await rig.fetch(first, { user: 'two', origin: null }))).message.ok, true);
    assert.equal(resultOf(await follow(rig, await rig.fetch(second, { user: 'two', origin: null }))).message.ok, true);
    // The second resource waits for the provider's yes rather than replacing the first (pending.ts).
    const record = rig.store.records.get('two') as TimekitRecord;
    assert.deepEqual([record.email, record.pending?.email], ['alex.morgan@example.com', 'noor.haddad@example.com']);
  });

  it('a result page URL shows its outcome for two minutes only, and a forged one nothing', async () => {
    const page = await follow(rig, await rig.fetch(await consent(rig, 'ari', { identity: 'jordan.reed@example.com' }), { user: 'ari', origin: null }));
    assert.equal(page.status, 200);
    await rig.advance('3 minutes');
    const stale = await rig.fetch(page.url, { origin: null });
    assert.equal(stale.status, 410);
    assert.doesNotMatch(stale.body, /tk-result/);
    const forged = new Signer('another-secret-0123456789-abcdefghijklmnop').sign('result', { t: PAGE, m: { ok: true }, s: 200, e: Date.now() + 60_000 });
    const answer = await rig.fetch(`/google/done/${forged}`, { origin: null });
    assert.equal(answer.status, 400);
    assert.equal(errorCode(answer), 'invalid');
  });

  it('redirect: sends the browser back to return_to with tk_connect=ok and the state', async () => {
    const callback = await consent(rig, 'bob', {
      identity: 'noor.haddad@example.com',
      query: `?state=${STATE}&return_to=${encodeURIComponent('/settings?tab=calendars')}`,
    });
    const back = await rig.fetch(callback, { user: 'bob', origin: null });
    assert.equal(back.status, 303);
    assert.equal(back.headers.location, `${PAGE}/settings?tab=calendars&tk_connect=ok&tk_state=${STATE}`);
    assert.equal(back.body, '');
    assert.ok(rig.store.records.has('bob'));
  });

  it('Microsoft 365: the same round trip through /microsoft/start, Timekit\'s Microsoft signup and /microsoft/callback', async () => {
    const start = await rig.fetch(`/microsoft/start?state=${STATE}`, { user: 'mia', origin: null, referer: `${PAGE}/settings` });
    assert.equal(new URL(start.headers.location!).pathname, '/v2/accounts/microsoft/signup');
    const callback = await consent(rig, 'mia', { provider: 'microsoft', identity: 'dana.whitfield@contoso.example', query: `?state=${STATE}` });
    assert.match(new URL(callback).pathname, /\/microsoft\/callback\/[^/]+$/);
    const page = await follow(rig, await rig.fetch(callback, { user: 'mia', origin: null }));
    assert.ok(new URL(page.url).pathname.startsWith(`${BASE_PATH}/microsoft/done/`));
    assert.match(page.body, /<title>Microsoft 365 calendar connected<\/title>/);
    assert.deepEqual(resultOf(page).message, { source: 'tk-companion', type: 'connect', ok: true, email: 'dana.whitfield@contoso.example', state: STATE });
    const record = rig.store.records.get('mia') as { accounts: { provider: string; provider_id: string }[] };
    assert.deepEqual(record.accounts.map((a) => [a.provider, a.provider_id]), [['microsoft', 'dana.whitfield@contoso.example']]);
  });

  it("a nonce or result signed for one provider's path is refused on the other's", async () => {
    const callback = new URL(await consent(rig, 'max', { provider: 'microsoft', identity: 'dana.whitfield@contoso.example' }));
    const swapped = new URL(callback.href.replace('/microsoft/callback/', '/google/callback/'));
    const refused = await rig.fetch(swapped.href, { user: 'max', origin: null });
    assert.equal(refused.status, 400);
    assert.equal(errorCode(refused), 'nonce-invalid');
    const answer = await rig.fetch(callback.href, { user: 'max', origin: null });
    const done = new URL(answer.headers.location!, answer.url).href;
    assert.equal((await rig.fetch(done.replace('/microsoft/done/', '/google/done/'), { origin: null })).status, 400);
    assert.equal((await rig.fetch(done, { origin: null })).status, 200);
  });

  it('declined consent: consent-denied (or a redirect with it) and nothing stored', async () => {
    const denied = await follow(rig, await rig.fetch(await consent(rig, 'cat', { decision: 'deny' }), { user: 'cat', origin: null }));
    assert.equal(denied.status, 403);
    const { message } = resultOf(denied);
    assert.equal(message.ok, false);
    assert.equal(message.code, 'consent-denied');
    const redirected = await rig.fetch(await consent(rig, 'cat', { decision: 'deny', query: '?return_to=/settings' }), { user: 'cat', origin: null });
    assert.equal(redirected.headers.location, `${PAGE}/settings?tk_connect=consent-denied`);
    assert.equal(rig.store.records.has('cat'), false);
  });

  it('a decline that comes back with no parameter at all reads as consent-denied, not invalid', async () => {
    const callback = new URL(await consent(rig, 'cal', { decision: 'deny' }));
    callback.search = '';
    const page = await follow(rig, await rig.fetch(callback.href, { user: 'cal', origin: null }));
    assert.equal(resultOf(page).message.code, 'consent-denied');
    assert.equal(rig.store.records.has('cal'), false);
  });

  it('survives Timekit appending ?email=…&token=… as plain text: not percent-encoded, after a second ?', async () => {
    const callback = new URL(await consent(rig, 'dot', { identity: 'yuki.tanaka@example.jp' }));
    const email = callback.searchParams.get('email')!;
    const token = callback.searchParams.get('token')!;
    const base = `${callback.origin}${callback.pathname}`;
    const asText = await follow(rig, await rig.fetch(`${base}?email=${email}&token=${token}`, { user: 'dot', origin: null }));
    assert.equal(resultOf(asText).message.ok, true);
    assert.equal((rig.store.records.get('dot') as { email: string }).email, email);
  });

  it('a "+" in an unencoded email stays a "+" all the way to the stored record', async () => {
    // A plain resource whose email has a plus, and Timekit's append for it, as text.
    const email = 'sam+work@example.org';
    const made = await plainResource(rig, { name: 'Sam', email, timezone: 'Europe/Berlin' });
    const base = new URL(await consent(rig, 'sam'));
    base.search = '';
    const page = await follow(rig, await rig.fetch(`${base.href}?email=${email}&token=${made.token}`, { user: 'sam', origin: null }));
    assert.equal(resultOf(page).message.ok, true, page.body);
    assert.deepEqual(rig.store.records.get('sam'), { resourceId: made.id, email, token: made.token, accounts: [] });
  });

  it('refuses a forged, garbled, non-canonical or missing nonce (400 nonce-invalid) and stores nothing', async () => {
    const callback = new URL(await consent(rig, 'dee'));
    const nonce = nonceOf(callback.href);
    const [payload, mac] = nonce.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, u: 'mallory' })).toString('base64url');
    // The MAC's last character carries 2 unused bits: flipping them decodes to the same bytes.
    const last = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(mac.at(-1)!);
    const sameBytes = `${mac.slice(0, -1)}${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'[last ^ 1]}`;
    assert.deepEqual(Buffer.from(sameBytes, 'base64url'), Buffer.from(mac, 'base64url'));
    const variants = [
      `${forgedPayload}.${mac}`, // another user under the old signature
      new Signer('another-secret-0123456789-abcdefghijklmnop').sign('nonce', { ...claims, u: 'mallory' }), // another key
      new Signer(SECRET).sign('relay', claims), // right key, wrong purpose
      new Signer(SECRET).sign('nonce', { ...claims, o: OTHER_PAGE }), // an origin not allowed
      `${nonce}~~`, // characters base64url decoding skips
      `${nonce}==`, // padding
      `${payload}.${sameBytes}`, // the same MAC bytes, spelled differently
      `${payload}=.${mac}`,
      'garbage',
    ];
    for (const variant of variants) {
      const url = new URL(callback);
      url.pathname = `${BASE_PATH}/google/callback/${encodeURIComponent(variant)}`;
      const answer = await rig.fetch(url.href, { user: 'dee', origin: null });
      assert.equal(answer.status, 400, variant);
      assert.equal(errorCode(answer), 'nonce-invalid', variant);
    }
    for (const path of [`${BASE_PATH}/google/callback`, `${BASE_PATH}/google/callback/`]) {
      const answer = await rig.fetch(`${callback.origin}${path}${callback.search}`, { user: 'dee', origin: null });
      assert.equal(errorCode(answer), 'nonce-invalid', path);
    }
    assert.equal(rig.store.records.has('mallory'), false);
    assert.equal(rig.store.records.has('dee'), false);
    // and the genuine one still works afterwards
    assert.equal(resultOf(await follow(rig, await rig.fetch(callback.href, { user: 'dee', origin: null }))).message.ok, true);
  });

  it('refuses an expired nonce (nonce-expired)', async () => {
    const callback = await consent(rig, 'eli');
    await rig.advance('11 minutes');
    const page = await follow(rig, await rig.fetch(callback, { user: 'eli', origin: null }));
    assert.equal(page.status, 400);
    assert.equal(resultOf(page).message.code, 'nonce-expired');
    assert.equal(rig.store.records.has('eli'), false);
  });

  it('refuses a replayed nonce (nonce-used), on this instance and on another one sharing the store', async () => {
    const callback = await consent(rig, 'flo', { identity: 'jordan.reed@example.com' });
    assert.equal(resultOf(await follow(rig, await rig.fetch(callback, { user: 'flo', origin: null }))).message.ok, true);
    const replay = await follow(rig, await rig.fetch(callback, { user: 'flo', origin: null }));
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
      authenticate: () => 'flo',
    });
    assert.equal(resultOf(await follow(rig, await rig.fetch(second, { user: 'flo', origin: null }))).message.ok, true);
    // The id is burned before anything else is looked at: no binding cookie needed to see it used.
    const elsewhere = await other.handler(new Request(second));
    assert.equal(elsewhere.status, 303);
    const done = await other.handler(new Request(new URL(elsewhere.headers.get('location')!, second)));
    assert.equal(resultOf({ url: second, status: done.status, headers: {}, body: await done.text() }).message.code, 'nonce-used');
  });

  it('refuses a callback whose email Timekit does not know, or that is not a plain address (400 invalid, not a 5xx)', async () => {
    for (const email of ['nobody@example.com', 'toString', 'a@b;name:Ana', 'x@y,z', 'two words@example.com']) {
      const callback = new URL(await consent(rig, 'hal', { identity: 'alex.morgan@example.com' }));
      callback.searchParams.set('email', email);
      const page = await follow(rig, await rig.fetch(callback.href, { user: 'hal', origin: null }));
      assert.equal(page.status, 400, email);
      assert.equal(resultOf(page).message.code, 'invalid', email);
    }
    assert.equal(rig.store.records.has('hal'), false);
  });

  it("refuses a callback pairing a real resource's email with a token Timekit does not accept (400 invalid), and stores nothing", async () => {
    await rig.fetch(await consent(rig, 'ivy', { identity: 'noor.haddad@example.com' }), { user: 'ivy', origin: null });
    const callback = new URL(await consent(rig, 'jay', { identity: 'alex.morgan@example.com' }));
    callback.searchParams.set('email', 'noor.haddad@example.com');
    callback.searchParams.set('token', 'made-up-token');
    const page = await follow(rig, await rig.fetch(callback.href, { user: 'jay', origin: null }));
    assert.equal(page.status, 400);
    assert.equal(resultOf(page).message.code, 'invalid');
    assert.equal(rig.store.records.has('jay'), false);
  });

  it('reports Timekit failures during the callback to the page', async () => {
    const callback = await consent(rig, 'gil', { identity: 'alex.morgan@example.com' });
    // Twice: a read is tried once more.
    rig.emulator.faults.add({ kind: 'status', status: 500, path: '/resources', method: 'GET', count: 2 });
    const page = await follow(rig, await rig.fetch(callback, { user: 'gil', origin: null }));
    assert.equal(page.status, 502);
    assert.equal(resultOf(page).message.code, 'timekit-unavailable');
    assert.equal(rig.store.records.has('gil'), false);
  });
});

for (const mode of ['direct', 'relay'] as const) {
  describe(`account-linking CSRF (${mode} mode): an attacker starts, a victim finishes`, () => {
    let rig: Rig;
    before(async () => {
      rig = await startRig({ mode });
    });
    after(() => rig.close());

    /** mallory (a user of the host app) starts a connect and sends the signup link to a provider. */
    const attackersLink = (query = '') => consent(rig, 'mallory', { identity: 'yuki.tanaka@example.jp', query });

    async function refused(answer: Seen) {
      const page = await follow(rig, answer);
      assert.equal(page.status, 403);
      const { message } = resultOf(page);
      assert.equal(message.code, 'connect-elsewhere');
      assert.match(String(message.message), /another browser or by another account/);
      assert.match(page.body, /started in another browser/);
      return page;
    }

    async function nothingStored() {
      assert.equal(rig.store.records.has('mallory'), false);
      assert.equal(rig.store.records.has('bob'), false);
      assert.equal(JSON.parse((await postSession(rig, 'mallory')).body).status, 'signed-out');
    }

    it('the victim, signed in as herself in her own browser, clicks Allow on the link: refused, nothing stored', async () => {
      await refused(await rig.fetch(await attackersLink(), { user: 'bob', origin: null }));
      await nothingStored();
    });

    it('the victim, not signed in to the host app at all: refused', async () => {
      await refused(await rig.fetch(await attackersLink(), { browser: 'victim', origin: null }));
      await nothingStored();
    });

    it("the attacker's own login planted in the victim's browser (cookie tossing) is not enough: the binding cookie is missing", async () => {
      await refused(await rig.fetch(await attackersLink(), { user: 'mallory', browser: 'victim', origin: null }));
      await nothingStored();
    });

    it("the attacker's binding cookie with another user signed in (a shared browser) is refused too", async () => {
      await refused(await rig.fetch(await attackersLink(), { user: 'bob', browser: 'mallory', origin: null }));
      await nothingStored();
    });

    it('redirect mode: the victim lands on return_to with tk_connect=connect-elsewhere, nothing stored', async () => {
      const back = await rig.fetch(await attackersLink(`?state=${STATE}&return_to=/settings`), { user: 'bob', origin: null });
      assert.equal(back.status, 303);
      assert.equal(back.headers.location, `${PAGE}/settings?tk_connect=connect-elsewhere&tk_state=${STATE}`);
      await nothingStored();
    });

    it('the same link finished by the attacker in her own browser still works (the check is who finishes, not the link)', async () => {
      const page = await follow(rig, await rig.fetch(await attackersLink(), { user: 'mallory', origin: null }));
      assert.equal(resultOf(page).message.ok, true);
      assert.equal((rig.store.records.get('mallory') as { email: string }).email, 'yuki.tanaka@example.jp');
    });
  });
}

describe('callbackParams: the callback query as Timekit may append it', () => {
  it('splits on & and on a second ?, keeps + as a plus, decodes percent escapes, first value wins', () => {
    assert.deepEqual(Object.fromEntries(callbackParams('email=a+b@x.org&token=T')), { email: 'a+b@x.org', token: 'T' });
    assert.deepEqual(Object.fromEntries(callbackParams('x=1?email=a%2Bb%40x.org&token=T')), { x: '1', email: 'a+b@x.org', token: 'T' });
    assert.deepEqual(Object.fromEntries(callbackParams('email=first@x.org&email=second@x.org')), { email: 'first@x.org' });
    assert.deepEqual(Object.fromEntries(callbackParams('error&&=x&token=%zz')), { error: '', token: '%zz' });
    assert.deepEqual(Object.fromEntries(callbackParams('')), {});
  });
});

describe("cookie tossing: the attacker's login cookie planted by a sibling subdomain (tk-companion's JWT login)", () => {
  const JWT_SECRET = 'jwt-secret-0123456789-abcdefghijklmnopqrstuv';
  let rig: Rig;
  before(async () => {
    rig = await startRig({ authenticate: jwtAuthenticator(JWT_SECRET) });
  });
  after(() => rig.close());

  const jwt = (sub: string) => signHs256({ sub, iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 600 }, JWT_SECRET);
  /** bob's own login, as the host sets it; mallory's, as `Domain=<parent>; Path=/google`, which browsers send first. */
  const own = () => `__Host-tk_companion_jwt=${jwt('bob')}`;
  const tossed = () => `tk_companion_jwt=${jwt('mallory')}`;

  function assertNothingStored() {
    assert.equal(rig.store.records.has('mallory'), false, "nothing under mallory's account");
    assert.equal(rig.store.records.has('bob'), false);
  }

  it('the victim clicks Connect with the tossed cookie in her jar: the start signs nobody in, no round trip begins', async () => {
    const start = await rig.fetch('/google/start', { browser: 'bob', origin: null, referer: `${PAGE}/settings`, headers: { cookie: `${tossed()}; ${own()}` } });
    assert.equal(start.status, 401);
    assert.equal(resultOf(start).message.code, 'unauthenticated');
    assert.equal(start.headers['set-cookie'], undefined);
    assertNothingStored();
  });

  it('a cookie tossed between her start and her Allow: the callback is refused, nothing stored', async () => {
    const start = await rig.fetch('/google/start', { browser: 'bob2', origin: null, referer: `${PAGE}/settings`, headers: { cookie: own() } });
    assert.equal(start.status, 302);
    const callback = await answerConsent(start.headers.location!, { identity: 'yuki.tanaka@example.jp' });
    const page = await follow(rig, await rig.fetch(callback, { browser: 'bob2', origin: null, headers: { cookie: `${tossed()}; ${own()}` } }));
    assert.equal(resultOf(page).message.code, 'connect-elsewhere');
    assertNothingStored();
  });

  it("plain http: mallory's own start, with its binding cookie and her login planted in the victim's browser, is refused", async () => {
    const start = await rig.fetch('/google/start', { browser: 'mallory', origin: null, referer: `${PAGE}/settings`, headers: { cookie: tossed() } });
    const binding = start.headers['set-cookie']!.split(';')[0]!;
    const callback = await answerConsent(start.headers.location!, { identity: 'yuki.tanaka@example.jp' });
    const cookie = `${tossed()}; ${binding}; tk_companion_jwt=${jwt('bob')}`;
    const page = await follow(rig, await rig.fetch(callback, { browser: 'victim', origin: null, headers: { cookie } }));
    assert.equal(resultOf(page).message.code, 'connect-elsewhere');
    assertNothingStored();
  });

  it('without a tossed cookie the same round trip stores her calendar under her own account', async () => {
    const start = await rig.fetch('/google/start', { browser: 'bob3', origin: null, referer: `${PAGE}/settings`, headers: { cookie: own() } });
    const callback = await answerConsent(start.headers.location!, { identity: 'yuki.tanaka@example.jp' });
    const page = await follow(rig, await rig.fetch(callback, { browser: 'bob3', origin: null, headers: { cookie: own() } }));
    assert.equal(resultOf(page).message.ok, true);
    assert.equal((rig.store.records.get('bob') as { email: string }).email, 'yuki.tanaka@example.jp');
    assert.equal(rig.store.records.has('mallory'), false);
  });
});

describe('user ids that are not well-formed Unicode, or hold NUL, are nobody', () => {
  let rig: Rig;
  let seenUser: string;
  before(async () => {
    rig = await startRig({ authenticate: () => seenUser });
  });
  after(() => rig.close());

  it('answers signed-out (never 500, never another user\'s record) for lone surrogates and NUL', async () => {
    await rig.store.put('dana\ufffd', { resourceId: 'r', email: 'sam.lee@example.com', token: 't', accounts: [] });
    for (const id of ['dana\ud800', 'dana\udfff', 'a\u0000b', '\ud800']) {
      seenUser = id;
      const answer = await rig.fetch('/session', { method: 'POST' });
      assert.equal(answer.status, 401, JSON.stringify(id));
      assert.equal(errorCode(answer), 'unauthenticated', JSON.stringify(id));
      const start = await rig.fetch('/google/start', {});
      assert.equal(resultOf(start).message.code, 'unauthenticated', JSON.stringify(id));
    }
  });

  it('provisionResource refuses such an id with a TypeError', async () => {
    for (const id of ['dana\ud800', 'a\u0000b']) {
      await assert.rejects(rig.companion.provisionResource(id, { name: 'Dana', email: 'dana@example.com', timezone: 'UTC' }), TypeError);
    }
  });
});

describe('the mount path, when basePath is missing or wrong and the element sends no endpoint', () => {
  /** A host server that mounts the companion at /timekit the way Express (baseUrl) or Connect (originalUrl only) does. */
  async function mounted(kind: 'express' | 'connect', basePath?: string) {
    const emulator = await startEmulator({ port: 0 });
    const handler = toNodeHandler(
      createCompanion<NodeContext>(companionOptions(emulator, { ...(basePath === undefined ? {} : { basePath }), authenticate: () => 'u' })),
    );
    const server = createServer((req, res) => {
      const url = req.url!;
      if (!url.startsWith('/timekit/')) return void res.writeHead(404).end();
      Object.assign(req, kind === 'express' ? { originalUrl: url, baseUrl: '/timekit' } : { originalUrl: url });
      req.url = url.slice('/timekit'.length);
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const close = async () => {
      await new Promise((resolve) => server.close(resolve));
      await emulator.close();
    };
    return { origin, close };
  }

  for (const [kind, basePath] of [
    ['express', undefined],
    ['express', '/wrong'],
    ['connect', undefined],
  ] as const) {
    it(`${kind}${basePath ? ` with basePath ${basePath}` : ', no basePath'}: the callback is under the mount the host used`, async () => {
      const host = await mounted(kind, basePath);
      try {
        const start = await fetch(`${host.origin}/timekit/google/start`, { redirect: 'manual', headers: { referer: `${PAGE}/` } });
        assert.equal(start.status, 302);
        const callback = new URL(start.headers.get('location')!).searchParams.get('callback')!;
        assert.ok(callback.startsWith(`${host.origin}/timekit/google/callback/`), callback);
      } finally {
        await host.close();
      }
    });
  }
});

describe('connect on both sides of the emulator switches for the callback and the resource search', () => {
  const switches = ['callbackAsText', 'denyWithoutError', 'searchIgnoresUnknown'] as const;
  for (const name of switches) {
    for (const on of [false, true]) {
      it(`${name} ${on ? 'on' : 'off'}: the right resource is stored, a decline reads as consent-denied`, async () => {
        const rig = await startRig({}, { profile: 'optimistic', switches: { [name]: on } });
        try {
          assert.equal(rig.emulator.fidelity[name], on);
          // Another provider connected first: an ignored search lists her before the one asked for.
          await connect(rig, 'first', 'alex.morgan@example.com');
          const page = await connect(rig, 'amy', 'noor.haddad@example.com');
          assert.equal(resultOf(page).message.ok, true, page.body);
          const record = rig.store.records.get('amy') as { email: string; resourceId: string };
          assert.equal(record.email, 'noor.haddad@example.com');
          assert.equal(rig.emulator.state.resources.get(record.resourceId)?.email, 'noor.haddad@example.com', 'the resource of that email, not the first listed');
          const denied = await follow(rig, await rig.fetch(await consent(rig, 'cat', { decision: 'deny' }), { user: 'cat', origin: null }));
          assert.equal(resultOf(denied).message.code, 'consent-denied');
          assert.equal(rig.store.records.has('cat'), false);
        } finally {
          await rig.close();
        }
      });
    }
  }

  it('the evidence profile (every switch on the side the evidence points to): connect stores the right resource', async () => {
    const rig = await startRig({}, { profile: 'evidence' });
    try {
      await connect(rig, 'first', 'alex.morgan@example.com');
      const page = await connect(rig, 'amy', 'jordan.reed@example.com');
      assert.equal(resultOf(page).message.ok, true, page.body);
      const record = rig.store.records.get('amy') as { resourceId: string };
      assert.equal(rig.emulator.state.resources.get(record.resourceId)?.email, 'jordan.reed@example.com');
    } finally {
      await rig.close();
    }
  });
});
