/**
 * TkSession on its own: credentials, single flight, refresh, the 401 retry, headers of both
 * modes, the calendar cache and error codes. `window.fetch` is replaced by a recorder here, since
 * this is the module that calls it.
 */
import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { TkSession } from '../../../src/session/session-service.js';
import { TkError } from '../../../src/session/errors.js';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';

const TOKEN = 'secret-widget-token-91b2';

const ready = (fields: Partial<TkReadySession> = {}): TkReadySession => ({
  status: 'ready',
  mode: 'direct',
  apiBase: 'https://api.test.invalid/v2/',
  app: 'tk-test',
  email: 'søren@example.com',
  resourceId: 'res-1',
  token: TOKEN,
  expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
  accounts: [],
  ...fields,
});

interface Call {
  url: string;
  method: string;
  headers: Headers;
  body: string | null;
}

const page = (data: unknown[], last = 1, current = 1) => ({ data, last_page: last, current_page: current, total: data.length });

/** Replaces fetch with `answer` and records the calls. */
function stubFetch(answer: (call: Call) => Response | Promise<Response>) {
  const calls: Call[] = [];
  const original = window.fetch;
  window.fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = { url: String(input), method: init.method ?? 'GET', headers: new Headers(init.headers), body: (init.body as string) ?? null };
    calls.push(call);
    return answer(call);
  };
  return { calls, restore: () => (window.fetch = original) };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const basicPassword = (call: Call) =>
  new TextDecoder().decode(Uint8Array.from(atob(call.headers.get('authorization')!.slice(6)), (c) => c.charCodeAt(0)));

describe('TkSession', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('needs an endpoint or fetchCredentials', () => {
    expect(() => new TkSession({})).to.throw(TypeError);
  });

  it('asks the companion once for many concurrent callers (single flight) and becomes ready', async () => {
    const stub = stubFetch(() => json(ready()));
    restore = stub.restore;
    const session = new TkSession({ endpoint: '/companion/' });
    const changes: string[] = [];
    session.addEventListener('change', () => changes.push(session.status));
    await Promise.all([session.refresh(), session.refresh(), session.start()]);
    expect(stub.calls).to.have.length(1);
    expect(stub.calls[0]!.url).to.equal(`${location.origin}/companion/session`);
    expect(stub.calls[0]!.method).to.equal('POST');
    expect(changes).to.deep.equal(['loading', 'ready']);
    expect(session.account).to.deep.include({ email: 'søren@example.com', resourceId: 'res-1' });
    session.stop();
  });

  it('direct mode: Basic email:token (UTF-8) and Timekit-App to apiBase', async () => {
    const stub = stubFetch(() => json(page([])));
    restore = stub.restore;
    const session = new TkSession({ fetchCredentials: async () => ready() });
    await session.calendars();
    const call = stub.calls[0]!;
    expect(call.url).to.equal('https://api.test.invalid/v2/calendars?limit=1000&page=1');
    expect(basicPassword(call)).to.equal(`søren@example.com:${TOKEN}`);
    expect(call.headers.get('timekit-app')).to.equal('tk-test');
    session.stop();
  });

  it('relay mode: Bearer token, no Timekit-App', async () => {
    const stub = stubFetch(() => json(page([])));
    restore = stub.restore;
    const session = new TkSession({ fetchCredentials: async () => ready({ mode: 'relay', apiBase: '/timekit/api/v2' }) });
    await session.calendars();
    expect(stub.calls[0]!.headers.get('authorization')).to.equal(`Bearer ${TOKEN}`);
    expect(stub.calls[0]!.headers.has('timekit-app')).to.equal(false);
    session.stop();
  });

  it('on a 401 refreshes once and retries once', async () => {
    let answers = 0;
    const stub = stubFetch(() => (answers++ === 0 ? json({ error: 'expired' }, 401) : json(page([{ id: 'a' }]))));
    restore = stub.restore;
    let minted = 0;
    const session = new TkSession({ fetchCredentials: async () => ready({ token: `t${++minted}` }) });
    const list = await session.calendars();
    expect(list).to.deep.equal([{ id: 'a' }]);
    expect(minted).to.equal(2);
    expect(stub.calls.map((c) => basicPassword(c).split(':')[1])).to.deep.equal(['t1', 't2']);
    session.stop();
  });

  it('a second 401 is an unauthorized error (no loop)', async () => {
    const stub = stubFetch(() => json({ error: 'no' }, 401));
    restore = stub.restore;
    let minted = 0;
    const session = new TkSession({ fetchCredentials: async () => (minted++, ready()) });
    const error = await session.calendars().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TkError);
    expect((error as TkError).code).to.equal('unauthorized');
    expect(stub.calls).to.have.length(2);
    expect(minted).to.equal(2);
    session.stop();
  });

  it('maps statuses and failures onto the fixed codes', async () => {
    const statuses: Array<[number, string, boolean]> = [
      [403, 'forbidden', false],
      [404, 'not-found', false],
      [422, 'invalid', false],
      [429, 'rate-limited', true],
      [503, 'unavailable', true],
    ];
    for (const [status, code, retryable] of statuses) {
      const stub = stubFetch(() => json({ error: 'x' }, status));
      const session = new TkSession({ retryDelayMs: 0, fetchCredentials: async () => ready() });
      const error = (await session.calendars().catch((e: unknown) => e)) as TkError;
      stub.restore();
      session.stop();
      expect([error.code, error.retryable], String(status)).to.deep.equal([code, retryable]);
    }
    const stub = stubFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    restore = stub.restore;
    const session = new TkSession({ retryDelayMs: 0, fetchCredentials: async () => ready() });
    const error = (await session.calendars().catch((e: unknown) => e)) as TkError;
    session.stop();
    expect([error.code, error.retryable]).to.deep.equal(['network', true]);
  });

  it('maps companion refusals and becomes error; signed-out when the user has no resource', async () => {
    let body: [unknown, number] = [{ error: { code: 'origin-not-allowed', message: 'no' } }, 403];
    const stub = stubFetch(() => json(...body));
    restore = stub.restore;
    const session = new TkSession({ endpoint: '/companion' });
    await session.refresh();
    expect(session.status).to.equal('error');
    expect(session.error!.code).to.equal('origin-mismatch');
    body = [{ status: 'signed-out' }, 200];
    await session.refresh();
    expect(session.status).to.equal('signed-out');
    expect(session.error).to.equal(null);
  });

  it('loads all pages of calendars once and shares them between callers', async () => {
    const stub = stubFetch((call) => (call.url.endsWith('page=1') ? json(page([{ id: 'a' }], 2, 1)) : json(page([{ id: 'b' }], 2, 2))));
    restore = stub.restore;
    const session = new TkSession({ fetchCredentials: async () => ready() });
    const [one, two] = await Promise.all([session.calendars(), session.calendars()]);
    expect(one).to.deep.equal([{ id: 'a' }, { id: 'b' }]);
    expect(two).to.equal(one);
    expect(stub.calls).to.have.length(2);
    session.stop();
  });

  it('uses calendars preloaded in the session response (no request)', async () => {
    const stub = stubFetch(() => json(page([])));
    restore = stub.restore;
    const session = new TkSession({ fetchCredentials: async () => ready({ calendars: [{ id: 'pre' }] as never }) });
    await session.refresh();
    expect(await session.calendars()).to.deep.equal([{ id: 'pre' }]);
    expect(stub.calls).to.have.length(0);
    session.stop();
  });

  it('refreshes shortly before expiresAt', async () => {
    let minted = 0;
    // 120.5 s of life and a 60 s margin: due in a minute, not now
    const session = new TkSession({
      refreshMarginMs: 60_000,
      fetchCredentials: async () => (minted++, ready({ expiresAt: new Date(Date.now() + 120_500).toISOString() })),
    });
    await session.refresh();
    expect(minted).to.equal(1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(minted).to.equal(1);
    session.stop();
    // 1 s of life: the margin is capped at half of it, so the refresh is due after half a second
    const soon = new TkSession({
      refreshMarginMs: 60_000,
      fetchCredentials: async () => (minted++, ready({ expiresAt: new Date(Date.now() + 1_000).toISOString() })),
    });
    await soon.refresh();
    await waitUntil(() => minted === 3, 'no refresh before expiry', { timeout: 2_000 });
    soon.stop();
  });

  it('keeps the token out of JSON, enumerable properties and errors', async () => {
    const stub = stubFetch(() => json({ error: 'x' }, 500));
    restore = stub.restore;
    const session = new TkSession({ retryDelayMs: 0, fetchCredentials: async () => ready() });
    const error = await session.calendars().catch((e: unknown) => e);
    session.stop();
    expect(JSON.stringify(session)).to.not.contain(TOKEN);
    expect(Object.values(session).map(String).join()).to.not.contain(TOKEN);
    expect(String(error) + JSON.stringify(error)).to.not.contain(TOKEN);
  });
});

describe('TkSession background refresh', () => {
  it('gives up on a credential request that never answers, even if the host ignores the signal', async () => {
    const session = new TkSession({ timeoutMs: 50, retryDelayMs: 1, fetchCredentials: () => new Promise(() => {}) });
    await session.refresh();
    expect(session.status).to.equal('error');
    expect(session.error!.code).to.equal('network');
  });

  it('a passing failure while the credential still works keeps the session ready; a lasting one is an error', async () => {
    let fail: TkError | null = null;
    const session = new TkSession({
      fetchCredentials: async () => {
        if (fail) throw fail;
        return ready();
      },
    });
    await session.refresh();
    fail = new TkError('network');
    await session.refresh();
    expect(session.status).to.equal('ready');
    expect(session.error).to.equal(null);
    fail = new TkError('unauthorized');
    await session.refresh();
    expect(session.status).to.equal('error');
    expect(session.error!.code).to.equal('unauthorized');
    session.stop();
  });
});

describe('TkSession retries', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  /** Answers the calls in turn with `answers`, then with the last one. */
  function sequence(...answers: Array<() => Response | Promise<Response>>) {
    const stub = stubFetch(() => answers[Math.min(stub.calls.length - 1, answers.length - 1)]!());
    restore = stub.restore;
    return stub;
  }
  const failing = (status: number, retryAfter?: string) => () =>
    new Response('{"error":"x"}', { status, headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter } });

  it('tries a 429, a 503 and malformed JSON again and returns the answer that works', async () => {
    const stub = sequence(failing(429, '0'), () => new Response('{"data":[', { status: 200 }), () => json(page([{ id: 'c1' }])));
    const session = new TkSession({ retryDelayMs: 1, fetchCredentials: async () => ready() });
    expect((await session.calendars()).map((c) => c.id)).to.deep.equal(['c1']);
    expect(stub.calls).to.have.length(3);
    session.stop();
  });

  it('tries a network failure again with a doubling delay', async () => {
    const stub = sequence(() => Promise.reject(new TypeError('Failed to fetch')), failing(500), () => json(page([])));
    const session = new TkSession({ retryDelayMs: 150, fetchCredentials: async () => ready() });
    const started = performance.now();
    await session.calendars();
    expect(stub.calls).to.have.length(3);
    expect(performance.now() - started).to.be.at.least(150 + 300 - 20);
    session.stop();
  });

  it('honours Retry-After in seconds', async () => {
    const stub = sequence(failing(503, '1'), () => json(page([])));
    const session = new TkSession({ retryDelayMs: 0, fetchCredentials: async () => ready() });
    const started = performance.now();
    await session.calendars();
    expect(stub.calls).to.have.length(2);
    expect(performance.now() - started).to.be.at.least(950);
    session.stop();
  });

  it('gives up after two retries with the last error', async () => {
    const stub = sequence(failing(503, '0'));
    const session = new TkSession({ fetchCredentials: async () => ready() });
    const error = (await session.calendars().catch((e: unknown) => e)) as TkError;
    expect([error.code, error.status]).to.deep.equal(['unavailable', 503]);
    expect(stub.calls).to.have.length(3);
    session.stop();
  });

  it('never tries 403, 404 or 422 again', async () => {
    for (const status of [403, 404, 422]) {
      const stub = sequence(failing(status));
      const session = new TkSession({ retryDelayMs: 0, fetchCredentials: async () => ready() });
      await session.calendars().catch(() => {});
      stub.restore();
      session.stop();
      expect(stub.calls, String(status)).to.have.length(1);
    }
  });

  it("stops waiting when the caller's signal aborts, and asks no more", async () => {
    const stub = sequence(failing(503, '5'), () => json({ data: {} }));
    const session = new TkSession({ fetchCredentials: async () => ready() });
    const controller = new AbortController();
    const started = performance.now();
    const pending = session.request('GET', '/resources/me', { signal: controller.signal }).catch((e: unknown) => e);
    await waitUntil(() => stub.calls.length === 1);
    controller.abort();
    const error = (await pending) as DOMException;
    expect(error.name).to.equal('AbortError');
    expect(performance.now() - started).to.be.below(1_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(stub.calls).to.have.length(1);
    session.stop();
  });

  it('asks the companion again after a passing failure, honouring its Retry-After, and becomes ready', async () => {
    const stub = sequence(failing(503, '1'), () => Promise.reject(new TypeError('Failed to fetch')), () => json(ready()));
    const session = new TkSession({ endpoint: 'https://companion.test.invalid', retryDelayMs: 1 });
    const started = performance.now();
    await session.refresh();
    expect(performance.now() - started).to.be.at.least(950);
    expect([session.status, stub.calls.length]).to.deep.equal(['ready', 3]);
    expect(stub.calls.every((c) => c.method === 'POST' && c.url.endsWith('/session'))).to.equal(true);
    session.stop();
  });

  it('never asks the companion again after a refusal (401, 403)', async () => {
    for (const status of [401, 403]) {
      const stub = sequence(failing(status));
      const session = new TkSession({ endpoint: 'https://companion.test.invalid', retryDelayMs: 0 });
      await session.refresh();
      stub.restore();
      expect([session.status, stub.calls.length], String(status)).to.deep.equal(['error', 1]);
    }
  });

  it('does not repeat a Timekit call when the credentials could not be had (the companion is down)', async () => {
    const stub = sequence(() => json(page([])));
    let asked = 0;
    // the credential request takes its own two retries (600 + 1,200 ms); retrying the Timekit call
    // on top would wait as long again
    const session = new TkSession({ retryDelayMs: 600, fetchCredentials: () => (asked++, Promise.reject(new TypeError('Failed to fetch'))) });
    const started = performance.now();
    const error = (await session.calendars().catch((e: unknown) => e)) as TkError;
    expect(error.code).to.equal('network');
    expect(performance.now() - started).to.be.within(1_750, 3_000);
    expect([asked, stub.calls.length]).to.deep.equal([3, 0]);
  });

  describe('what Timekit may answer, and where calls go', () => {
    const calendar = (fields: Record<string, unknown> = {}) => ({ id: 'cal-1', name: 'Work', provider: 'google', provider_sync: false, ...fields });
    const widget = { apiBase: 'https://api.test.invalid/v2', app: 'tk-test', email: 'søren@example.com', token: 'widget-token-77', expiresAt: new Date(Date.now() + 3_600_000).toISOString() };
    const relay = () => ready({ mode: 'relay', apiBase: 'https://app.test.invalid/timekit/api/v2', widget });

    it('relay mode: calendar calls to the relay with the Bearer token, widget calls to Timekit with the widget credential', async () => {
      const stub = stubFetch(() => json({ data: [] }));
      restore = stub.restore;
      const session = new TkSession({ fetchCredentials: async () => relay() });
      await session.calendars();
      await session.request('POST', '/findtime', { body: { calendar_ids: ['cal-1'] } });
      await session.request('POST', '/bookings', { body: {} });
      const [list, findtime, booking] = stub.calls;
      expect(list!.url).to.equal('https://app.test.invalid/timekit/api/v2/calendars?limit=1000&page=1');
      expect(list!.headers.get('authorization')).to.equal(`Bearer ${TOKEN}`);
      for (const call of [findtime!, booking!]) {
        expect(call.url.startsWith('https://api.test.invalid/v2/')).to.equal(true);
        expect(basicPassword(call)).to.equal('søren@example.com:widget-token-77');
        expect(call.headers.get('timekit-app')).to.equal('tk-test');
      }
      expect(session.widgetCredential).to.deep.equal(widget);
      session.stop();
    });

    it('relay mode: bookableSlots asks /availability on the relay with the Bearer token; a relay refusal falls back to findtime with the widget credential', async () => {
      let refuse = false;
      const slot = (start: string, end: string) => ({ start, end, resources: [{ id: 'res-1', name: 'Søren' }] });
      const stub = stubFetch((call) => {
        if (call.url.endsWith('/availability')) {
          if (refuse) return json({ error: { code: 'not-allowed', message: 'not relayed' } }, 403);
          // 18:00 in Berlin is outside the rules: the session drops it.
          return json({ data: [slot('2027-06-07T07:00:00+00:00', '2027-06-07T08:00:00+00:00'), slot('2027-06-07T16:00:00+00:00', '2027-06-07T17:00:00+00:00')] });
        }
        return json({ data: [{ start: '2027-06-08T07:00:00+00:00', end: '2027-06-08T08:00:00+00:00' }] });
      });
      restore = stub.restore;
      const session = new TkSession({ fetchCredentials: async () => relay(), retryDelayMs: 1 });
      const rules = { constraints: [{ allow_hours: { start: 9, end: 17 } }], timezone: 'Europe/Berlin' };
      const query = { rules, length: '1 hour', from: '2027-06-07T00:00:00+02:00', to: '2027-06-14T00:00:00+02:00' };
      expect(await session.bookableSlots(query)).to.deep.equal([{ start: '2027-06-07T07:00:00+00:00', end: '2027-06-07T08:00:00+00:00' }]);
      expect(session.availabilityPath).to.equal('availability');
      const [asked] = stub.calls;
      expect(asked!.url).to.equal('https://app.test.invalid/timekit/api/v2/availability');
      expect(asked!.headers.get('authorization')).to.equal(`Bearer ${TOKEN}`);
      expect(JSON.parse(asked!.body!)).to.deep.include({ resources: ['res-1'], constraints: rules.constraints, length: '1 hour', output_timezone: 'Europe/Berlin' });

      refuse = true;
      expect(await session.bookableSlots({ ...query, calendarIds: ['cal-1'] })).to.deep.equal([{ start: '2027-06-08T07:00:00+00:00', end: '2027-06-08T08:00:00+00:00' }]);
      expect(session.availabilityPath).to.equal('findtime');
      const [refused, findtime] = stub.calls.slice(1);
      expect(refused!.url.endsWith('/api/v2/availability')).to.equal(true);
      expect(findtime!.url).to.equal('https://api.test.invalid/v2/findtime');
      expect(basicPassword(findtime!)).to.equal('søren@example.com:widget-token-77');
      expect(JSON.parse(findtime!.body!)).to.deep.include({ calendar_ids: ['cal-1'], start: query.from, future: '10080 minutes', length: '1 hour' });
      // The rules as findtime's filter-era names, in the rules' zone.
      const { or } = JSON.parse(findtime!.body!).filters as { or: unknown[] };
      expect(or).to.have.length(7);
      expect(or[0]).to.deep.equal({ specific_day_and_time: { day: 'Monday', start: 9, end: 17, timezone: 'Europe/Berlin' } });
      expect(stub.calls).to.have.length(3, 'a refusal is not retried');
      session.stop();
    });

    it('direct mode: the widget credential is the session token', async () => {
      const session = new TkSession({ fetchCredentials: async () => ready() });
      await session.refresh();
      expect(session.widgetCredential).to.deep.include({ apiBase: 'https://api.test.invalid/v2', app: 'tk-test', email: 'søren@example.com', token: TOKEN });
      session.stop();
    });

    it('any 2xx is a success: a 204 or an empty 200 resolves undefined and is not sent again', async () => {
      let n = 0;
      const stub = stubFetch(() => (n++ === 0 ? new Response(null, { status: 204 }) : new Response('', { status: 200 })));
      restore = stub.restore;
      const session = new TkSession({ fetchCredentials: async () => relay(), retryDelayMs: 1 });
      expect(await session.request('POST', '/accounts/sync')).to.equal(undefined);
      expect(await session.request('DELETE', '/credentials/x')).to.equal(undefined);
      expect(stub.calls).to.have.length(2);
      session.stop();
    });

    it('a PUT answered 204 saves once: the calendar is read back, the cache updated', async () => {
      const stub = stubFetch((call) => {
        if (call.method === 'PUT') return new Response(null, { status: 204 });
        if (call.url.includes('/calendars/cal-1')) return json({ data: calendar({ provider_sync: true }) });
        if (call.url.includes('/accounts/sync')) return json({ data: { count: 1 } });
        return json(page([calendar()]));
      });
      restore = stub.restore;
      const session = new TkSession({ fetchCredentials: async () => relay(), syncDelayMs: 10_000 });
      await session.calendars();
      const saved = await session.setProviderSync('cal-1', true);
      expect(saved).to.deep.include({ id: 'cal-1', provider_sync: true });
      expect((await session.calendars())[0]).to.deep.include({ provider_sync: true });
      expect(stub.calls.map((c) => `${c.method} ${new URL(c.url).pathname}`)).to.deep.equal([
        'GET /timekit/api/v2/calendars',
        'PUT /timekit/api/v2/calendars/cal-1',
        'GET /timekit/api/v2/calendars/cal-1',
      ]);
      session.stop();
    });

    it('a write answered with what is not JSON counts as answered: read back, and sent once more only when Timekit did not keep it', async () => {
      let kept = false;
      let puts = 0;
      const stub = stubFetch((call) => {
        if (call.method === 'PUT') {
          puts++;
          kept = puts > 1; // the first PUT's answer was garbled and the change lost
          return new Response('{"data": {"id": "', { status: 200 });
        }
        return json({ data: calendar({ provider_sync: kept }) });
      });
      restore = stub.restore;
      const session = new TkSession({ fetchCredentials: async () => relay(), syncDelayMs: 10_000 });
      expect((await session.setProviderSync('cal-1', true)).provider_sync).to.equal(true);
      expect(puts).to.equal(2);
      expect(stub.calls.filter((c) => c.method === 'GET')).to.have.length(2);
      session.stop();
    });

    it('after a burst of provider_sync writes, one POST /accounts/sync once the last has landed', async () => {
      const stub = stubFetch((call) => {
        if (call.method === 'PUT') return json({ data: calendar({ id: new URL(call.url).pathname.split('/').pop(), provider_sync: JSON.parse(call.body!).provider_sync }) });
        return json({ data: { count: 3 } });
      });
      restore = stub.restore;
      const session = new TkSession({ fetchCredentials: async () => relay(), syncDelayMs: 50 });
      const statuses: string[] = [];
      session.addEventListener('sync', () => statuses.push(session.syncStatus));
      await Promise.all([session.setProviderSync('a', true), session.setProviderSync('b', true)]);
      await session.setProviderSync('c', false);
      expect(stub.calls.filter((c) => c.url.endsWith('/accounts/sync'))).to.have.length(0);
      await waitUntil(() => session.syncStatus === 'idle', 'no sync');
      const syncs = stub.calls.filter((c) => c.url.endsWith('/accounts/sync'));
      expect(syncs).to.have.length(1);
      expect(syncs[0]!.method).to.equal('POST');
      expect(syncs[0]!.url.startsWith('https://app.test.invalid/timekit/api/v2/')).to.equal(true, 'through the relay');
      expect(statuses).to.deep.equal(['pending', 'syncing', 'idle']);
      session.stop();
    });

    it('a failed sync is reported (syncStatus error, syncError) and sync() tries again', async () => {
      let failing = true;
      const stub = stubFetch((call) => {
        if (call.method === 'PUT') return json({ data: calendar({ provider_sync: true }) });
        return failing ? json({ error: 'nope' }, 403) : json({ data: { count: 1 } });
      });
      restore = stub.restore;
      const session = new TkSession({ fetchCredentials: async () => relay(), syncDelayMs: 1 });
      await session.setProviderSync('cal-1', true);
      await waitUntil(() => session.syncStatus === 'error', 'no failure');
      expect(session.syncError!.code).to.equal('forbidden');
      failing = false;
      await session.sync();
      expect([session.syncStatus, session.syncError]).to.deep.equal(['idle', null]);
      expect(stub.calls.filter((c) => c.url.endsWith('/accounts/sync'))).to.have.length(2);
      session.stop();
    });

    describe('account status, as the syncs tell it', () => {
      const accounts = [
        { provider: 'google' as const, provider_id: 'ana@example.com', last_sync: null },
        { provider: 'microsoft' as const, provider_id: 'ana@contoso.example', last_sync: null },
      ];
      const withAccounts = () => ready({ ...relay(), accounts });

      /** A session whose syncs answer `answer` in turn, and a list of the statuses after each `accounts` event. */
      function syncing(answers: Array<() => Response>) {
        const stub = stubFetch((call) => (call.url.endsWith('/accounts/sync') ? answers.shift()!() : json(page([calendar()]))));
        restore = stub.restore;
        const session = new TkSession({ fetchCredentials: async () => withAccounts(), syncDelayMs: 10, retryDelayMs: 1 });
        const seen: string[][] = [];
        session.addEventListener('accounts', () => seen.push(accounts.map((a) => session.accountStatus(a))));
        return { session, stub, seen };
      }

      it('one health sync once ready: a 400 naming one account marks only that one (case-insensitive), a later sync that works marks it connected', async () => {
        const { session, stub, seen } = syncing([
          () => json({ error: 'Could not sync the microsoft account Ana@Contoso.example: invalid_grant' }, 400),
          () => json({ data: { count: 1 } }),
        ]);
        await session.start();
        await waitUntil(() => seen.length === 1, 'no status from the health sync');
        expect(seen[0]).to.deep.equal(['connected', 'disconnected']);
        expect(session.syncStatus, 'the health sync is quiet').to.equal('idle');
        await session.sync();
        expect(seen).to.deep.equal([['connected', 'disconnected'], ['connected', 'connected']]);
        expect(stub.calls.filter((c) => c.url.endsWith('/accounts/sync'))).to.have.length(2);
        session.stop();
      });

      it('a refused sync that names no account marks every account; a 429 or a 5xx says nothing', async () => {
        const { session, seen } = syncing([
          () => json({ error: 'Sync failed' }, 422),
          () => json({ error: 'slow down' }, 429),
          () => json({ error: 'down' }, 503),
        ]);
        await session.start();
        await waitUntil(() => seen.length === 1, 'no status from the health sync');
        expect(seen[0]).to.deep.equal(['disconnected', 'disconnected']);
        // the session's own retries spend the 429 and the 503 answers
        await session.sync().catch(() => undefined);
        expect(seen, 'unchanged').to.have.length(1);
        session.stop();
      });

      it('no health sync for a resource without accounts', async () => {
        const stub = stubFetch(() => json({ data: { count: 0 } }));
        restore = stub.restore;
        const session = new TkSession({ fetchCredentials: async () => relay(), syncDelayMs: 1 });
        await session.start();
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(stub.calls.filter((c) => c.url.endsWith('/accounts/sync'))).to.have.length(0);
        session.stop();
      });
    });

    it('accepts a calendar list without pagination keys', async () => {
      const stub = stubFetch(() => json({ data: [calendar()] }));
      restore = stub.restore;
      const session = new TkSession({ fetchCredentials: async () => relay() });
      expect((await session.calendars()).map((c) => c.id)).to.deep.equal(['cal-1']);
      expect(stub.calls).to.have.length(1);
      session.stop();
    });
  });
});
