/**
 * Bounded under abuse: `/google/start`, and relay writes and syncs, are rate-limited per user by
 * the same limiter as mints, with a cap on the nonces one user can have live; the in-memory nonce and limit tables prune
 * from the front and stay under a hard cap, evicting the oldest entry, not everyone's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { NonceMemory, WindowCounters } from '../../../src/companion/stores/memory.js';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import type { TimekitCalendar, TimekitPage } from '../../../src/shared/timekit.js';
import { connect, errorCode, PAGE, postSession, resultOf, startRig, type Rig } from './helpers.js';

describe('NonceMemory', () => {
  it('burns once, forgets expired nonces from the front, and never holds more than its cap', () => {
    const nonces = new NonceMemory(3);
    assert.equal(nonces.consume('a', 100, 0), true);
    assert.equal(nonces.consume('a', 100, 0), false);
    assert.equal(nonces.consume('b', 200, 0), true);
    assert.equal(nonces.consume('c', 300, 150), true, 'a expired at 100 and is pruned');
    assert.equal(nonces.size, 2);
    assert.equal(nonces.consume('d', 400, 150), true);
    assert.equal(nonces.consume('e', 500, 150), true, 'at the cap the oldest (b) goes');
    assert.equal(nonces.size, 3);
    assert.equal(nonces.consume('c', 300, 150), false, 'the newer ones are still burned');
    assert.equal(nonces.consume('e', 500, 150), false);
  });

  it('consumes without a sweep over the live nonces', () => {
    const nonces = new NonceMemory();
    const now = Date.now();
    let id = 0;
    const timeOf = (count: number) => {
      const started = performance.now();
      for (let i = 0; i < count; i++) nonces.consume(`n${id++}`, now + 600_000, now);
      return performance.now() - started;
    };
    const first = timeOf(10_000);
    timeOf(70_000);
    // The best of three batches at 80,000+ live: a sweep over them would cost seconds per batch.
    const atScale = Math.min(timeOf(10_000), timeOf(10_000), timeOf(10_000));
    console.log(`NonceMemory: 10,000 consumes in ${first.toFixed(1)} ms at 0 live, ${atScale.toFixed(1)} ms at 80,000+ live`);
    assert.ok(atScale < 500, `10,000 consumes at 80,000+ live took ${atScale.toFixed(1)} ms`);
  });
});

describe('WindowCounters', () => {
  it('counts per window, and when full evicts the oldest window, not every user', () => {
    const counters = new WindowCounters(3);
    for (const user of ['ana', 'ben', 'cem']) counters.count(user, 0, 60_000);
    assert.equal(counters.count('ben', 0, 60_000), 2);
    assert.equal(counters.count('dan', 0, 60_000), 1);
    assert.equal(counters.size, 3);
    assert.equal(counters.count('ben', 0, 60_000), 3, "ben's count survived dan's arrival");
    assert.equal(counters.count('cem', 0, 60_000), 2);
    assert.equal(counters.count('ana', 0, 60_000), 1, 'ana, the oldest, was the one evicted');
    assert.equal(counters.count('ben', 60_000, 120_000), 1, 'a new window starts again');
    assert.equal(counters.size, 1, 'windows that ended before it began are forgotten');
  });
});

describe('/google/start is rate-limited per user', () => {
  let rig: Rig;
  // The companion's clock, at the start of an aligned 10-minute window.
  let clock = Date.UTC(2026, 0, 5, 9, 0, 0);
  before(async () => {
    rig = await startRig({ connectsPerMinute: 3, now: () => new Date(clock) });
  });
  after(() => rig.close());

  const start = (user: string) => rig.fetch('/google/start', { user, origin: null, referer: `${PAGE}/settings` });

  it('refuses starts past the per-minute limit with a rate-limited result for the opener, other users unaffected', async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await start('mallory')).status);
    assert.deepEqual(statuses, [302, 302, 302, 429]);
    const refused = await start('mallory');
    assert.equal(resultOf(refused).message.code, 'rate-limited');
    assert.equal(resultOf(refused).target, PAGE, 'the popup still reports to the page');
    assert.equal((await start('ana')).status, 302, 'another user is not limited');
  });

  it('caps the nonces one user has live: three minutes of starts per nonce lifetime', async () => {
    const perMinute = [];
    for (let minute = 0; minute < 4; minute++) {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await start('bulk')).status);
      perMinute.push(statuses);
      clock += 60_000;
    }
    assert.deepEqual(perMinute, [
      [302, 302, 302],
      [302, 302, 302],
      [302, 302, 302],
      [429, 429, 429],
    ]);
  });
});

describe('relay writes and syncs are rate-limited per user', () => {
  let rig: Rig;
  const tokens = new Map<string, string>();
  let calendarId: string;
  // The companion's clock, pinned a second into an aligned minute (and near the emulator's, which mints).
  const clock = Math.ceil(Date.now() / 60_000) * 60_000 + 1_000;
  const relay = (user: string, path: string, init: RequestInit = {}) =>
    rig.fetch(`/api/v2${path}`, { ...init, headers: { authorization: `Bearer ${tokens.get(user)}`, 'content-type': 'application/json' } });
  const toggle = (user: string) => relay(user, `/calendars/${calendarId}`, { method: 'PUT', body: JSON.stringify({ provider_sync: true }) });

  before(async () => {
    rig = await startRig({ mode: 'relay', relayWritesPerMinute: 3, relaySyncsPerMinute: 2, now: () => new Date(clock) });
    for (const [user, identity] of [['ana', 'yuki.tanaka@example.jp'], ['ben', 'jordan.reed@example.com']]) {
      await connect(rig, user!, identity);
      tokens.set(user!, (JSON.parse((await postSession(rig, user)).body) as TkReadySession).token);
    }
    calendarId = (JSON.parse((await relay('ana', '/calendars')).body) as TimekitPage<TimekitCalendar>).data[0]!.id;
  });
  after(() => rig.close());

  it('refuses writes past relayWritesPerMinute (429 rate-limited, Retry-After) before Timekit sees them', async () => {
    const puts = () => rig.count('PUT', /^\/calendars\//);
    const before = puts();
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await toggle('ana')).status);
    assert.deepEqual(statuses, [204, 204, 204, 429]);
    const refused = await toggle('ana');
    assert.equal(errorCode(refused), 'rate-limited');
    assert.ok(Number(refused.headers['retry-after']) >= 1);
    assert.equal(refused.headers['access-control-expose-headers'], 'Retry-After', 'the elements can read the wait');
    assert.equal(puts(), before + 3);
    assert.equal((await relay('ana', '/calendars')).status, 200, 'reads are not limited');
  });

  it('refuses syncs past relaySyncsPerMinute, counted apart from writes and per user', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await relay('ana', '/accounts/sync', { method: 'POST' })).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    assert.equal((await relay('ana', '/accounts/sync')).status, 200, 'reading the sync status is not limited');
    assert.equal((await relay('ben', '/accounts/sync', { method: 'POST' })).status, 200, 'another user is not limited');
  });
});
