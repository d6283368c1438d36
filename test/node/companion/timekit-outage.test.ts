/**
 * The companion under a misbehaving Timekit: bursts of 5xx, dropped connections and calls that
 * never answer, on every route. The companion's own reads are tried once more, writes Timekit may
 * have applied never are, relay calls are left to the elements' retries; every failure reaches the
 * element as a coded error; and a hanging Timekit cannot make the companion hold one socket per request.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import type { TimekitCalendar, TimekitPage } from '../../../src/shared/timekit.js';
import { CompanionError } from '../../../src/companion/index.js';
import { connect, consent, countingFront, errorCode, follow, OTHER_PAGE, PAGE, postSession, resultOf, startRig, waitFor, type CountingFront, type Rig } from './helpers.js';

/** Timekit calls one companion instance keeps open at once in these tests. */
const MAX_CALLS = 4;

describe('the companion while Timekit fails', () => {
  let rig: Rig;
  let front: CountingFront;
  let session: TkReadySession;
  let calendarId: string;
  const relay = (path: string, init: RequestInit = {}) =>
    rig.fetch(`/api/v2${path}`, { ...init, headers: { authorization: `Bearer ${session.token}`, 'content-type': 'application/json', ...init.headers } });
  const calls = (method: string, path: RegExp) => rig.count(method, path);

  before(async () => {
    rig = await startRig(async (emulator) => {
      front = await countingFront(emulator);
      return { apiBase: front.url, mode: 'relay', allowedOrigins: [PAGE, OTHER_PAGE], maxTimekitCalls: MAX_CALLS };
    });
    await connect(rig, 'ana');
    session = JSON.parse((await postSession(rig, 'ana')).body) as TkReadySession;
    calendarId = (JSON.parse((await relay('/calendars')).body) as TimekitPage<TimekitCalendar>).data[0]!.id;
  });
  after(async () => {
    await rig.close();
    await front.close();
  });

  it('tries its own reads once more after a 5xx or a dropped connection (a connect callback, a mint)', async () => {
    const callback = await consent(rig, 'eve', { identity: 'alex.morgan@example.com' });
    rig.emulator.faults.add({ kind: 'drop', path: '/resources', method: 'GET' });
    const finished = resultOf(await follow(rig, await rig.fetch(callback, { user: 'eve', origin: null })));
    assert.equal(finished.message.ok, true, 'the spent nonce gets no second chance: the companion tries again itself');

    const lists = calls('GET', /^\/credentials$/);
    rig.emulator.faults.add({ kind: 'status', status: 500, path: '/credentials', method: 'GET' });
    assert.equal((await postSession(rig, 'eve')).status, 200);
    assert.equal(calls('GET', /^\/credentials$/), lists + 2);
  });

  it('never sends a write again once Timekit may have applied it, and leaves the relay’s retries to the browser', async () => {
    const mints = calls('POST', /^\/credentials$/);
    rig.emulator.faults.add({ kind: 'status', status: 500, path: '/credentials', method: 'POST' });
    const mint = await postSession(rig, 'eve', { origin: OTHER_PAGE });
    assert.deepEqual([mint.status, errorCode(mint)], [502, 'timekit-unavailable']);
    assert.equal(calls('POST', /^\/credentials$/), mints + 1, 'sent once');
    assert.equal((await postSession(rig, 'eve', { origin: OTHER_PAGE })).status, 200, 'the next session mints');

    const puts = calls('PUT', /^\/calendars\//);
    rig.emulator.faults.add({ kind: 'status', status: 500, path: '/calendars/*', method: 'PUT' });
    const put = await relay(`/calendars/${calendarId}`, { method: 'PUT', body: JSON.stringify({ provider_sync: true }) });
    assert.deepEqual([put.status, errorCode(put)], [502, 'timekit-unavailable']);
    assert.equal(calls('PUT', /^\/calendars\//), puts + 1, 'sent once');

    const lists = calls('GET', /^\/calendars$/);
    rig.emulator.faults.add({ kind: 'drop', path: '/calendars', method: 'GET' });
    const list = await relay('/calendars');
    assert.deepEqual([list.status, errorCode(list)], [502, 'timekit-unavailable']);
    assert.equal(calls('GET', /^\/calendars$/), lists + 1, 'the elements retry relay calls themselves');
  });

  it('answers a coded error on every route during a 5xx burst, and a warm session still works', async () => {
    // The round trip up to Timekit's redirect works; only the callback's own calls meet the burst.
    const callback = await consent(rig, 'ben', { identity: 'jordan.reed@example.com' });
    rig.emulator.faults.add({ kind: 'status', status: 500, path: '/*', count: 0 });
    try {
      assert.equal((await postSession(rig, 'ana')).status, 200, 'a cached credential needs no Timekit call');

      const cold = await postSession(rig, 'ana', { origin: OTHER_PAGE });
      assert.deepEqual([cold.status, errorCode(cold)], [502, 'timekit-unavailable']);

      const start = await rig.fetch('/google/start', { user: 'cy', origin: null, referer: `${PAGE}/settings` });
      assert.equal(start.status, 302, 'starting a connect calls nobody');

      const finished = resultOf(await follow(rig, await rig.fetch(callback, { user: 'ben', origin: null })));
      assert.equal(finished.message.code, 'timekit-unavailable');

      for (const [method, path, body] of [
        ['GET', '/calendars', undefined],
        ['GET', `/calendars/${calendarId}`, undefined],
        ['PUT', `/calendars/${calendarId}`, JSON.stringify({ provider_sync: false })],
        ['GET', '/accounts/sync', undefined],
        ['POST', '/accounts/sync', undefined],
        ['GET', '/accounts', undefined],
      ] as const) {
        const answer = await relay(path, { method, body });
        assert.deepEqual([answer.status, errorCode(answer)], [502, 'timekit-unavailable'], `${method} ${path}`);
        assert.equal(answer.headers['access-control-allow-origin'], PAGE, `${method} ${path}: readable by the page`);
      }

      await assert.rejects(
        rig.companion.provisionResource('dee', { name: 'Dee', email: 'dee@example.com', timezone: 'UTC' }),
        (error: unknown) => error instanceof CompanionError && error.code === 'timekit-unavailable',
      );
    } finally {
      rig.emulator.faults.clear();
    }
    assert.equal((await relay('/calendars')).status, 200, 'recovers once Timekit does');
  });

  it('keeps at most maxTimekitCalls sockets open while Timekit hangs, and fails the rest at once with Retry-After', async () => {
    rig.emulator.faults.add({ kind: 'timeout', path: '/calendars', method: 'GET', count: 0 });
    front.resetPeak();
    try {
      const answers = await Promise.all(Array.from({ length: 4 * MAX_CALLS }, () => relay('/calendars')));
      for (const answer of answers) assert.deepEqual([answer.status, errorCode(answer)], [502, 'timekit-unavailable']);
      assert.ok(front.peak() <= MAX_CALLS, `held ${front.peak()} requests at Timekit at once`);
      const turnedAway = answers.filter((answer) => answer.headers['retry-after'] !== undefined);
      assert.ok(turnedAway.length >= 3 * MAX_CALLS, 'the calls past the bound were refused with Retry-After');
    } finally {
      rig.emulator.faults.clear();
    }
    assert.equal((await relay('/calendars')).status, 200, 'recovers once Timekit does');
  });

  it("drops its call to Timekit when the browser's request is gone", async () => {
    rig.emulator.faults.add({ kind: 'timeout', path: '/accounts', method: 'GET', count: 0 });
    try {
      const browser = new AbortController();
      const pending = relay('/accounts', { signal: browser.signal }).catch((error: unknown) => error);
      await waitFor(() => front.held() === 1);
      browser.abort();
      assert.equal(((await pending) as Error).name, 'AbortError');
      // Well within the companion's own 10 s timeout: only the browser leaving can explain it.
      await waitFor(() => front.held() === 0, 6_000);
    } finally {
      rig.emulator.faults.clear();
    }
  });
});
