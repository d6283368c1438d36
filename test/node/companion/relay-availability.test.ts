/**
 * The relay's working-hours calls against the real emulator: the signed-in resource reads and
 * writes its own `availability_constraints` and `timezone`, and asks `POST /availability` for
 * itself; another resource, another field, a malformed value or a body past Timekit's
 * 64,000 characters is refused before Timekit sees it, and a write counts against the per-user limit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import { connect, errorCode, plainResource, postSession, startRig, type Rig } from './helpers.js';

describe('relay: working hours and bookable time of the own resource', () => {
  let rig: Rig;
  let session: TkReadySession;
  let stranger: string;
  const json = { 'content-type': 'application/json' };
  const relay = (path: string, init: RequestInit = {}) =>
    rig.fetch(`/api/v2${path}`, { ...init, headers: { ...json, authorization: `Bearer ${session.token}`, ...(init.headers as Record<string, string>) } });
  const put = (id: string, body: unknown) => relay(`/resources/${id}`, { method: 'PUT', body: JSON.stringify(body) });
  const availability = (body: unknown) => relay('/availability', { method: 'POST', body: JSON.stringify(body) });
  const WORKDAY = [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }];

  before(async () => {
    rig = await startRig({ mode: 'relay', relayWritesPerMinute: 4 });
    await connect(rig, 'ana', 'yuki.tanaka@example.jp');
    session = JSON.parse((await postSession(rig, 'ana')).body) as TkReadySession;
    stranger = (await plainResource(rig, { name: 'Someone else', email: 'someone@example.com', timezone: 'UTC' })).id;
  });
  after(() => rig.close());

  it('reads the own resource, and writes only availability_constraints and timezone to it', async () => {
    const read = await relay(`/resources/${session.resourceId}`);
    assert.equal(read.status, 200, read.body);
    assert.deepEqual(JSON.parse(read.body).data.availability_constraints, []);
    const saved = await put(session.resourceId, { availability_constraints: WORKDAY, timezone: 'Europe/Berlin' });
    assert.ok(saved.status === 200 || saved.status === 204, saved.body);
    const stored = rig.emulator.state.resources.get(session.resourceId)!;
    assert.deepEqual([stored.availability_constraints, stored.timezone], [WORKDAY, 'Europe/Berlin']);
  });

  it('asks POST /availability for the own resource only', async () => {
    const week = { from: '2026-06-01T00:00:00+02:00', to: '2026-06-08T00:00:00+02:00', length: '1 hour' };
    const asked = await availability({ resources: [session.resourceId], constraints: WORKDAY, ...week });
    assert.equal(asked.status, 200, asked.body);
    assert.ok(Array.isArray(JSON.parse(asked.body).data));
    const before = rig.emulator.requests.length;
    for (const resources of [[stranger], [session.resourceId, stranger], [], session.resourceId]) {
      const answer = await availability({ resources, ...week });
      assert.deepEqual([answer.status, errorCode(answer)], [403, 'not-allowed'], JSON.stringify(resources));
    }
    const extra = await availability({ resources: [session.resourceId], calendar_ids: ['x'], ...week });
    assert.deepEqual([extra.status, errorCode(extra)], [403, 'not-allowed']);
    const malformed = await availability({ resources: [session.resourceId], constraints: 'all of them' });
    assert.deepEqual([malformed.status, errorCode(malformed)], [400, 'invalid']);
    assert.equal(rig.emulator.requests.length, before, 'nothing refused reached Timekit');
  });

  it("refuses another resource, other fields, malformed values and the credentials include before Timekit sees them", async () => {
    const before = rig.emulator.requests.length;
    const name = rig.emulator.state.resources.get(session.resourceId)!.name;
    const refusals: Array<[Promise<{ status: number; body: string }>, number, string]> = [
      [relay(`/resources/${stranger}`), 403, 'not-allowed'],
      [put(stranger, { timezone: 'UTC' }), 403, 'not-allowed'],
      [relay(`/resources/${session.resourceId}?include=credentials`), 403, 'not-allowed'],
      [put(session.resourceId, { name: 'Renamed' }), 403, 'not-allowed'],
      [put(session.resourceId, { timezone: 'UTC', email: 'mallory@example.com' }), 403, 'not-allowed'],
      [put(session.resourceId, {}), 403, 'not-allowed'],
      [put(session.resourceId, { timezone: 'Mars/Olympus' }), 400, 'invalid'],
      [put(session.resourceId, { availability_constraints: { allow_weekdays: {} } }), 400, 'invalid'],
      [put(session.resourceId, { availability_constraints: ['Monday'] }), 400, 'invalid'],
      [relay('/resources'), 403, 'not-allowed'],
    ];
    for (const [answer, status, code] of refusals) {
      const seen = await answer;
      assert.deepEqual([seen.status, errorCode(seen as never)], [status, code], seen.body);
    }
    assert.equal(rig.emulator.requests.length, before, 'nothing refused reached Timekit');
    assert.equal(rig.emulator.state.resources.get(session.resourceId)!.name, name);
  });

  it("refuses rules past Timekit's 64,000 characters (413 payload-too-large); just under is forwarded", async () => {
    const period = { block_period: { start: '2026-06-05T10:00:00+02:00', end: '2026-06-05T11:00:00+02:00' } };
    const rules = (count: number) => ({ availability_constraints: Array.from({ length: count }, () => period) });
    const perRule = JSON.stringify(period).length + 1;
    const over = rules(Math.ceil(64_100 / perRule));
    const under = rules(Math.floor(63_900 / perRule));
    const before = rig.emulator.requests.length;
    const refused = await put(session.resourceId, over);
    assert.deepEqual([refused.status, errorCode(refused)], [413, 'payload-too-large']);
    assert.match(JSON.parse(refused.body).error.message, /64000 characters/);
    assert.equal(rig.emulator.requests.length, before);
    const forwarded = await put(session.resourceId, under);
    assert.ok(forwarded.status === 200 || forwarded.status === 204, forwarded.body);
    assert.equal(rig.emulator.state.resources.get(session.resourceId)!.availability_constraints.length, under.availability_constraints.length);
  });

  it('counts a rules write against relayWritesPerMinute; reads and availability do not count', async () => {
    // Two writes above already; the limit is 4 a minute.
    for (let i = 0; i < 3; i++) assert.equal((await relay(`/resources/${session.resourceId}`)).status, 200);
    const day = { from: '2026-06-01T00:00:00+02:00', to: '2026-06-02T00:00:00+02:00' };
    assert.equal((await availability({ resources: [session.resourceId], ...day })).status, 200);
    assert.ok([200, 204].includes((await put(session.resourceId, { timezone: 'Europe/Paris' })).status));
    assert.ok([200, 204].includes((await put(session.resourceId, { timezone: 'Europe/Rome' })).status));
    const limited = await put(session.resourceId, { timezone: 'Europe/Madrid' });
    assert.deepEqual([limited.status, errorCode(limited)], [429, 'rate-limited']);
    assert.equal(rig.emulator.state.resources.get(session.resourceId)!.timezone, 'Europe/Rome');
  });
});
