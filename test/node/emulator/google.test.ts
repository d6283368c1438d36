/**
 * The Google round trip (`/accounts/google/signup` → fake consent page → callback), the accounts
 * list, and `/accounts/sync` importing the identity's calendars with the `provider_sync` rules.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answerConsent, GOOGLE_IDENTITIES, type Emulator } from '../../../src/emulator/index.js';
import {
  A_CALLBACK,
  ALEX,
  api,
  appAuth,
  assertError,
  assertInvalid,
  CALENDAR_KEYS,
  consent,
  consentCsrf,
  googleLogin,
  MONDAY_NOON,
  RFC3339,
  signupFor,
  start,
  syncedIdentity,
  unescapeHtml,
} from './helpers.js';

let emulator: Emulator;
before(async () => (emulator = await start({ now: () => MONDAY_NOON })));
after(() => emulator.close());

const signupUrl = (query: string) => `${emulator.url}/accounts/google/signup?${query}`;

describe('GET /accounts/google/signup', () => {
  it('redirects (302) to the fake consent page with the app and callback', async () => {
    const response = await fetch(signupUrl(`Timekit-App=${emulator.app}&callback=${encodeURIComponent(A_CALLBACK)}`), {
      redirect: 'manual',
    });
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.origin, emulator.origin);
    assert.equal(location.pathname, '/_google/consent');
    assert.equal(location.searchParams.get('app'), emulator.app);
    assert.equal(location.searchParams.get('callback'), A_CALLBACK);
  });

  it('refuses a missing or unknown app (422, 404) and a missing or unsafe callback (422)', async () => {
    const callback = encodeURIComponent(A_CALLBACK);
    assertInvalid(await api(emulator, signupUrl(`callback=${callback}`)), 'Timekit-App');
    assertError(await api(emulator, signupUrl(`Timekit-App=nope&callback=${callback}`)), 404, 'App');
    assertInvalid(await api(emulator, signupUrl(`Timekit-App=${emulator.app}`)), 'callback');
    for (const bad of ['javascript:alert(1)', '/relative/path', 'ftp://example.com/x', 'data:text/html,hi', 'not a url']) {
      const response = await api(emulator, signupUrl(`Timekit-App=${emulator.app}&callback=${encodeURIComponent(bad)}`));
      assertInvalid(response, 'callback');
    }
  });
});

describe('the fake consent page', () => {
  let html: string;
  let response: Response;
  before(async () => {
    const hostile = `${A_CALLBACK}&x="><script>alert(1)</script>`;
    response = await fetch(await signupFor(emulator, hostile));
    html = await response.text();
  });

  it('is an HTML page that cannot be framed', () => {
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/html/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<title>[^<]+<\/title>/);
  });

  it('lists every seeded identity as a labelled radio button, with Allow and Deny', () => {
    for (const identity of GOOGLE_IDENTITIES) {
      const input = new RegExp(`<input type="radio" name="identity" id="([^"]+)" value="${identity.email.replace(/[.+]/g, '\\$&')}"`);
      const id = input.exec(html)?.[1];
      assert.ok(id, `${identity.email} is not offered`);
      assert.match(html, new RegExp(`<label for="${id}">`));
      assert.ok(html.includes(identity.name), `${identity.name} is not shown`);
    }
    assert.match(html, /<button type="submit" name="decision" value="allow">Allow<\/button>/);
    assert.match(html, /<button type="submit" name="decision" value="deny">Deny<\/button>/);
  });

  it('escapes the callback it carries', () => {
    assert.ok(!html.includes('<script>'));
    const value = /<input type="hidden" name="callback" value="([^"]*)">/.exec(html)?.[1];
    assert.ok(value, 'no hidden callback field');
    assert.ok(value.includes('&#38;x='), 'the & of the query must be escaped');
    const carried = new URL(unescapeHtml(value));
    assert.equal(carried.searchParams.get('x'), '"><script>alert(1)</script>');
  });

  it('refuses an unknown app (404) and a bad callback (422)', async () => {
    const unknown = await api(emulator, `${emulator.origin}/_google/consent?app=nope&callback=${encodeURIComponent(A_CALLBACK)}`);
    assertError(unknown, 404, 'App');
    assertInvalid(await api(emulator, `${emulator.origin}/_google/consent?app=${emulator.app}&callback=javascript:x`), 'callback');
  });

  it('refuses a post without a listed identity or a decision (422)', async () => {
    const csrf = await consentCsrf(emulator);
    const post = (fields: Record<string, string>) =>
      api(emulator, `${emulator.origin}/_google/consent`, {
        method: 'POST',
        body: new URLSearchParams({ app: emulator.app, callback: A_CALLBACK, csrf, ...fields }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    assertInvalid(await post({ identity: 'stranger@example.com', decision: 'allow' }), 'identity');
    assertInvalid(await post({ identity: ALEX }), 'identity');
    assertError(await post({ app: 'nope', identity: ALEX, decision: 'allow' }), 404, 'App');
  });
});

describe('Allow and Deny', () => {
  it('Allow sends the browser to the callback with email and token, keeping its own query', async () => {
    const location = await consent(emulator, ALEX, 'allow');
    assert.equal(`${location.origin}${location.pathname}`, 'http://localhost:5173/onboarding/done');
    assert.equal(location.searchParams.get('step'), 'google');
    assert.equal(location.searchParams.get('email'), ALEX);
    assert.match(location.searchParams.get('token')!, /^\S{16,}$/);
    assert.equal(location.searchParams.get('error'), null);
  });

  it('Deny sends the browser to the callback with error=access_denied and no token', async () => {
    const location = await consent(emulator, ALEX, 'deny');
    assert.equal(`${location.origin}${location.pathname}`, 'http://localhost:5173/onboarding/done');
    assert.equal(location.searchParams.get('step'), 'google');
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('email'), null);
    assert.equal(location.searchParams.get('token'), null);
  });

  it('logs the same Google email into the same resource every time', async () => {
    const first = await googleLogin(emulator, 'yuki.tanaka@example.jp');
    const second = await googleLogin(emulator, 'yuki.tanaka@example.jp');
    assert.equal(second.email, first.email);
    assert.equal(second.token, first.token);
    const found = await api(emulator, `/resources?search=email:${first.email}`, { auth: appAuth(emulator.appKey) });
    assert.equal(found.body.total, 1);
    assert.equal(found.body.data[0].name, '田中 ゆき');
    assert.equal(found.body.data[0].timezone, 'Asia/Tokyo');
  });

  it('logs into a resource created earlier with that email', async () => {
    const created = await api(emulator, '/resources', {
      auth: appAuth(emulator.appKey),
      body: { name: 'Jordan (made by the app)', timezone: 'Europe/London', email: 'jordan.reed@example.com' },
    });
    assert.equal(created.status, 201);
    const login = await googleLogin(emulator, 'jordan.reed@example.com');
    assert.equal(login.token, created.body.data.api_token);
    const accounts = await api(emulator, '/accounts', { auth: login.auth });
    assert.deepEqual(accounts.body.data, [{ provider: 'google', provider_id: 'jordan.reed@example.com', last_sync: null }]);
  });
});

describe('/accounts and /accounts/sync', () => {
  it('lists the connected Google account, last_sync null before a sync', async () => {
    const login = await googleLogin(emulator, 'noor.haddad@example.com');
    const response = await api(emulator, '/accounts', { auth: login.auth });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      data: [{ provider: 'google', provider_id: 'noor.haddad@example.com', last_sync: null }],
    });
  });

  it('imports the identity’s calendars: provider google, one primary, none synced', async () => {
    const login = await googleLogin(emulator, ALEX);
    const sync = await api(emulator, '/accounts/sync', { method: 'POST', auth: login.auth });
    assert.equal(sync.status, 200, sync.text);
    assert.deepEqual(Object.keys(sync.body), ['data']);
    assert.deepEqual(Object.keys(sync.body.data).sort(), ['count', 'description']);
    assert.equal(typeof sync.body.data.description, 'string');
    assert.ok(Number.isInteger(sync.body.data.count) && sync.body.data.count > 0, sync.text);

    const list = await api(emulator, '/calendars', { auth: login.auth });
    const google = list.body.data.filter((c: { provider: string }) => c.provider === 'google');
    const seed = GOOGLE_IDENTITIES.find((i) => i.email === ALEX)!;
    assert.equal(google.length, seed.calendars.length);
    assert.equal(list.body.total, seed.calendars.length + 1, 'the Bookings calendar plus the Google ones');
    for (const calendar of google) {
      assert.deepEqual(Object.keys(calendar).sort(), CALENDAR_KEYS);
      const from = seed.calendars.find((s) => s.providerId === calendar.provider_id);
      assert.ok(from, `unexpected calendar ${calendar.provider_id}`);
      assert.equal(calendar.name, from.name);
      assert.equal(calendar.provider_access, from.access);
      assert.equal(calendar.provider_sync, false);
      assert.equal(calendar.provider_primary, from.primary === true);
    }
    const primaries = google.filter((c: { provider_primary: boolean }) => c.provider_primary);
    assert.deepEqual(primaries.map((c: { provider_id: string }) => c.provider_id), [ALEX]);
    assert.equal(google.find((c: { name: string }) => c.name === 'Team rota').provider_access, 'reader');

    const accounts = await api(emulator, '/accounts', { auth: login.auth });
    assert.equal(accounts.body.data[0].provider_id, ALEX);
    assert.match(accounts.body.data[0].last_sync, RFC3339);
  });

  it('accepts GET as well, and a re-sync keeps the user’s provider_sync choices and ids', async () => {
    const { auth, byName, calendars } = await syncedIdentity(emulator, ALEX);
    const work = byName.get('Work');
    const put = await api(emulator, `/calendars/${work.id}`, { method: 'PUT', auth, body: { provider_sync: true } });
    assert.equal(put.status, 200);

    const again = await api(emulator, '/accounts/sync', { auth });
    assert.equal(again.status, 200, again.text);
    const after = await api(emulator, '/calendars', { auth });
    assert.deepEqual(
      after.body.data.map((c: { id: string }) => c.id).sort(),
      calendars.map((c: { id: string }) => c.id).sort(),
      'a re-sync must not duplicate calendars',
    );
    for (const calendar of after.body.data) {
      assert.equal(calendar.provider_sync, calendar.id === work.id, calendar.name);
    }
  });

  it('keeps long, non-Latin, right-to-left and HTML names verbatim', async () => {
    const noor = await syncedIdentity(emulator, 'noor.haddad@example.com');
    const seed = GOOGLE_IDENTITIES.find((i) => i.email === 'noor.haddad@example.com')!;
    for (const calendar of seed.calendars) assert.ok(noor.byName.has(calendar.name), calendar.name);
    assert.ok(noor.byName.has('<b>Board</b> & "meetings" <img src=x onerror=alert(1)>'));
    const alex = await syncedIdentity(emulator, ALEX);
    assert.ok(alex.calendars.some((c) => c.name.length === 500));
  });

  it('imports the 1,000-calendar identity, paged at 1,000', async () => {
    const started = performance.now();
    const sam = await googleLogin(emulator, 'sam.lee@example.com');
    const sync = await api(emulator, '/accounts/sync', { method: 'POST', auth: sam.auth });
    assert.equal(sync.status, 200);
    const first = await api(emulator, '/calendars?limit=1000', { auth: sam.auth });
    assert.equal(first.body.total, 1001);
    assert.equal(first.body.data.length, 1000);
    assert.equal(first.body.last_page, 2);
    const second = await api(emulator, first.body.next_page_url, { auth: sam.auth });
    assert.equal(second.body.data.length, 1);
    // Generous, for loaded CI machines: it takes a fraction of a second; what this catches is quadratic blow-ups.
    assert.ok(performance.now() - started < 10_000, 'the big identity took too long to sync and list');
  });
});

describe('answerConsent (the consent screen answered over HTTP)', () => {
  const signup = (callback: string) => signupFor(emulator, callback);

  it('follows the signup redirect to the page and answers with its hidden fields: the callback, with email and token', async () => {
    // a callback with its own query and an ampersand: the page escapes it, the answer carries it back
    const location = new URL(await answerConsent(await signup('http://localhost:5173/onboarding/done?next=/a&b=1'), { identity: ALEX }));
    assert.equal(`${location.origin}${location.pathname}`, 'http://localhost:5173/onboarding/done');
    assert.equal(location.searchParams.get('next'), '/a');
    assert.equal(location.searchParams.get('b'), '1');
    assert.equal(location.searchParams.get('email'), ALEX);
    assert.ok(location.searchParams.get('token'));
  });

  it('a deny comes back without a token', async () => {
    const location = new URL(await answerConsent(await signup(A_CALLBACK), { identity: ALEX, decision: 'deny' }));
    assert.equal(location.searchParams.get('token'), null);
  });

  it('rejects naming the status when there is no consent page, or the form is refused', async () => {
    await assert.rejects(answerConsent(`${emulator.origin}/_google/nothing-here`, { identity: ALEX }), /no consent form at .*: 404/);
    await assert.rejects(answerConsent(await signup(A_CALLBACK), { identity: 'nobody@example.com' }), /the consent form answered 4\d\d/);
  });
});
