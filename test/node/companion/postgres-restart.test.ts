/**
 * PostgreSQL restarted in the middle of a burst of sessions and connects on two companions: while
 * it is down they answer `store-unavailable` (503, Retry-After), never 500; they reconnect by
 * themselves once it is back (the pool drops its dead connections, and an idle one's termination
 * does not crash the process); no record and no burned nonce is lost.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createCompanion, toNodeHandler } from '../../../src/companion/index.js';
import { postgresStore, type PostgresStore } from '../../../src/companion/stores/postgres.js';
import { BASE_PATH, companionOptions, connect, consent, errorCode, follow, postSession, resultOf, SECRET, startRig, type Rig } from './helpers.js';
import { postgresMissing, startCluster, type Cluster } from './postgres-cluster.js';

const missing = postgresMissing();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const USERS = ['ana', 'ben', 'cai', 'dee'];
const IDENTITIES = ['yuki.tanaka@example.jp', 'jordan.reed@example.com', 'alex.morgan@example.com', 'noor.haddad@example.com'];

describe('PostgreSQL restarted in the middle of a session burst', { skip: missing ?? false }, () => {
  let cluster: Cluster;
  let rig: Rig;
  let stores: PostgresStore[];
  let otherUrl: string;
  let closeOther: () => Promise<unknown>;

  before(async () => {
    cluster = await startCluster();
    const url = await cluster.createDatabase('restart');
    stores = [postgresStore(url, { secret: SECRET }), postgresStore(url, { secret: SECRET })];
    rig = await startRig({ store: stores[0] });
    const other = createCompanion(
      companionOptions(rig.emulator, {
        store: stores[1],
        basePath: BASE_PATH,
        authenticate: (request) => /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null,
        log: (line) => rig.logs.push(line),
      }),
    );
    const server = createServer(toNodeHandler(other));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    otherUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE_PATH}`;
    closeOther = () => new Promise((resolve) => server.close(resolve));
  });
  after(async () => {
    await closeOther?.();
    await rig?.close();
    for (const store of stores ?? []) await store.close();
    await cluster?.stop();
  });

  it('answers store-unavailable while it is down, never 500, and loses no record or burned nonce', async () => {
    for (const [i, user] of USERS.entries()) await connect(rig, user, IDENTITIES[i]);
    const burned = await consent(rig, 'eve', { identity: 'sam.lee@example.com' });
    assert.equal(resultOf(await follow(rig, await rig.fetch(burned, { user: 'eve', origin: null }))).message.ok, true);

    // Every answer either companion gives is in rig.seen.
    let running = true;
    const sessions = async (worker: number) => {
      for (let i = 0; running; i++) {
        const base = (worker + i) % 2 === 0 ? rig.url : otherUrl;
        await rig.fetch(`${base}/session`, { method: 'POST', user: USERS[(worker + i) % USERS.length] });
        await sleep(10);
      }
    };
    // Connects too: each start counts a hit, each callback burns a nonce and writes a record.
    const connected: string[] = [];
    const connects = async () => {
      for (let i = 0; running; i++) {
        try {
          if (resultOf(await connect(rig, `burst-${i}`, 'riley.quinn+tk@example.com')).message.ok === true) connected.push(`burst-${i}`);
        } catch {
          // Refused during the outage (the start, or the callback's JSON answer): checked below with the rest.
        }
        await sleep(10);
      }
    };
    const burst = [0, 1, 2, 3].map(sessions).concat(connects());

    await sleep(300);
    const before = rig.seen.length;
    await cluster.restart();
    // Back up: both companions reconnect by themselves.
    for (const base of [rig.url, otherUrl]) {
      const deadline = Date.now() + 20_000;
      while ((await rig.fetch(`${base}/session`, { method: 'POST', user: 'ana' })).status !== 200) {
        assert.ok(Date.now() < deadline, `${base} did not reconnect to PostgreSQL`);
        await sleep(100);
      }
    }
    // And a connect goes through again before the burst ends.
    const connectedBefore = connected.length;
    const deadline = Date.now() + 20_000;
    while (connected.length === connectedBefore) {
      assert.ok(Date.now() < deadline, 'no connect went through after the restart');
      await sleep(100);
    }
    running = false;
    await Promise.all(burst);

    const statuses = new Set(rig.seen.map((answer) => answer.status));
    assert.ok(!statuses.has(500), `no internal error (statuses: ${[...statuses].join(', ')})`);
    const outage = rig.seen.filter((answer) => answer.status === 503);
    assert.ok(outage.length > 0, `the burst met the outage (${rig.seen.length - before} answers from the restart on)`);
    for (const answer of outage) {
      assert.equal(errorCode(answer), 'store-unavailable');
      assert.equal(answer.headers['retry-after'], '2');
    }
    assert.ok(!rig.logs.some((line) => line.startsWith('internal error')), 'nothing logged as an internal error');

    for (const [i, user] of USERS.entries()) {
      for (const base of [rig.url, otherUrl]) {
        const session = await rig.fetch(`${base}/session`, { method: 'POST', user });
        assert.equal(session.status, 200);
        assert.equal((JSON.parse(session.body) as { email: string }).email, IDENTITIES[i], `${user}'s record survived`);
      }
    }
    for (const user of connected) assert.equal((JSON.parse((await postSession(rig, user)).body) as { status: string }).status, 'ready', `${user} connected during the burst`);
    const replay = await follow(rig, await rig.fetch(burned, { user: 'eve', origin: null }));
    assert.equal(resultOf(replay).message.code, 'nonce-used', 'a nonce burned before the restart stays burned');
  });
});
