/**
 * A second calendar account: when a connect (or `provisionResource`) yields another resource than
 * the user's, the record stays and the new resource waits as its `pending` until the provider
 * answers `POST /accounts/pending`; when Timekit attached the account to the same resource (the
 * emulator's `secondSignupAttaches` switch), the record's accounts are updated and nothing waits.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import type { TimekitRecord } from '../../../src/companion/stores/contract.js';
import { consent, errorCode, follow, OTHER_PAGE, postSession, resultOf, startRig, type Rig } from './helpers.js';

const ALEX = 'alex.morgan@example.com';
const YUKI = 'yuki.tanaka@example.jp';
const DANA = 'dana.whitfield@contoso.example';
const HOURS = [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }];

/** The connect round trip of `identity` with `provider` for `user`, through the callback to the result page. */
async function connectWith(rig: Rig, user: string, identity: string, provider: 'google' | 'microsoft' = 'google', emulatorCookies?: Map<string, string>) {
  const callback = await consent(rig, user, { identity, provider, emulatorCookies });
  const page = await follow(rig, await rig.fetch(callback, { user, origin: null }));
  assert.equal(resultOf(page).message.ok, true, page.body);
}

const recordOf = (rig: Rig, user: string) => rig.store.records.get(user) as TimekitRecord | undefined;

const answerPending = (rig: Rig, user: string | undefined, body: unknown, init: { origin?: string | null } = {}) =>
  rig.fetch('/accounts/pending', { method: 'POST', user, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...init });

/** Writes a resource's working hours as the rules element does, with the resource's own token. */
async function setHours(rig: Rig, record: TimekitRecord, constraints: unknown[], timezone?: string): Promise<void> {
  const put = await fetch(`${rig.emulator.url}/resources/${record.resourceId}`, {
    method: 'PUT',
    headers: { authorization: `Basic ${Buffer.from(`${record.email}:${record.token}`).toString('base64')}`, 'timekit-app': rig.emulator.app, 'content-type': 'application/json' },
    body: JSON.stringify({ availability_constraints: constraints, ...(timezone ? { timezone } : {}) }),
  });
  assert.ok(put.ok, `PUT /resources: ${put.status} ${await put.text()}`);
}

const readySession = (body: string) => JSON.parse(body) as TkReadySession;

/** A resource as Timekit holds it, read with the app key. */
async function timekitResource(rig: Rig, id: string): Promise<{ availability_constraints: unknown[]; timezone: string }> {
  const response = await fetch(`${rig.emulator.url}/resources/${id}`, { headers: { authorization: `Basic ${Buffer.from(`:${rig.emulator.appKey}`).toString('base64')}` } });
  return ((await response.json()) as { data: { availability_constraints: unknown[]; timezone: string } }).data;
}

describe('companion: a second account on a new resource waits for the provider', () => {
  let rig: Rig;
  before(async () => (rig = await startRig()));
  after(() => rig.close());

  it('the callback keeps the record untouched and stores the new resource as pending; the session names it without token or id', async () => {
    await connectWith(rig, 'ana', ALEX);
    const first = structuredClone(recordOf(rig, 'ana')!);
    await connectWith(rig, 'ana', DANA, 'microsoft');
    const { pending, ...kept } = recordOf(rig, 'ana')!;
    assert.deepEqual(kept, first, 'the first resource and its token stay the record');
    assert.ok(pending);
    assert.notEqual(pending.resourceId, first.resourceId);
    assert.deepEqual([pending.email, pending.provider], [DANA, 'microsoft']);
    assert.deepEqual(pending.accounts.map((a) => a.provider_id), [DANA]);

    const answer = await postSession(rig, 'ana');
    const session = readySession(answer.body);
    assert.equal(session.resourceId, first.resourceId);
    assert.deepEqual(session.pendingAccount, { provider: 'microsoft', email: DANA });
    assert.ok(!answer.body.includes(pending.token) && !answer.body.includes(pending.resourceId), 'no pending token or resource id on the wire');
  });

  it("declining drops the pending resource and answers the session unchanged", async () => {
    await connectWith(rig, 'ben', ALEX);
    const first = structuredClone(recordOf(rig, 'ben')!);
    await connectWith(rig, 'ben', YUKI);
    const answer = await answerPending(rig, 'ben', { accept: false });
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.headers['access-control-allow-origin'], 'http://app.test:3000');
    const session = readySession(answer.body);
    assert.equal(session.resourceId, first.resourceId);
    assert.equal(session.pendingAccount, undefined);
    assert.deepEqual(recordOf(rig, 'ben'), first);
  });

  it('accepting makes the pending resource the record, moves the working hours over and forgets the old credentials', async () => {
    await connectWith(rig, 'cyd', ALEX);
    const old = structuredClone(recordOf(rig, 'cyd')!);
    await setHours(rig, old, HOURS, 'America/New_York');
    assert.equal(readySession((await postSession(rig, 'cyd')).body).resourceId, old.resourceId, 'a credential cached for the old resource');
    await connectWith(rig, 'cyd', YUKI);
    const { pending } = recordOf(rig, 'cyd')!;

    const answer = await answerPending(rig, 'cyd', { accept: true });
    assert.equal(answer.status, 200, answer.body);
    const session = readySession(answer.body);
    assert.equal(session.resourceId, pending!.resourceId);
    assert.equal(session.email, YUKI);
    assert.equal(session.pendingAccount, undefined);
    const { provider: _provider, ...next } = pending!;
    assert.deepEqual(recordOf(rig, 'cyd'), next, 'one record, nothing pending');
    const moved = await timekitResource(rig, pending!.resourceId);
    assert.deepEqual([moved.availability_constraints, moved.timezone], [HOURS, 'America/New_York']);
    const cached = await rig.store.readCredential!(old.resourceId, 'http://app.test:3000');
    assert.ok(cached && cached.renewAt <= Date.now(), "the old resource's cached credential is no longer handed out");
  });

  it("accepting keeps the new resource's own working hours", async () => {
    const friday = [{ allow_day_and_time: { day: 'Friday', start: 8, end: 12 } }];
    await connectWith(rig, 'dot', 'sam.lee@example.com');
    await setHours(rig, recordOf(rig, 'dot')!, HOURS);
    await connectWith(rig, 'eve', 'noor.haddad@example.com');
    const noor = recordOf(rig, 'eve')!;
    await setHours(rig, noor, friday);
    await connectWith(rig, 'dot', 'noor.haddad@example.com');
    assert.equal((await answerPending(rig, 'dot', { accept: true })).status, 200);
    assert.equal(recordOf(rig, 'dot')!.resourceId, noor.resourceId);
    assert.deepEqual((await timekitResource(rig, noor.resourceId)).availability_constraints, friday);
  });

  it('nothing pending is a 400 invalid that says so; a bad body is refused before anything is read', async () => {
    await connectWith(rig, 'fay', ALEX);
    const nothing = await answerPending(rig, 'fay', { accept: true });
    assert.equal(nothing.status, 400);
    assert.equal(errorCode(nothing), 'invalid');
    assert.match(nothing.body, /nothing|no second account/i);
    for (const body of [{}, { accept: 'yes' }, { accept: 1 }]) {
      const bad = await answerPending(rig, 'fay', body);
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(errorCode(bad), 'invalid');
    }
  });

  it("another user's pending resource is never visible nor answerable", async () => {
    await connectWith(rig, 'gus', ALEX);
    await connectWith(rig, 'gus', YUKI);
    await connectWith(rig, 'hal', ALEX);
    assert.equal(readySession((await postSession(rig, 'hal')).body).pendingAccount, undefined);
    assert.equal((await answerPending(rig, 'hal', { accept: true })).status, 400);
    assert.equal(recordOf(rig, 'gus')!.pending?.email, YUKI, "gus's still waits");
  });

  it('refuses another origin, no origin, a signed-out request and another method; answers the CORS preflight', async () => {
    await connectWith(rig, 'ivy', ALEX);
    await connectWith(rig, 'ivy', YUKI);
    for (const origin of [OTHER_PAGE, null]) {
      const refused = await answerPending(rig, 'ivy', { accept: true }, { origin });
      assert.equal(refused.status, 403);
      assert.equal(errorCode(refused), 'origin-not-allowed');
    }
    const signedOut = await answerPending(rig, undefined, { accept: true });
    assert.equal(signedOut.status, 401);
    assert.equal(errorCode(signedOut), 'unauthenticated');
    assert.equal((await rig.fetch('/accounts/pending', { method: 'GET', user: 'ivy' })).status, 405);
    const preflight = await rig.fetch('/accounts/pending', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers['access-control-allow-headers'] ?? '', /content-type/i);
    assert.equal(recordOf(rig, 'ivy')!.pending?.email, YUKI, 'still waiting');
  });

  it('provisionResource for a user with a record stores the plain resource as pending and says so', async () => {
    await connectWith(rig, 'joe', ALEX);
    const first = structuredClone(recordOf(rig, 'joe')!);
    const made = await rig.companion.provisionResource('joe', { name: 'Joe Plain', email: 'joe.plain@example.org', timezone: 'UTC' });
    assert.equal(made.pending, true);
    const { pending, ...kept } = recordOf(rig, 'joe')!;
    assert.deepEqual(kept, first);
    assert.deepEqual([pending!.resourceId, pending!.email, pending!.provider], [made.resourceId, 'joe.plain@example.org', undefined]);
    assert.deepEqual(readySession((await postSession(rig, 'joe')).body).pendingAccount, { provider: null, email: 'joe.plain@example.org' });

    const fresh = await rig.companion.provisionResource('kim', { name: 'Kim', email: 'kim.plain@example.org', timezone: 'UTC' });
    assert.equal(fresh.pending, undefined, 'a first resource is the record');
  });
});

describe('companion: a second account Timekit attaches to the same resource', () => {
  let rig: Rig;
  before(async () => (rig = await startRig({}, { switches: { secondSignupAttaches: true } })));
  after(() => rig.close());

  it('updates the record’s accounts and asks nothing', async () => {
    const browser = new Map<string, string>();
    await connectWith(rig, 'ana', ALEX, 'google', browser);
    const first = structuredClone(recordOf(rig, 'ana')!);
    await connectWith(rig, 'ana', DANA, 'microsoft', browser);
    const record = recordOf(rig, 'ana')!;
    assert.equal(record.pending, undefined);
    assert.equal(record.resourceId, first.resourceId);
    assert.deepEqual(record.accounts.map((a) => [a.provider, a.provider_id]), [['google', ALEX], ['microsoft', DANA]]);
    const session = readySession((await postSession(rig, 'ana')).body);
    assert.equal(session.pendingAccount, undefined);
    assert.equal(session.accounts.length, 2);
  });
});
