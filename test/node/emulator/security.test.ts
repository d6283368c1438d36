/**
 * The emulator is safe to run on a laptop: random app keys per run, CORS only for listed origins
 * (loopback by default), the control API behind a token or off, a CSRF token on the consent form,
 * callbacks only to listed origins (loopback by default), a warning off loopback, the state file
 * readable by its owner only, and secrets compared in constant time.
 */
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, mock } from 'node:test';
import { answerConsent, signedSignupUrl, type Emulator } from '../../../src/emulator/index.js';
import {
  A_CALLBACK,
  ALEX,
  api,
  appAuth,
  assertError,
  assertInvalid,
  consentCsrf,
  createResource,
  googleLogin,
  MONDAY_NOON,
  rawRequest,
  signupFor,
  start,
  unescapeHtml,
} from './helpers.js';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'tk-emulator-security-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

const bearer = (token: string | null) => ({ authorization: `Bearer ${token}` });

describe('app keys', () => {
  it('are random per run unless given, and a state file keeps them across a restart', async () => {
    const stateFile = join(dir, 'keys.json');
    const first = await start({ stateFile });
    const second = await start();
    const given = await start({ app: { appKey: 'live_api_key_mine', testAppKey: 'test_api_key_mine' } });
    try {
      assert.match(first.appKey, /^live_api_key_[A-Za-z0-9_-]{32}$/);
      assert.match(first.testAppKey, /^test_api_key_[A-Za-z0-9_-]{32}$/);
      assert.notEqual(first.appKey, second.appKey);
      assert.notEqual(first.testAppKey, second.testAppKey);
      assertError(await api(second, '/resources', { auth: appAuth(first.appKey) }), 401);
      assert.equal((await api(given, '/resources', { auth: appAuth('live_api_key_mine') })).status, 200);
      assert.equal((await api(given, '/resources', { auth: appAuth('test_api_key_mine') })).status, 200);
    } finally {
      await Promise.all([first.close(), second.close(), given.close()]);
    }
    const restarted = await start({ stateFile });
    try {
      assert.equal(restarted.appKey, first.appKey);
      assert.equal(restarted.testAppKey, first.testAppKey);
    } finally {
      await restarted.close();
    }
  });
});

describe('CORS', () => {
  const grant = async (emulator: Emulator, origin: string) => {
    const answer = await api(emulator, '/resources', { auth: appAuth(emulator.appKey), headers: { origin } });
    const preflight = await fetch(`${emulator.url}/resources`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(answer.headers.get('access-control-allow-origin'), preflight.headers.get('access-control-allow-origin'));
    return answer.headers.get('access-control-allow-origin');
  };

  it('by default lets pages on loopback origins (any port) read answers, and no other page', async () => {
    const emulator = await start();
    try {
      for (const origin of ['http://localhost:5173', 'http://127.0.0.1:1', 'https://app.localhost:8443', 'http://[::1]:8000']) {
        assert.equal(await grant(emulator, origin), origin, origin);
      }
      for (const origin of ['https://evil.test', 'http://localhost.evil.test:5173', 'http://127.0.0.1.evil.test', 'null']) {
        assert.equal(await grant(emulator, origin), null, origin);
      }
    } finally {
      await emulator.close();
    }
  });

  it('with corsOrigins lets exactly those origins read answers', async () => {
    const emulator = await start({ corsOrigins: ['http://app.test:5173/'] });
    try {
      assert.equal(await grant(emulator, 'http://app.test:5173'), 'http://app.test:5173');
      assert.equal(await grant(emulator, 'http://localhost:5173'), null);
      assert.equal(await grant(emulator, 'http://app.test:5174'), null);
    } finally {
      await emulator.close();
    }
    await assert.rejects(start({ corsOrigins: ['app.test'] }), /A CORS origin must be an origin/);
  });
});

describe('the control API', () => {
  it('needs the bearer token the emulator object carries (401 without it, or with another)', async () => {
    const emulator = await start();
    try {
      assert.match(emulator.controlToken!, /^[A-Za-z0-9_-]{32}$/);
      for (const path of ['/_emulator', '/_emulator/requests', '/_emulator/faults']) {
        assertError(await api(emulator, `${emulator.origin}${path}`), 401);
        assertError(await api(emulator, `${emulator.origin}${path}`, { auth: bearer('wrong') }), 401);
        assert.equal((await api(emulator, `${emulator.origin}${path}`, { auth: bearer(emulator.controlToken) })).status, 200, path);
      }
      const reset = await api(emulator, `${emulator.origin}/_emulator/reset`, { method: 'POST', headers: { origin: 'https://evil.test' } });
      assertError(reset, 401);
      const fault = await api(emulator, `${emulator.origin}/_emulator/faults`, { body: { status: 503, path: '/calendars' } });
      assertError(fault, 401);
      assert.deepEqual(emulator.faults.list(), [], 'nothing was added');
    } finally {
      await emulator.close();
    }
  });

  it('is off with control: false (404, no token) and takes a given token', async () => {
    const off = await start({ control: false });
    const given = await start({ controlToken: 'my-control-token' });
    try {
      assert.equal(off.controlToken, null);
      assertError(await api(off, `${off.origin}/_emulator`, { auth: bearer('null') }), 404);
      assertError(await api(off, `${off.origin}/_emulator/reset`, { method: 'POST' }), 404);
      assert.equal((await api(given, `${given.origin}/_emulator`, { auth: bearer('my-control-token') })).status, 200);
    } finally {
      await off.close();
      await given.close();
    }
  });
});

describe('the consent form', () => {
  let now = MONDAY_NOON;
  let emulator: Emulator;
  before(async () => (emulator = await start({ now: () => now, callbackOrigins: ['https://app.example.com'] })));
  after(() => emulator.close());

  const post = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
    api(emulator, `${emulator.origin}/_google/consent`, {
      method: 'POST',
      body: new URLSearchParams({ app: emulator.app, callback: A_CALLBACK, identity: ALEX, decision: 'allow', ...fields }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  it('carries a CSRF token, and a post without the token of its own page is refused (403) and signs nobody in', async () => {
    const page = await (await fetch(await signupFor(emulator))).text();
    const token = unescapeHtml(/name="csrf" value="([^"]+)"/.exec(page)![1]!);
    // What a page on another site can post: no token, a made-up one, or one for another callback.
    const otherCallback = await consentCsrf(emulator, 'http://localhost:5173/other');
    for (const csrf of [undefined, '', 'forged', `${token.split('.')[0]}.${'A'.repeat(43)}`, otherCallback]) {
      const refused = await post(csrf === undefined ? {} : { csrf }, { origin: 'https://evil.test' });
      assertError(refused, 403);
      assert.equal(refused.headers.get('location'), null);
    }
    assert.equal(emulator.state.resourceByEmail(ALEX), undefined, 'nobody was signed in');
    const allowed = await post({ csrf: token });
    assert.equal(allowed.status, 302, allowed.text);
    assert.match(allowed.headers.get('location')!, /token=/);
    // Deny needs the token as well.
    assertError(await post({ decision: 'deny' }), 403);
  });

  it('refuses a token older than an hour (403)', async () => {
    const token = await consentCsrf(emulator);
    now = new Date(MONDAY_NOON.getTime() + 61 * 60_000);
    try {
      assertError(await post({ csrf: token }), 403);
      assert.equal((await post({ csrf: await consentCsrf(emulator) })).status, 302);
    } finally {
      now = MONDAY_NOON;
    }
  });

  it('sends tokens only to loopback callbacks and the listed callback origins (422 on callback otherwise)', async () => {
    const signup = (callback: string) =>
      api(emulator, `/accounts/google/signup?Timekit-App=${emulator.app}&callback=${encodeURIComponent(callback)}`);
    for (const callback of ['http://localhost:3000/cb', 'http://127.0.0.1:9/cb', 'http://[::1]:80/cb', 'http://app.localhost/cb', 'https://app.example.com/cb']) {
      assert.equal((await signup(callback)).status, 302, callback);
    }
    for (const callback of ['http://evil.test:8080/steal', 'https://app.example.com.evil.test/', 'http://app.example.com/cb', 'https://localhost.evil.test/']) {
      assertInvalid(await signup(callback), 'callback');
      const page = await api(emulator, `${emulator.origin}/_google/consent?app=${emulator.app}&callback=${encodeURIComponent(callback)}`);
      assertInvalid(page, 'callback');
      assertInvalid(await post({ callback, csrf: 'x' }), 'callback');
    }
  });
});

describe('the consent page, for a local process without the app key', () => {
  let emulator: Emulator;
  before(async () => (emulator = await start({ callbackOrigins: ['https://app.example.com'] })));
  after(() => emulator.close());

  it('hands no token for an unsigned, wrongly signed or skipped signup: only the app\'s signed link shows the form (repro-7)', async () => {
    // The developer's companion connected Alex (through its signed link); another local user then
    // walks the consent as Alex with a callback of its own, to read the token from the redirect.
    await googleLogin(emulator, ALEX);
    const callback = 'http://127.0.0.1:9/anything';
    const unsigned = `${emulator.url}/accounts/google/signup?Timekit-App=${emulator.app}&callback=${encodeURIComponent(callback)}`;
    const forged = await signedSignupUrl({ apiBase: emulator.url, app: emulator.app, appKey: 'a-guessed-app-key', callback });
    const pageItself = `${emulator.origin}/_google/consent?app=${emulator.app}&callback=${encodeURIComponent(callback)}`;
    for (const link of [unsigned, forged, pageItself]) {
      await assert.rejects(answerConsent(link, { identity: ALEX }), /no consent form at .*: 403 .*signed with the app key/, link);
    }
    // With the app key (live or test), the same walk works.
    for (const appKey of [emulator.appKey, emulator.testAppKey]) {
      const signed = await signedSignupUrl({ apiBase: emulator.url, app: emulator.app, appKey, callback });
      assert.ok(new URL(await answerConsent(signed, { identity: ALEX })).searchParams.get('token'));
    }
  });

  it('answers each form once: the same page posted again is refused (403)', async () => {
    const page = await (await fetch(await signupFor(emulator))).text();
    const fields = Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]) => [name!, unescapeHtml(value!)]));
    const post = () =>
      api(emulator, `${emulator.origin}/_google/consent`, {
        method: 'POST',
        body: new URLSearchParams({ ...fields, identity: ALEX, decision: 'allow' }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    assert.equal((await post()).status, 302);
    const again = await post();
    assertError(again, 403);
    assert.equal(again.headers.get('location'), null);
  });

  it('answers only on loopback names and the callback origins\' hosts (DNS rebinding)', async () => {
    const { pathname, search } = new URL((await fetch(await signupFor(emulator), { redirect: 'manual' })).headers.get('location')!);
    const { port } = new URL(emulator.origin);
    const page = (host: string) => rawRequest(emulator, { method: 'GET', path: `${pathname}${search}`, headers: { host } });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `app.example.com:${port}`]) {
      assert.equal((await page(host)).status, 200, host);
    }
    for (const host of [`rebind.attacker.example:${port}`, `app.example.com.attacker.example:${port}`]) {
      const refused = await page(host);
      assert.equal(refused.status, 403, host);
      assert.doesNotMatch(refused.text, /name="csrf"/);
    }
    const posted = await rawRequest(emulator, {
      method: 'POST',
      path: '/_google/consent',
      headers: { host: `rebind.attacker.example:${port}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ app: emulator.app, callback: A_CALLBACK, csrf: await consentCsrf(emulator), identity: ALEX, decision: 'allow' }).toString(),
    });
    assert.equal(posted.status, 403);
    assert.equal(posted.headers.location, undefined);
  });
});

describe('listening off loopback', () => {
  it('warns when bound to every interface, and not on loopback', async () => {
    const warnings: string[] = [];
    const open = await start({ host: '0.0.0.0', warn: (message) => warnings.push(message) });
    await open.close();
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, /listening on 0\.0\.0\.0, off loopback/);
    const local = await start({ host: '127.0.0.1', warn: (message) => warnings.push(message) });
    await local.close();
    assert.equal(warnings.length, 1);
  });
});

describe('the state file', () => {
  it('is written readable by its owner only, also over an older file that was not', async () => {
    const fresh = join(dir, 'fresh.json');
    let emulator = await start({ stateFile: fresh });
    await createResource(emulator);
    await emulator.close();
    assert.equal(statSync(fresh).mode & 0o777, 0o600);

    const older = join(dir, 'older.json');
    writeFileSync(older, JSON.stringify({ version: 1, resources: [], calendars: [], events: [], credentials: [], bookings: [] }));
    chmodSync(older, 0o644);
    writeFileSync(`${older}.tmp`, '');
    chmodSync(`${older}.tmp`, 0o666);
    emulator = await start({ stateFile: older });
    await createResource(emulator);
    await emulator.close();
    assert.equal(statSync(older).mode & 0o777, 0o600);
  });
});

describe('secret comparisons', () => {
  it('compare app keys, resource tokens and the control token with timingSafeEqual', async (t) => {
    const emulator = await start();
    try {
      const { auth } = await createResource(emulator);
      const spy = t.mock.method(crypto, 'timingSafeEqual');
      const calls = async (request: () => Promise<unknown>) => {
        spy.mock.resetCalls();
        await request();
        return spy.mock.callCount();
      };
      assert.ok((await calls(() => api(emulator, '/resources', { auth: appAuth(emulator.appKey) }))) >= 2, 'the app key (both keys)');
      assert.ok((await calls(() => api(emulator, '/resources', { auth: appAuth('live_api_key_guess') }))) >= 2, 'a wrong app key');
      assert.ok((await calls(() => api(emulator, '/calendars', { auth }))) >= 1, 'a resource token');
      assert.ok((await calls(() => api(emulator, `${emulator.origin}/_emulator`, { auth: bearer(emulator.controlToken) }))) >= 1, 'the control token');
    } finally {
      mock.restoreAll();
      await emulator.close();
    }
  });
});
