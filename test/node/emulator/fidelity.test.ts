/**
 * The fidelity switches (src/emulator/fidelity.ts): the two profiles, `resolveFidelity`, and every
 * switch on both sides over real HTTP. Each switch's test runs the same calls on an emulator with
 * the switch off and one with it on (all others off), and asserts both answers, so a switch that
 * does nothing fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ALL_SWITCHES,
  FIDELITY_PROFILES,
  FIDELITY_SWITCHES,
  PROVIDER_SWITCHES,
  resolveFidelity,
  startEmulator,
  type Emulator,
  type FidelitySwitches,
} from '../../../src/emulator/index.js';
import {
  ALEX,
  api,
  appAuth,
  assertError,
  assertInvalid,
  consentRedirect,
  control,
  googleLogin,
  MONDAY_NOON,
  start,
  syncedIdentity,
  userAuth,
  widgetCredential,
  type Headers,
} from './helpers.js';

const SITE = 'http://localhost:5173';
const CALLBACK = `${SITE}/onboarding/google/callback`;

/** Runs `check` against an emulator with only `name` off, then one with only `name` on. */
async function bothSides(name: keyof FidelitySwitches, check: (emulator: Emulator, on: boolean) => Promise<void>) {
  for (const on of [false, true]) {
    const emulator = await start({ profile: 'optimistic', switches: { [name]: on }, now: () => MONDAY_NOON });
    try {
      await check(emulator, on);
    } catch (error) {
      (error as Error).message = `with ${name} ${on ? 'on' : 'off'}: ${(error as Error).message}`;
      throw error;
    } finally {
      await emulator.close();
    }
  }
}

/** A plain resource's auth, whether or not the create answer carries its token. */
async function plainResource(emulator: Emulator, email = `p-${Math.random().toString(36).slice(2, 10)}@example.test`) {
  const created = await api(emulator, `/resources`, {
    auth: appAuth(emulator.appKey),
    body: { name: 'Room Vega', timezone: 'Europe/Oslo', email },
  });
  assert.equal(created.status, 201, created.text);
  const withCredentials = await api(emulator, `/resources/${created.body.data.id}?include=credentials`, { auth: appAuth(emulator.appKey) });
  const token = withCredentials.body.data.credentials.find((c: { scopes: string[] }) => c.scopes.includes('global')).token as string;
  return { created, resource: created.body.data, token, auth: userAuth(email, token, emulator.app) };
}

describe('profiles', () => {
  it('optimistic turns every switch off; evidence turns on the first twelve, the three without evidence and the provider switches stay off', () => {
    assert.deepEqual(Object.keys(FIDELITY_PROFILES.optimistic), [...ALL_SWITCHES]);
    assert.deepEqual(ALL_SWITCHES, [...FIDELITY_SWITCHES, ...PROVIDER_SWITCHES]);
    assert.ok(ALL_SWITCHES.every((name) => FIDELITY_PROFILES.optimistic[name] === false));
    assert.deepEqual(
      ALL_SWITCHES.filter((name) => FIDELITY_PROFILES.evidence[name]),
      FIDELITY_SWITCHES.slice(0, 12),
    );
    assert.deepEqual(FIDELITY_SWITCHES.slice(12), ['denyWithoutError', 'expiresIgnored', 'refererOnly']);
    assert.deepEqual(PROVIDER_SWITCHES, ['microsoftSyncEnableFails', 'secondSignupAttaches']);
  });

  it('resolveFidelity defaults to evidence, applies switches over the profile, and refuses names it does not know', () => {
    assert.deepEqual(resolveFidelity(), FIDELITY_PROFILES.evidence);
    const mixed = resolveFidelity('optimistic', { putNoContent: true, refererOnly: true });
    assert.deepEqual(
      FIDELITY_SWITCHES.filter((name) => mixed[name]),
      ['putNoContent', 'refererOnly'],
    );
    assert.equal(resolveFidelity('evidence', { widgetOnlyScope: false }).widgetOnlyScope, false);
    assert.throws(() => resolveFidelity('pessimistic' as never), /Unknown emulator profile "pessimistic"/);
    assert.throws(() => resolveFidelity('evidence', { putNoContnet: true } as never), /Unknown emulator switch "putNoContnet"/);
    assert.throws(() => resolveFidelity('evidence', { putNoContent: 'yes' } as never), /true or false/);
  });

  it('startEmulator plays evidence by default, and shows the profile and switches on the object and in GET /_emulator', async () => {
    const byDefault = await startEmulator({ port: 0 });
    const mixed = await startEmulator({ port: 0, profile: 'optimistic', switches: { callbackAsText: true } });
    try {
      assert.equal(byDefault.profile, 'evidence');
      assert.deepEqual(byDefault.fidelity, FIDELITY_PROFILES.evidence);
      const info = await control(byDefault, '');
      assert.equal(info.body.data.profile, 'evidence');
      assert.deepEqual(info.body.data.switches, FIDELITY_PROFILES.evidence);

      assert.equal(mixed.profile, 'optimistic');
      assert.deepEqual(mixed.fidelity, { ...FIDELITY_PROFILES.optimistic, callbackAsText: true });
      assert.deepEqual((await control(mixed, '')).body.data.switches, mixed.fidelity);
    } finally {
      await byDefault.close();
      await mixed.close();
    }
  });
});

describe('widgetOnlyScope (audit #2)', () => {
  it('off: a widget credential reads and writes calendars and syncs; on: only the booking.js endpoints, 403 elsewhere', async () => {
    await bothSides('widgetOnlyScope', async (emulator, on) => {
      const alex = await syncedIdentity(emulator, ALEX);
      const credential = await widgetCredential(emulator, alex.auth, { referrer: SITE });
      const widget: Headers = { ...userAuth(ALEX, credential.token), origin: SITE };
      const work = alex.byName.get('Work');
      const beyond = [
        await api(emulator, '/calendars', { auth: widget }),
        await api(emulator, `/calendars/${work.id}`, { auth: widget }),
        await api(emulator, `/calendars/${work.id}`, { method: 'PUT', auth: widget, body: { provider_sync: true } }),
        await api(emulator, '/accounts/sync', { method: 'POST', auth: widget }),
        await api(emulator, '/accounts', { auth: widget }),
      ];
      for (const answer of beyond) {
        if (on) assertError(answer, 403);
        else assert.equal(answer.status, 200, answer.text);
      }
      // The widget endpoints answer on both sides.
      assert.equal((await api(emulator, '/findtime', { auth: widget, body: { emails: [ALEX], future: '2 days' } })).status, 200);
      const resourceId = emulator.state.resourceByEmail(ALEX)!.id;
      const availability = await api(emulator, '/availability', { auth: widget, body: { resources: [resourceId], to: '2 days' } });
      assert.equal(availability.status, 200, availability.text);
      assert.equal((await api(emulator, `/users/timezone/${ALEX}`, { auth: widget })).status, 200);
      const booked = await api(emulator, '/bookings', {
        auth: widget,
        body: {
          graph: 'instant',
          start: '2026-06-03T18:00:00Z',
          end: '2026-06-03T19:00:00Z',
          what: 'Widget booking',
          customer: { name: 'Pat', email: 'pat@example.com' },
        },
      });
      assert.equal(booked.status, 201, booked.text);
      // The resource itself keeps full access either way.
      assert.equal((await api(emulator, '/calendars', { auth: alex.auth })).status, 200);
    });
  });
});

describe('putNoContent (audit #1)', () => {
  it('off: PUT /calendars/:id answers 200 with the calendar; on: 204 with no body; the change is saved either way', async () => {
    await bothSides('putNoContent', async (emulator, on) => {
      const alex = await syncedIdentity(emulator, ALEX);
      const work = alex.byName.get('Work');
      const put = await api(emulator, `/calendars/${work.id}`, { method: 'PUT', auth: alex.auth, body: { provider_sync: true } });
      if (on) {
        assert.equal(put.status, 204);
        assert.equal(put.text, '');
        assert.equal(put.headers.get('content-type'), null);
      } else {
        assert.equal(put.status, 200);
        assert.equal(put.body.data.provider_sync, true);
      }
      assert.equal((await api(emulator, `/calendars/${work.id}`, { auth: alex.auth })).body.data.provider_sync, true);
    });
  });
});

describe('noTokenOnCreate (audit #3)', () => {
  it('off: the POST /resources answer carries api_token; on: no token at all; the app key finds it both ways', async () => {
    await bothSides('noTokenOnCreate', async (emulator, on) => {
      const { created, resource, token, auth } = await plainResource(emulator);
      assert.equal('api_token' in resource, !on, created.text);
      assert.equal('token' in resource, false);
      const byCredentials = await api(emulator, `/credentials?search=resource.id:${resource.id}`, { auth: appAuth(emulator.appKey) });
      assert.equal(byCredentials.status, 200);
      const tokens = byCredentials.body.data.map((c: { token: string }) => c.token);
      if (!on) assert.ok(tokens.includes(resource.api_token));
      // The token found with ?include=credentials (plainResource) is listed too, and authenticates.
      assert.ok(tokens.includes(token));
      assert.equal((await api(emulator, '/calendars', { auth })).status, 200);
    });
  });
});

describe('searchIgnoresUnknown (audit #4/#11)', () => {
  it('off: email and type searches filter and an unknown field is 422; on: they are ignored (the whole list), resource.id still filters', async () => {
    await bothSides('searchIgnoresUnknown', async (emulator, on) => {
      const app = appAuth(emulator.appKey);
      const first = await plainResource(emulator, 'first@example.test');
      await plainResource(emulator, 'second@example.test');
      await widgetCredential(emulator, first.auth, { referrer: SITE });

      const byEmail = await api(emulator, '/resources?search=email:second@example.test', { auth: app });
      assert.equal(byEmail.status, 200);
      assert.deepEqual(
        byEmail.body.data.map((r: { email: string }) => r.email).sort(),
        on ? ['first@example.test', 'second@example.test'] : ['second@example.test'],
      );

      const clientTokens = await api(emulator, `/credentials?search=type:client-token;resource.id:${first.resource.id}`, { auth: app });
      assert.equal(clientTokens.status, 200);
      assert.deepEqual(
        clientTokens.body.data.map((c: { type: string }) => c.type).sort(),
        on ? ['client-token', 'server-token'] : ['client-token'],
      );

      const unknown = await api(emulator, '/resources?search=favourite_colour:blue', { auth: app });
      if (on) assert.equal(unknown.body.total, 2);
      else assertInvalid(unknown, 'search');
    });
  });
});

describe('bodyIgnoresUnknown (audit #18)', () => {
  it('off: an unknown body field, nested field or include is 422; on: each is ignored and the call succeeds', async () => {
    await bothSides('bodyIgnoresUnknown', async (emulator, on) => {
      const app = appAuth(emulator.appKey);
      const created = await api(emulator, '/resources', { auth: app, body: { name: 'Junk', timezone: 'UTC', fakingit: 'what' } });
      if (on) {
        assert.equal(created.status, 201, created.text);
        assert.equal('fakingit' in created.body.data, false);
      } else assertInvalid(created, 'fakingit');

      const listed = await api(emulator, '/resources?include=calendars,horoscope', { auth: app });
      if (on) assert.equal(listed.status, 200, listed.text);
      else assertInvalid(listed, 'include');

      const alex = await syncedIdentity(emulator, ALEX);
      const booked = await api(emulator, '/bookings', {
        auth: alex.auth,
        body: {
          graph: 'instant',
          event: { start: '2026-06-03T18:00:00Z', end: '2026-06-03T19:00:00Z', what: 'Nested junk', colour: 'red' },
          customer: { name: 'Pat', email: 'pat@example.com', shoe_size: 44 },
          widget_id: 'w-1',
        },
      });
      if (on) assert.equal(booked.status, 201, booked.text);
      else assertInvalid(booked, 'event.colour', 'customer.shoe_size', 'widget_id');
      // Known fields are still checked on both sides.
      assertInvalid(await api(emulator, '/resources', { auth: app, body: { timezone: 'UTC', fakingit: 1 } }), 'name');
    });
  });
});

describe('callbackAsText (audit #5)', () => {
  it('off: email and token are set with the URL API (encoded, the query kept); on: appended to the text, the "+" left as is', async () => {
    await bothSides('callbackAsText', async (emulator, on) => {
      const callback = `${CALLBACK}?nonce=abc.def`;
      const riley = 'riley.quinn+tk@example.com';
      const location = await consentRedirect(emulator, riley, 'allow', callback);
      const parsed = new URL(location);
      if (on) {
        const token = location.slice(location.indexOf('&token=') + '&token='.length);
        assert.equal(location, `${callback}?email=${riley}&token=${token}`);
        // What a client that parses it as one URL sees: the nonce swallowed the email.
        assert.equal(parsed.searchParams.get('nonce'), `abc.def?email=${riley.replace('+', ' ')}`);
      } else {
        assert.equal(parsed.searchParams.get('nonce'), 'abc.def');
        assert.equal(parsed.searchParams.get('email'), riley);
        assert.match(location, /email=riley\.quinn%2Btk%40example\.com/);
      }
      const denied = await consentRedirect(emulator, ALEX, 'deny', callback);
      assert.equal(denied, on ? `${callback}?error=access_denied` : `${callback}&error=access_denied`);
    });
  });
});

describe('credentialArraysRefused (audit #6)', () => {
  it('off: scopes and referrer may be arrays; on: an array is 422, strings are accepted; answers show arrays', async () => {
    await bothSides('credentialArraysRefused', async (emulator, on) => {
      const alex = await googleLogin(emulator, ALEX);
      const mint = (body: Record<string, unknown>) => api(emulator, '/credentials', { auth: alex.auth, body: { type: 'client-token', ...body } });
      const arrays = await mint({ scopes: ['widget'], referrer: [SITE] });
      if (on) assertInvalid(arrays, 'scopes', 'referrer');
      else assert.equal(arrays.status, 201, arrays.text);
      if (on) assertInvalid(await mint({ scopes: 'widget', referrer: [SITE] }), 'referrer');
      const strings = await mint({ scopes: 'widget', referrer: SITE });
      assert.equal(strings.status, 201, strings.text);
      assert.deepEqual(strings.body.data.scopes, ['widget']);
      assert.deepEqual(strings.body.data.referrer, [SITE]);
    });
  });
});

describe('retryAfterHidden (audit #13)', () => {
  it('off: browsers may read Retry-After and the rate-limit headers; on: only Timekit-TestMode; Retry-After is sent either way', async () => {
    await bothSides('retryAfterHidden', async (emulator, on) => {
      const limited = await api(emulator, '/resources', {
        auth: appAuth(emulator.testAppKey),
        headers: { origin: SITE, 'tk-emulator-fault': 'status=429; retry-after=3' },
      });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '3');
      const exposed = limited.headers.get('access-control-expose-headers');
      if (on) assert.equal(exposed, 'Timekit-TestMode');
      else assert.match(exposed!, /Retry-After/);
    });
  });
});

describe('importOnlySynced (audit #15)', () => {
  // Tuesday 2 June, 09:00 in New York: Alex's Work stand-up (09:00–09:30).
  const standUp = { start: '2026-06-02T13:00:00Z', future: '30 minutes', length: '30 minutes' };
  const freeAtStandUp = async (emulator: Emulator, auth: Headers) =>
    (await api(emulator, '/findtime', { auth, body: standUp })).body.data.length === 1;

  it('off: a calendar switched to sync is busy at once; on: only after the next sync, which also drops an unsynced one', async () => {
    await bothSides('importOnlySynced', async (emulator, on) => {
      const alex = await syncedIdentity(emulator, ALEX);
      const work = alex.byName.get('Work');
      assert.equal(await freeAtStandUp(emulator, alex.auth), true, 'nothing syncs yet');
      await api(emulator, `/calendars/${work.id}`, { method: 'PUT', auth: alex.auth, body: { provider_sync: true } });
      assert.equal(await freeAtStandUp(emulator, alex.auth), on, 'right after the toggle');
      await api(emulator, '/accounts/sync', { method: 'POST', auth: alex.auth });
      assert.equal(await freeAtStandUp(emulator, alex.auth), false, 'after a sync');

      const workEvents = () => [...emulator.state.events.values()].filter((e) => e.calendar_id === work.id).length;
      await api(emulator, `/calendars/${work.id}`, { method: 'PUT', auth: alex.auth, body: { provider_sync: false } });
      assert.ok(workEvents() > 0, 'a toggle drops nothing');
      await api(emulator, '/accounts/sync', { method: 'POST', auth: alex.auth });
      assert.equal(workEvents() > 0, !on, 'a sync keeps or drops the events of a calendar that no longer syncs');
    });
  });
});

describe('availabilityWidgetRefused (re-audit row 19)', () => {
  it('off: a widget credential asks POST /availability; on: 403, while findtime and the resource token still answer', async () => {
    await bothSides('availabilityWidgetRefused', async (emulator, on) => {
      const alex = await syncedIdentity(emulator, ALEX);
      const credential = await widgetCredential(emulator, alex.auth, { referrer: SITE });
      const widget = { ...userAuth(ALEX, credential.token), origin: SITE };
      const body = { resources: [emulator.state.resourceByEmail(ALEX)!.id], to: '2 days' };
      const asWidget = await api(emulator, '/availability', { auth: widget, body });
      if (on) assertError(asWidget, 403);
      else assert.equal(asWidget.status, 200, asWidget.text);
      assert.equal((await api(emulator, '/availability', { auth: alex.auth, body })).status, 200);
      assert.equal((await api(emulator, '/findtime', { auth: widget, body: { emails: [ALEX], future: '2 days' } })).status, 200);
    });
  });
});

describe('lowercaseDayIgnored (re-audit row 20)', () => {
  it('off: "monday" means Monday; on: the rule is ignored and the whole week comes back; "Monday" works on both', async () => {
    await bothSides('lowercaseDayIgnored', async (emulator) => {
      const { resource } = await plainResource(emulator);
      // Monday 1 June 2026 noon UTC to Thursday noon: Oslo (UTC+2) Monday afternoon to Thursday.
      const weekdaysOf = async (day: string) => {
        const body = { resources: [resource.id], from: '2026-06-01T12:00:00Z', to: '2026-06-04T12:00:00Z', constraints: [{ allow_day: { day } }] };
        const answer = await api(emulator, '/availability', { auth: appAuth(emulator.appKey), body });
        assert.equal(answer.status, 200, answer.text);
        const names = answer.body.data.map((slot: { start: string }) =>
          new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Oslo', weekday: 'long' }).format(new Date(slot.start)),
        );
        return [...new Set(names)];
      };
      assert.deepEqual(await weekdaysOf('Monday'), ['Monday']);
      assert.deepEqual(await weekdaysOf('monday'), emulator.fidelity.lowercaseDayIgnored ? ['Monday', 'Tuesday', 'Wednesday', 'Thursday'] : ['Monday']);
    });
  });
});

describe('bookingFieldsRequired (re-audit row 15)', () => {
  it("off: graph, start, end, what and customer suffice; on: also where, description and the flat body's resource_id", async () => {
    await bothSides('bookingFieldsRequired', async (emulator, on) => {
      const { resource, auth } = await plainResource(emulator);
      const minimal = {
        graph: 'instant',
        start: '2026-06-03T18:00:00Z',
        end: '2026-06-03T19:00:00Z',
        what: 'Haircut',
        customer: { name: 'Pat', email: 'pat@example.com' },
      };
      const bare = await api(emulator, '/bookings', { auth, body: minimal });
      if (on) assertInvalid(bare, 'where', 'description', 'resource_id');
      else assert.equal(bare.status, 201, bare.text);
      const full = { ...minimal, start: '2026-06-03T20:00:00Z', end: '2026-06-03T21:00:00Z', resource_id: resource.id, where: 'Salon', description: 'Short', action: 'confirm' };
      assert.equal((await api(emulator, '/bookings', { auth, body: full })).status, 201);
      // booking.js 1.x's nested body names its resource through the credential.
      const nested = { graph: 'instant', customer: minimal.customer, event: { start: '2026-06-04T18:00:00Z', end: '2026-06-04T19:00:00Z', what: 'Cut', where: 'TBD', description: '' } };
      assert.equal((await api(emulator, '/bookings', { auth, body: nested })).status, 201);
    });
  });
});

describe('denyWithoutError (audit #9)', () => {
  it('off: Deny sends error=access_denied; on: the bare callback', async () => {
    await bothSides('denyWithoutError', async (emulator, on) => {
      const denied = await consentRedirect(emulator, ALEX, 'deny', CALLBACK);
      assert.equal(denied, on ? CALLBACK : `${CALLBACK}?error=access_denied`);
    });
  });
});

describe('expiresIgnored (audit #16)', () => {
  it('off: expires is kept and checked; on: ignored, the credential lives one year', async () => {
    await bothSides('expiresIgnored', async (emulator, on) => {
      const alex = await googleLogin(emulator, ALEX);
      const inAnHour = '2026-06-01T13:00:00+00:00';
      const mint = (expires: string) =>
        api(emulator, '/credentials', { auth: alex.auth, body: { type: 'client-token', scopes: 'widget', referrer: SITE, expires } });
      const minted = await mint(inAnHour);
      assert.equal(minted.status, 201, minted.text);
      assert.equal(minted.body.data.expires, on ? '2027-06-01T12:00:00+00:00' : inAnHour);
      const nonsense = await mint('soon');
      if (on) assert.equal(nonsense.status, 201);
      else assertInvalid(nonsense, 'expires');
    });
  });
});

describe('refererOnly (audit #10)', () => {
  it("off: the Origin decides, else the Referer; on: only the Referer's origin, and none is a 403", async () => {
    await bothSides('refererOnly', async (emulator, on) => {
      const alex = await googleLogin(emulator, ALEX);
      const credential = await widgetCredential(emulator, alex.auth, { referrer: SITE });
      const widget = userAuth(ALEX, credential.token);
      const findtime = (headers: Headers) => api(emulator, '/findtime', { auth: widget, headers, body: { future: '1 day' } });

      const originOnly = await findtime({ origin: SITE });
      if (on) assertError(originOnly, 403);
      else assert.equal(originOnly.status, 200);
      const refererVouches = await findtime({ origin: 'http://127.0.0.1:9999', referer: `${SITE}/booking/page` });
      if (on) assert.equal(refererVouches.status, 200, refererVouches.text);
      else assertError(refererVouches, 403);
      assert.equal((await findtime({ origin: SITE, referer: `${SITE}/` })).status, 200);
    });
  });
});

describe('the evidence profile as a whole', () => {
  it('serves a resource the evidence way end to end: no token on create, widget limited, PUT 204, callback as text', async () => {
    const emulator = await start({ profile: 'evidence', now: () => MONDAY_NOON });
    try {
      const { resource, auth } = await plainResource(emulator);
      assert.equal(resource.api_token, undefined);
      const location = await consentRedirect(emulator, ALEX, 'allow', CALLBACK);
      const login = new URL(location);
      const alex = userAuth(login.searchParams.get('email')!, login.searchParams.get('token')!, emulator.app);
      await api(emulator, '/accounts/sync', { method: 'POST', auth: alex });
      const calendars = await api(emulator, '/calendars', { auth: alex });
      const put = await api(emulator, `/calendars/${calendars.body.data[0].id}`, { method: 'PUT', auth: alex, body: { provider_sync: true } });
      assert.equal(put.status, 204);
      const credential = await api(emulator, '/credentials', { auth, body: { type: 'client-token', scopes: 'widget', referrer: SITE } });
      assert.equal(credential.status, 201, credential.text);
      const widget = { ...userAuth(resource.email, credential.body.data.token), origin: SITE };
      assertError(await api(emulator, '/calendars', { auth: widget }), 403);
      assert.equal((await api(emulator, '/findtime', { auth: widget, body: { future: '1 day' } })).status, 200);
    } finally {
      await emulator.close();
    }
  });
});
