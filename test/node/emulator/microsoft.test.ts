/**
 * The Microsoft 365 side (`/accounts/microsoft/signup` → fake Microsoft sign-in → callback, or
 * Microsoft's AADSTS50020 page for a personal account), the Microsoft sync, both providers on one
 * resource, availability from synced Microsoft calendars, the `microsoftSyncEnableFails` switch,
 * the revoked grant (`POST /_emulator/revoke`) and the `secondSignupAttaches` switch.
 *
 * The clock is pinned to Monday 2026-06-01 12:00 UTC. Dana Whitfield (Europe/Dublin, UTC+1 in
 * June) has a stand-up every weekday 09:30–10:00 in her Calendar: 08:30–09:00 UTC on Tuesday.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answerConsent, GOOGLE_IDENTITIES, MICROSOFT_IDENTITIES, type Emulator } from '../../../src/emulator/index.js';
import {
  A_CALLBACK,
  ALEX,
  api,
  appAuth,
  assertError,
  assertInvalid,
  CALENDAR_KEYS,
  consentRedirect,
  control,
  googleLogin,
  MONDAY_NOON,
  providerLogin,
  RFC3339,
  signupFor,
  start,
  unescapeHtml,
  userAuth,
  type Headers,
} from './helpers.js';

const DANA = 'dana.whitfield@contoso.example';
const ELENI = 'eleni.papadopoulou@fabrikam.example';
const CASEY = 'casey.personal@outlook.com';

let emulator: Emulator;
before(async () => (emulator = await start({ now: () => MONDAY_NOON })));
after(() => emulator.close());

const microsoftLogin = (identity: string, on = emulator) => providerLogin(on, identity, 'microsoft');
const signupUrl = (query: string) => `${emulator.url}/accounts/microsoft/signup?${query}`;
const calendarsOf = async (auth: Headers) => (await api(emulator, '/calendars?limit=1000', { auth })).body.data as any[];
const sync = (auth: Headers, path = '/accounts/sync', on = emulator) => api(on, path, { method: 'POST', auth });

/** The Microsoft sign-in page for A_CALLBACK, as a browser gets it from the app's signed link. */
async function signInPage() {
  const response = await fetch(await signupFor(emulator, A_CALLBACK, 'microsoft'));
  return { response, html: await response.text() };
}

const csrfOf = (html: string) => unescapeHtml(/<input type="hidden" name="csrf" value="([^"]+)">/.exec(html)![1]!);

const postForm = (path: string, fields: Record<string, string>) =>
  api(emulator, `${emulator.origin}${path}`, {
    method: 'POST',
    body: new URLSearchParams({ app: emulator.app, callback: A_CALLBACK, ...fields }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });

describe('GET /accounts/microsoft/signup', () => {
  it('redirects (302) to the fake Microsoft sign-in with the app, the callback and the signature', async () => {
    const response = await fetch(await signupFor(emulator, A_CALLBACK, 'microsoft'), { redirect: 'manual' });
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.origin, emulator.origin);
    assert.equal(location.pathname, '/_microsoft/consent');
    assert.equal(location.searchParams.get('app'), emulator.app);
    assert.equal(location.searchParams.get('callback'), A_CALLBACK);
    assert.match(location.searchParams.get('emulator_signature')!, /^[0-9a-f]{64}$/);
  });

  it('refuses a missing or unknown app (422, 404) and an unsafe callback (422)', async () => {
    const callback = encodeURIComponent(A_CALLBACK);
    assertInvalid(await api(emulator, signupUrl(`callback=${callback}`)), 'Timekit-App');
    assertError(await api(emulator, signupUrl(`Timekit-App=nope&callback=${callback}`)), 404, 'App');
    assertInvalid(await api(emulator, signupUrl(`Timekit-App=${emulator.app}&callback=${encodeURIComponent('https://evil.example/cb')}`)), 'callback');
  });

  it('shows the sign-in only for a link signed with the app key (403 unsigned or forged), as Google’s does', async () => {
    const unsigned = await fetch(signupUrl(`Timekit-App=${emulator.app}&callback=${encodeURIComponent(A_CALLBACK)}`));
    assert.equal(unsigned.status, 403);
    assert.doesNotMatch(await unsigned.text(), /name="csrf"/);
    const forged = new URL(await signupFor(emulator, A_CALLBACK, 'microsoft'));
    forged.searchParams.set('emulator_signature', '0'.repeat(64));
    assert.equal((await fetch(forged)).status, 403);
    // The signature is the app's for this callback, whichever provider: another callback's does not carry over.
    const other = new URL(await signupFor(emulator, 'http://localhost:5173/other', 'microsoft'));
    other.searchParams.set('callback', A_CALLBACK);
    assert.equal((await fetch(other)).status, 403);
  });
});

describe('the fake Microsoft sign-in page', () => {
  it('asks for a work or school account, cannot be framed, and lists every Microsoft identity (no Google ones) with Accept and Cancel', async () => {
    const { response, html } = await signInPage();
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type')!, /^text\/html/);
    assert.equal(response.headers.get('x-frame-options'), 'DENY');
    assert.match(html, /<h1>Sign in to your work or school account<\/h1>/);
    assert.match(html, /<form method="post" action="\/_microsoft\/consent">/);
    for (const identity of MICROSOFT_IDENTITIES) {
      const input = new RegExp(`<input type="radio" name="identity" id="([^"]+)" value="${identity.email.replace(/[.+]/g, '\\$&')}"`);
      const id = input.exec(html)?.[1];
      assert.ok(id, `${identity.email} is not offered`);
      assert.match(html, new RegExp(`<label for="${id}">`));
      assert.ok(html.includes(identity.name), `${identity.name} is not shown`);
    }
    for (const identity of GOOGLE_IDENTITIES.filter((g) => !MICROSOFT_IDENTITIES.some((m) => m.email === g.email))) {
      assert.ok(!html.includes(identity.email), `${identity.email} is a Google identity`);
    }
    assert.match(html, /<button type="submit" name="decision" value="allow">Accept<\/button>/);
    assert.match(html, /<button type="submit" name="decision" value="deny">Cancel<\/button>/);
  });

  it('seeds at least two work accounts and one personal Outlook.com account', () => {
    const work = MICROSOFT_IDENTITIES.filter((identity) => !identity.personal);
    assert.ok(work.length >= 2);
    assert.deepEqual(
      MICROSOFT_IDENTITIES.filter((identity) => identity.personal).map((identity) => identity.email),
      [CASEY],
    );
    const dana = MICROSOFT_IDENTITIES.find((identity) => identity.email === DANA)!;
    assert.equal(dana.timezone, 'Europe/Dublin');
    assert.ok(dana.calendars.some((c) => c.access === 'reader'));
  });

  it('takes only its own page’s CSRF token: the Google page’s does not answer it (403)', async () => {
    const google = await (await fetch(await signupFor(emulator, A_CALLBACK))).text();
    const refused = await postForm('/_microsoft/consent', { csrf: csrfOf(google), identity: DANA, decision: 'allow' });
    assertError(refused, 403);
    const { html } = await signInPage();
    assertError(await postForm('/_google/consent', { csrf: csrfOf(html), identity: ALEX, decision: 'allow' }), 403);
    // A Google identity is not a Microsoft one.
    assertInvalid(await postForm('/_microsoft/consent', { csrf: csrfOf(html), identity: 'yuki.tanaka@example.jp', decision: 'allow' }), 'identity');
  });
});

describe('Accept, the personal account, and Cancel', () => {
  it('Accept for a work account calls back with email and token; the Microsoft sync imports its calendars as provider microsoft', async () => {
    const dana = await microsoftLogin(DANA);
    assert.equal(`${dana.location.origin}${dana.location.pathname}`, 'http://localhost:5173/onboarding/done');
    assert.equal(dana.location.searchParams.get('step'), 'google');
    assert.equal(dana.email, DANA);
    assert.match(dana.token, /^\S{16,}$/);

    const accounts = await api(emulator, '/accounts', { auth: dana.auth });
    assert.deepEqual(accounts.body.data, [{ provider: 'microsoft', provider_id: DANA, last_sync: null }]);

    const synced = await sync(dana.auth, '/accounts/microsoft/sync');
    assert.equal(synced.status, 200, synced.text);
    assert.match(synced.body.data.description, /^Synced 4 calendars and \d+ events$/);
    assert.ok(synced.body.data.count > 0);

    const calendars = await calendarsOf(dana.auth);
    const imported = calendars.filter((c) => c.provider === 'microsoft');
    const seed = MICROSOFT_IDENTITIES.find((identity) => identity.email === DANA)!;
    assert.deepEqual(imported.map((c) => c.name).sort(), seed.calendars.map((c) => c.name).sort());
    for (const calendar of imported) {
      assert.deepEqual(Object.keys(calendar).sort(), CALENDAR_KEYS);
      const expected = seed.calendars.find((c) => c.providerId === calendar.provider_id)!;
      assert.ok(expected, `unexpected provider_id ${calendar.provider_id}`);
      assert.match(calendar.provider_id, /^AAMkAD/);
      assert.equal(calendar.provider_access, expected.access);
      assert.equal(calendar.provider_primary, expected.primary === true);
      assert.equal(calendar.provider_sync, false);
    }
    const byName = new Map(imported.map((c) => [c.name, c]));
    assert.equal(byName.get('Calendar').provider_primary, true);
    assert.equal(byName.get('Liffey meeting room (2.01)').provider_access, 'reader');
    assert.equal(byName.get('Design team').provider_access, 'writer');
    assert.ok(imported.some((c) => c.name.length === 500), 'the 500-character name is kept');
    // Besides them, only the Timekit calendar every resource gets.
    assert.deepEqual(calendars.filter((c) => c.provider !== 'microsoft').map((c) => c.provider), ['timekit']);

    const after = await api(emulator, '/accounts', { auth: dana.auth });
    assert.equal(after.body.data[0].provider, 'microsoft');
    assert.match(after.body.data[0].last_sync, RFC3339);
  });

  it('keeps non-Latin names verbatim, and a re-sync keeps the ids and the provider_sync choices', async () => {
    const eleni = await microsoftLogin(ELENI);
    assert.equal((await sync(eleni.auth)).status, 200);
    const first = (await calendarsOf(eleni.auth)).filter((c) => c.provider === 'microsoft');
    assert.equal(eleni.location.searchParams.get('email'), ELENI);
    assert.deepEqual(first.map((c) => c.name).sort(), ['Calendar', 'Ιατρείο – βάρδιες']);
    const clinic = first.find((c) => c.name === 'Ιατρείο – βάρδιες');
    assert.equal((await api(emulator, `/calendars/${clinic.id}`, { method: 'PUT', auth: eleni.auth, body: { provider_sync: true } })).status, 200);
    assert.equal((await sync(eleni.auth, '/accounts/microsoft/sync')).status, 200);
    const second = (await calendarsOf(eleni.auth)).filter((c) => c.provider === 'microsoft');
    assert.deepEqual(second.map((c) => c.id).sort(), first.map((c) => c.id).sort());
    assert.equal(second.find((c) => c.id === clinic.id).provider_sync, true);
  });

  it('the personal account ends on the AADSTS50020 page: 200 with no redirect, the callback nowhere on it, no resource made', async () => {
    const { html } = await signInPage();
    const answer = await postForm('/_microsoft/consent', { csrf: csrfOf(html), identity: CASEY, decision: 'allow' });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('location'), null);
    assert.equal(answer.headers.get('x-frame-options'), 'DENY');
    assert.match(answer.text, /AADSTS50020: User account 'casey\.personal@outlook\.com' from identity provider 'live\.com' does not exist in tenant/);
    assert.ok(!answer.text.includes('localhost:5173'), 'the error page must not lead back to the callback');
    assert.doesNotMatch(answer.text, /<form|<meta http-equiv="refresh"|<script/i);
    const found = await api(emulator, `/resources?search=email:${CASEY}`, { auth: appAuth(emulator.appKey) });
    assert.deepEqual(found.body.data, []);
    // The form was answered: posting it again is refused.
    assertError(await postForm('/_microsoft/consent', { csrf: csrfOf(html), identity: DANA, decision: 'allow' }), 403);
  });

  it('answerConsent rejects for the personal account with the page’s text, and answers Accept for a work one', async () => {
    const signup = await signupFor(emulator, A_CALLBACK, 'microsoft');
    await assert.rejects(
      answerConsent(signup, { identity: CASEY }),
      /the consent form answered 200, a page and no redirect: .*AADSTS50020: User account 'casey\.personal@outlook\.com' from identity provider 'live\.com'/,
    );
    const location = new URL(await answerConsent(await signupFor(emulator, A_CALLBACK, 'microsoft'), { identity: DANA }));
    assert.equal(location.searchParams.get('email'), DANA);
  });

  it('Cancel sends the browser to the callback with error=access_denied and no token, as Google’s Deny does', async () => {
    const location = new URL(await consentRedirect(emulator, DANA, 'deny', A_CALLBACK, 'microsoft'));
    assert.equal(`${location.origin}${location.pathname}`, 'http://localhost:5173/onboarding/done');
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('email'), null);
    assert.equal(location.searchParams.get('token'), null);
    // The personal account's Cancel comes back too: only its Accept ends at Microsoft.
    const casey = new URL(await consentRedirect(emulator, CASEY, 'deny', A_CALLBACK, 'microsoft'));
    assert.equal(casey.searchParams.get('error'), 'access_denied');
  });
});

describe('two accounts: one resource or two', () => {
  it('the same address through Google and Microsoft is one resource: GET /accounts lists both, each sync imports its own', async () => {
    const google = await googleLogin(emulator, ALEX);
    const microsoft = await microsoftLogin(ALEX);
    assert.equal(microsoft.email, google.email);
    assert.equal(microsoft.token, google.token, 'the same resource answers with the same token');

    const accounts = await api(emulator, '/accounts', { auth: microsoft.auth });
    assert.deepEqual(
      accounts.body.data.map((a: any) => [a.provider, a.provider_id]),
      [
        ['google', ALEX],
        ['microsoft', ALEX],
      ],
    );

    assert.equal((await sync(microsoft.auth, '/accounts/microsoft/sync')).status, 200);
    let providers = (await calendarsOf(microsoft.auth)).map((c) => c.provider);
    assert.equal(providers.includes('google'), false, 'the Microsoft sync leaves the Google account alone');
    const everything = await sync(microsoft.auth);
    assert.equal(everything.status, 200);
    const calendars = await calendarsOf(microsoft.auth);
    providers = calendars.map((c) => c.provider);
    assert.equal(providers.filter((p) => p === 'google').length, GOOGLE_IDENTITIES.find((i) => i.email === ALEX)!.calendars.length);
    assert.equal(providers.filter((p) => p === 'microsoft').length, MICROSOFT_IDENTITIES.find((i) => i.email === ALEX)!.calendars.length);
    // Each account keeps its own primary calendar.
    assert.deepEqual(calendars.filter((c) => c.provider_primary).map((c) => c.provider).sort(), ['google', 'microsoft']);
    const synced = (await api(emulator, '/accounts', { auth: microsoft.auth })).body.data;
    assert.ok(synced.every((a: any) => RFC3339.test(a.last_sync)));
  });

  it('a second signup with another account answers another resource, whichever the provider: the first keeps its accounts', async () => {
    const fresh = await start({ now: () => MONDAY_NOON });
    try {
      const first = await providerLogin(fresh, 'yuki.tanaka@example.jp', 'google');
      const second = await microsoftLogin(DANA, fresh);
      const third = await providerLogin(fresh, 'jordan.reed@example.com', 'google');
      assert.notEqual(second.token, first.token);
      assert.notEqual(third.token, first.token);
      const accountsOf = async (auth: Headers) => (await api(fresh, '/accounts', { auth })).body.data.map((a: any) => `${a.provider}:${a.provider_id}`);
      assert.deepEqual(await accountsOf(first.auth), ['google:yuki.tanaka@example.jp']);
      assert.deepEqual(await accountsOf(second.auth), [`microsoft:${DANA}`]);
      assert.deepEqual(await accountsOf(third.auth), ['google:jordan.reed@example.com']);
      assert.equal(fresh.state.resources.size, 3);
    } finally {
      await fresh.close();
    }
  });
});

describe('availability counts synced Microsoft calendars', () => {
  it('Dana’s stand-up blocks findtime and /availability once her Calendar syncs, and not before', async () => {
    const dana = await microsoftLogin(DANA);
    assert.equal((await sync(dana.auth)).status, 200);
    const calendar = (await calendarsOf(dana.auth)).find((c) => c.provider === 'microsoft' && c.provider_primary);
    const resourceId = (await api(emulator, `/resources?search=email:${DANA}`, { auth: appAuth(emulator.appKey) })).body.data[0].id;
    const standUp = '2026-06-02T08:30:00.000Z';
    const findtime = async () => {
      const answer = await api(emulator, '/findtime', { auth: dana.auth, body: { start: '2026-06-02T08:00:00+00:00', future: '2 hours', length: '30 minutes' } });
      assert.equal(answer.status, 200, answer.text);
      return answer.body.data.map((s: any) => new Date(s.start).toISOString()) as string[];
    };
    const availability = async () => {
      const answer = await api(emulator, '/availability', {
        auth: dana.auth,
        body: { resources: [resourceId], from: '2026-06-02T08:00:00+00:00', to: '2026-06-02T10:00:00+00:00', length: '30 minutes' },
      });
      assert.equal(answer.status, 200, answer.text);
      return answer.body.data.map((s: any) => new Date(s.start).toISOString()) as string[];
    };
    await api(emulator, `/calendars/${calendar.id}`, { method: 'PUT', auth: dana.auth, body: { provider_sync: false } });
    assert.ok((await findtime()).includes(standUp), 'free while the calendar does not sync');
    assert.ok((await availability()).includes(standUp));
    const on = await api(emulator, `/calendars/${calendar.id}`, { method: 'PUT', auth: dana.auth, body: { provider_sync: true } });
    assert.equal(on.status, 200, on.text);
    assert.equal((await findtime()).includes(standUp), false, 'the stand-up is busy');
    assert.equal((await availability()).includes(standUp), false);
    assert.ok((await findtime()).includes('2026-06-02T09:00:00.000Z'), 'after it, free again');
  });
});

describe('microsoftSyncEnableFails (re-audit row 16)', () => {
  it('off: a Microsoft calendar switches on; on: provider_sync true answers 500 and changes nothing, false and Google calendars still work', async () => {
    for (const switchOn of [false, true]) {
      const side = await start({ profile: 'optimistic', switches: { microsoftSyncEnableFails: switchOn }, now: () => MONDAY_NOON });
      try {
        const alexGoogle = await providerLogin(side, ALEX, 'google');
        await providerLogin(side, ALEX, 'microsoft');
        assert.equal((await sync(alexGoogle.auth, '/accounts/sync', side)).status, 200);
        const calendars = (await api(side, '/calendars?limit=1000', { auth: alexGoogle.auth })).body.data as any[];
        const microsoft = calendars.find((c) => c.provider === 'microsoft' && c.provider_primary);
        const google = calendars.find((c) => c.provider === 'google' && c.provider_primary);
        const put = (calendar: any, value: boolean) =>
          api(side, `/calendars/${calendar.id}`, { method: 'PUT', auth: alexGoogle.auth, body: { provider_sync: value } });
        const enable = await put(microsoft, true);
        if (switchOn) {
          assertError(enable, 500);
          const read = await api(side, `/calendars/${microsoft.id}`, { auth: alexGoogle.auth });
          assert.equal(read.body.data.provider_sync, false, 'the failed write changed nothing');
        } else {
          assert.equal(enable.status, 200, enable.text);
        }
        assert.equal((await put(microsoft, false)).status, 200);
        assert.equal((await put(google, true)).status, 200);
        assert.equal(side.fidelity.microsoftSyncEnableFails, switchOn);
      } finally {
        await side.close();
      }
    }
  });

  it('is off in both profiles', async () => {
    for (const profile of ['optimistic', 'evidence'] as const) {
      const side = await start({ profile });
      try {
        assert.equal(side.fidelity.microsoftSyncEnableFails, false, profile);
      } finally {
        await side.close();
      }
    }
  });
});

describe('a revoked grant (POST /_emulator/revoke)', () => {
  it('makes the account’s sync answer 400 naming it; the other account still syncs; GET /accounts keeps its shape; signing in again restores it', async () => {
    const fresh = await start({ now: () => MONDAY_NOON });
    try {
      const alex = await providerLogin(fresh, ALEX, 'google');
      await providerLogin(fresh, ALEX, 'microsoft');
      assert.equal((await sync(alex.auth, '/accounts/sync', fresh)).status, 200);
      const before = (await api(fresh, '/accounts', { auth: alex.auth })).body.data;

      const revoked = await control(fresh, '/revoke', { email: ALEX, provider: 'microsoft' });
      assert.equal(revoked.status, 200, revoked.text);
      assert.deepEqual(revoked.body.data, { revoked: 1 });

      assert.equal((await control(fresh, '/clock', { advance: '1 hour' })).status, 200);
      const all = await sync(alex.auth, '/accounts/sync', fresh);
      assertError(all, 400);
      assert.match(all.body.error, /the microsoft account alex\.morgan@example\.com: invalid_grant \(AADSTS50173/);
      assert.doesNotMatch(all.body.error, /google account/);
      const onlyMicrosoft = await sync(alex.auth, '/accounts/microsoft/sync', fresh);
      assertError(onlyMicrosoft, 400);

      const accounts = (await api(fresh, '/accounts', { auth: alex.auth })).body.data;
      assert.deepEqual(accounts.map((a: any) => Object.keys(a).sort()), [
        ['last_sync', 'provider', 'provider_id'],
        ['last_sync', 'provider', 'provider_id'],
      ]);
      const [google, microsoft] = accounts;
      assert.notEqual(google.last_sync, before[0].last_sync, 'the Google account synced');
      assert.equal(microsoft.last_sync, before[1].last_sync, 'the revoked account did not');

      // Google revoked too: its message says invalid_grant the Google way.
      assert.equal((await control(fresh, '/revoke', { email: ALEX, provider: 'google' })).status, 200);
      assert.match((await sync(alex.auth, '/accounts/sync', fresh)).body.error, /the google account alex\.morgan@example\.com: invalid_grant \(Token has been expired or revoked\.\)/);

      // Connecting again (the reconnect) restores both.
      await providerLogin(fresh, ALEX, 'microsoft');
      await providerLogin(fresh, ALEX, 'google');
      assert.equal((await sync(alex.auth, '/accounts/sync', fresh)).status, 200);
    } finally {
      await fresh.close();
    }
  });

  it('refuses a bad body (422), an account nobody has (404), and a call without the control token (401)', async () => {
    assertInvalid(await control(emulator, '/revoke', { email: ALEX, provider: 'icloud' }), 'provider');
    assertInvalid(await control(emulator, '/revoke', { provider: 'google' }), 'email');
    assertError(await control(emulator, '/revoke', { email: 'nobody@example.com', provider: 'google' }), 404);
    const anonymous = await api(emulator, `${emulator.origin}/_emulator/revoke`, { body: { email: ALEX, provider: 'google' } });
    assertError(anonymous, 401);
  });
});

describe('emulator: secondSignupAttaches (a second signup in the same browser)', () => {
  /** Signs `identity` in through `provider`'s consent in the browser whose emulator cookies are `cookies`. */
  async function signInWith(on: Emulator, identity: string, provider: 'google' | 'microsoft', cookies: Map<string, string>) {
    const location = new URL(await answerConsent(await signupFor(on, A_CALLBACK, provider), { identity, cookies }));
    return { email: location.searchParams.get('email')!, token: location.searchParams.get('token')! };
  }

  it('on: the second account joins the resource this browser signed in, and the callback carries that resource; another browser still gets its own', async () => {
    const fresh = await start({ now: () => MONDAY_NOON, switches: { secondSignupAttaches: true } });
    try {
      const browser = new Map<string, string>();
      const first = await signInWith(fresh, ALEX, 'google', browser);
      assert.match(browser.get('tk_emulator_resource') ?? '', /^[0-9a-f-]{36}$/, 'the consent names the resource it signed in');
      const second = await signInWith(fresh, DANA, 'microsoft', browser);
      assert.deepEqual(second, first, "the resource's own email and token");
      const accounts = (await api(fresh, '/accounts', { auth: userAuth(first.email, first.token, fresh.app) })).body.data;
      assert.deepEqual(accounts.map((a: any) => [a.provider, a.provider_id]), [['google', ALEX], ['microsoft', DANA]]);

      const elsewhere = await signInWith(fresh, ELENI, 'microsoft', new Map());
      assert.equal(elsewhere.email, ELENI, 'no cookie: a resource of its own');
    } finally {
      await fresh.close();
    }
  });

  it('off (both profiles): another email in the same browser is another resource', async () => {
    const browser = new Map<string, string>();
    const first = await signInWith(emulator, ALEX, 'google', browser);
    const second = await signInWith(emulator, ELENI, 'microsoft', browser);
    assert.equal(first.email, ALEX);
    assert.equal(second.email, ELENI);
    assert.notEqual(second.token, first.token);
  });
});
