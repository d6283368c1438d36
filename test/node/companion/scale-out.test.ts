/**
 * Three companions, one address: three `tk-companion` processes on one throwaway PostgreSQL
 * cluster behind a round-robin proxy, against the emulator. A connect that starts on one instance
 * finishes on another; 300 session requests spread over the three mint one credential; a
 * replayed callback is refused by an instance that never saw the first; the per-user limits hold
 * across instances; an instance killed mid-run loses no request (the client retries, as
 * `<tk-session>` does on a 502) and no record.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answerConsent, startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { postgresMissing, startCluster, type Cluster } from './postgres-cluster.js';
import { loginCookie, startScaleOut, type ScaleOut } from './scale-out-stack.js';

const PAGE = 'http://app.test:3000';
/** More page origins, each its own credential: the way to make one user mint again and again. */
const MORE_ORIGINS = Array.from({ length: 12 }, (_, i) => `http://tenant${i}.app.test:3000`);

interface Answer {
  status: number;
  servedBy: number;
  headers: Headers;
  body: string;
}

const missing = postgresMissing();

describe('three companions behind one address, on PostgreSQL', { skip: missing ?? false }, () => {
  let cluster: Cluster;
  let emulator: Emulator;
  let stack: ScaleOut;

  before(async () => {
    cluster = await startCluster();
    emulator = await startEmulator({ port: 0 });
    stack = await startScaleOut({
      instances: 3,
      databaseUrl: await cluster.createDatabase('scale_out'),
      apiBase: emulator.url,
      app: emulator.app,
      appKey: emulator.appKey,
      origins: [PAGE, ...MORE_ORIGINS],
    });
  });
  after(async () => {
    await stack?.close();
    await emulator?.close();
    await cluster?.stop();
  });

  async function call(url: string, init: RequestInit & { user?: string; cookies?: string[] } = {}): Promise<Answer> {
    const { user, cookies = [], ...rest } = init;
    const headers = new Headers(rest.headers);
    const jar = [...cookies];
    if (user !== undefined) jar.push(await loginCookie(user));
    if (jar.length) headers.set('cookie', jar.join('; '));
    const response = await fetch(url, { redirect: 'manual', ...rest, headers });
    return { status: response.status, servedBy: Number(response.headers.get('x-served-by')), headers: response.headers, body: await response.text() };
  }

  const session = (user: string, origin = PAGE) => call(`${stack.proxyUrl}/session`, { method: 'POST', user, headers: { origin } });

  /** POST /session, tried again on the proxy's 502 (an instance gone), as the elements do. */
  async function sessionWithRetry(user: string, origin = PAGE): Promise<Answer & { tries: number }> {
    for (let tries = 1; ; tries++) {
      const answer = await session(user, origin);
      if (answer.status !== 502 || tries === 3) return { ...answer, tries };
    }
  }

  /** Start (through the proxy) → Timekit's signup → Allow on the consent screen: Timekit's redirect to the callback. */
  async function startConnect(user: string, identity: string) {
    const start = await call(`${stack.proxyUrl}/google/start`, { user, headers: { referer: `${PAGE}/settings` } });
    assert.equal(start.status, 302, start.body);
    // Whatever the start sets for this browser travels back with the callback.
    const cookies = start.headers.getSetCookie().map((c) => c.split(';')[0]!);
    const callbackBase = new URL(start.headers.get('location')!).searchParams.get('callback')!;
    assert.ok(callbackBase.startsWith(`${stack.proxyUrl}/google/callback`), 'the callback goes to the shared address');
    return { start, cookies, callback: await answerConsent(start.headers.get('location')!, { identity }) };
  }

  async function connect(user: string, identity: string) {
    const { start, cookies, callback } = await startConnect(user, identity);
    const finished = await call(callback, { user, cookies });
    assert.equal(finished.status, 303, finished.body);
    const result = await call(new URL(finished.headers.get('location')!, callback).href);
    assert.equal(result.status, 200, result.body);
    assert.match(result.body, /"ok":true/);
    return { start, cookies, callback, finished };
  }

  /**
   * The limits count in windows aligned on the minute: a burst that straddles a boundary would
   * see its count start again. Waits for the next minute when this one is nearly over.
   */
  async function awayFromMinuteBoundary() {
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await new Promise((resolve) => setTimeout(resolve, left + 50));
  }

  const credentialMints = () => emulator.requests.filter((r) => r.method === 'POST' && r.path === '/credentials').length;

  it('connects with a start on one instance and the callback on another; a replay on the third is refused', async () => {
    const { start, cookies, callback, finished } = await connect('ana', 'alex.morgan@example.com');
    assert.notEqual(finished.servedBy, start.servedBy, 'the callback landed on another instance');
    const ready = JSON.parse((await session('ana')).body) as { status: string; email: string };
    assert.deepEqual([ready.status, ready.email], ['ready', 'alex.morgan@example.com'], 'the record is shared');

    const third = stack.instances.findIndex((_, i) => i !== start.servedBy && i !== finished.servedBy);
    const replay = await call(callback.replace(stack.proxyUrl, stack.instances[third]!.url), { user: 'ana', cookies });
    assert.equal(replay.status, 303);
    const outcome = await call(new URL(replay.headers.get('location')!, callback.replace(stack.proxyUrl, stack.instances[third]!.url)).href);
    assert.match(outcome.body, /"code":"nonce-used"/, 'the nonce was burned in the shared store');
  });

  it('mints exactly one credential for 300 session requests spread over the three', async () => {
    await connect('ben', 'yuki.tanaka@example.jp');
    const before = credentialMints();
    const answers = await Promise.all(Array.from({ length: 300 }, () => session('ben')));
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]));
    assert.deepEqual(new Set(answers.map((a) => a.servedBy)), new Set([0, 1, 2]), 'all three served');
    const tokens = new Set(answers.map((a) => (JSON.parse(a.body) as { widget: { token: string } }).widget.token));
    assert.equal(tokens.size, 1, 'one widget credential');
    assert.equal(credentialMints() - before, 1, 'minted once between the three');
  });

  it('holds the mint limit and the connect-start limit across instances', async () => {
    await connect('dora', 'noor.haddad@example.com');
    // Each new origin is a cache miss, so a mint: ten per minute per user (the default), not ten per instance.
    await awayFromMinuteBoundary();
    const mints = [];
    for (const origin of MORE_ORIGINS) mints.push(await session('dora', origin));
    assert.deepEqual(
      mints.map((a) => a.status),
      [...Array(10).fill(200), 429, 429],
    );
    assert.equal(new Set(mints.map((a) => a.servedBy)).size, 3, 'spread over the three');
    assert.ok(Number(mints[10]!.headers.get('retry-after')) >= 1);

    await awayFromMinuteBoundary();
    const starts = [];
    for (let i = 0; i < 12; i++) starts.push(await call(`${stack.proxyUrl}/google/start`, { user: 'carol', headers: { referer: `${PAGE}/` } }));
    assert.deepEqual(starts.map((a) => a.status), [...Array(10).fill(302), 429, 429]);
    assert.match(starts[10]!.body, /"code":"rate-limited"/);
  });

  it('loses no request and no record when an instance is killed mid-run', async () => {
    const users = ['ana', 'ben'];
    const mintsBefore = credentialMints();
    const victim = stack.instances[1]!;
    let done = 0;
    const killed = (async () => {
      while (done < 60) await new Promise((resolve) => setTimeout(resolve, 5));
      await victim.kill();
    })();
    const worker = async (w: number) => {
      const answers = [];
      for (let i = 0; i < 30; i++) {
        answers.push(await sessionWithRetry(users[(w + i) % users.length]!));
        done++;
      }
      return answers;
    };
    const answers = (await Promise.all(Array.from({ length: 8 }, (_, w) => worker(w)))).flat();
    await killed;
    assert.equal(answers.length, 240);
    assert.deepEqual(new Set(answers.map((a) => a.status)), new Set([200]), 'every request served, some after a retry');
    assert.ok(answers.some((a) => a.tries > 1), 'the kill was felt: some requests were tried again');
    assert.equal(credentialMints(), mintsBefore, 'the survivors reuse the shared credentials');

    // A connect after the kill, then every record, read back through the two survivors.
    const { finished } = await (async () => {
      for (;;) {
        try {
          return await connect('erin', 'jordan.reed@example.com');
        } catch {
          // The start or the callback hit the dead instance (502): start again, as a person would.
        }
      }
    })();
    assert.notEqual(finished.servedBy, 1);
    const expected: Array<[string, string, string]> = [
      ['ana', 'alex.morgan@example.com', PAGE],
      ['ben', 'yuki.tanaka@example.jp', PAGE],
      // dora has spent her mints for this minute: asked from a page she already has a credential for.
      ['dora', 'noor.haddad@example.com', MORE_ORIGINS[0]!],
      ['erin', 'jordan.reed@example.com', PAGE],
    ];
    for (const [user, email, origin] of expected) {
      const ready = JSON.parse((await sessionWithRetry(user, origin)).body) as { status: string; email: string };
      assert.deepEqual([ready.status, ready.email], ['ready', email], `${user}'s record`);
    }
  });
});
