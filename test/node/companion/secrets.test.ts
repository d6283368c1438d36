/**
 * The app key and the resource tokens never leave the companion: this drives every route, happy
 * and failing, in both modes, then scans everything a browser could see from the companion
 * (status, every header, redirect URLs, bodies) and every log line.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import { connect, consent, follow, OTHER_PAGE, PAGE, postSession, SECRET, startRig, type Rig } from './helpers.js';

async function exercise(rig: Rig, mode: 'direct' | 'relay') {
  const json = { 'content-type': 'application/json' };
  await postSession(rig, 'ana');
  await connect(rig, 'ana', 'yuki.tanaka@example.jp');
  await rig.fetch(await consent(rig, 'ben', { identity: 'noor.haddad@example.com', query: '?state=c3RhdGUtb2YtdGhlLWVsZW1lbnQ&return_to=/back' }), {
    user: 'ben',
    origin: null,
  });
  await follow(rig, await rig.fetch(await consent(rig, 'cat', { decision: 'deny' }), { user: 'cat', origin: null }));
  const callback = await consent(rig, 'dan', { identity: 'alex.morgan@example.com' });
  await follow(rig, await rig.fetch(callback, { user: 'dan', origin: null }));
  await follow(rig, await rig.fetch(callback, { user: 'dan', origin: null })); // replay
  await rig.fetch(callback.replace(/\/google\/callback\/[^?]+/, '/google/callback/forged.x'), { user: 'dan', origin: null });
  // the account-linking attack: another user finishes dan's link
  await follow(rig, await rig.fetch(await consent(rig, 'dan', { identity: 'jordan.reed@example.com' }), { user: 'ana', origin: null }));
  await rig.companion.provisionResource('eve', { name: 'Eve', email: `eve-${mode}@example.com`, timezone: 'UTC' });

  for (const user of ['ana', 'ben', 'dan', 'eve', undefined]) {
    await postSession(rig, user);
    await postSession(rig, user, { origin: OTHER_PAGE });
  }
  await postSession(rig, 'ana', { body: '{"x":', headers: json });
  await postSession(rig, 'ana', { body: 'x'.repeat(5000), headers: json });
  await rig.fetch('/google/start', { user: 'ana', origin: null, referer: `${OTHER_PAGE}/` });
  await rig.fetch('/nope');

  // Timekit failing in every way while the companion works for a user.
  await rig.advance('2 hours');
  for (const kind of ['malformed', 'drop'] as const) {
    rig.emulator.faults.add({ kind, path: '/credentials', method: 'GET' });
    await postSession(rig, 'ana');
  }
  for (const status of [401, 403, 422, 500]) {
    rig.emulator.faults.add({ kind: 'status', status, path: '/credentials', method: 'GET' });
    await postSession(rig, 'ana');
  }
  const session = JSON.parse((await postSession(rig, 'ana')).body) as TkReadySession;
  assert.equal(session.status, 'ready');

  if (mode === 'relay') {
    const auth = { authorization: `Bearer ${session.token}`, ...json };
    const calendars = JSON.parse((await rig.fetch('/api/v2/calendars', { headers: auth })).body).data as Array<{ id: string }>;
    await rig.fetch(`/api/v2/calendars/${calendars[0]!.id}`, { method: 'PUT', headers: auth, body: '{"provider_sync":true}' });
    await rig.fetch(`/api/v2/calendars/${calendars[0]!.id}`, { method: 'PUT', headers: auth, body: '{"name":"x"}' });
    await rig.fetch('/api/v2/accounts', { headers: auth });
    await rig.fetch('/api/v2/credentials', { headers: auth });
    rig.emulator.faults.add({ kind: 'status', status: 401, path: '/accounts' });
    await rig.fetch('/api/v2/accounts', { headers: auth });
  }
}

for (const mode of ['direct', 'relay'] as const) {
  describe(`secrets stay on the server (${mode} mode)`, () => {
    let rig: Rig;
    before(async () => {
      rig = await startRig({ mode, allowedOrigins: [PAGE] });
      await exercise(rig, mode);
    });
    after(() => rig.close());

    it('exercised every route, with successes and refusals', () => {
      const mine = rig.seen.filter((s) => s.url.startsWith(rig.url));
      const statuses = new Set(mine.map((s) => s.status));
      // In relay mode sessions call no Timekit, so Timekit's failures show in relayed answers instead of 502s.
      const expected = [200, 302, 303, 400, 401, 403, 404, 413, ...(mode === 'direct' ? [502] : [])];
      for (const status of expected) assert.ok(statuses.has(status), `saw a ${status}`);
      assert.ok(rig.logs.length > 20);
    });

    it('no answer, header, redirect or log line contains the app key, a resource token or the signing secret', () => {
      const resourceTokens = [...rig.emulator.state.credentials.values()].filter((c) => c.scopes.includes('global')).map((c) => c.token);
      assert.ok(resourceTokens.length >= 4, 'the scenario made resources');
      const secrets = [rig.emulator.appKey, rig.emulator.testAppKey, SECRET, ...resourceTokens];
      const encodings = (secret: string) => [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(`:${secret}`).toString('base64')];

      const mine = rig.seen.filter((s) => s.url.startsWith(rig.url));
      assert.ok(mine.length > 30);
      for (const answer of mine) {
        const visible = [String(answer.status), ...Object.entries(answer.headers).map(([k, v]) => `${k}: ${v}`), answer.body].join('\n');
        for (const secret of secrets) {
          for (const encoded of encodings(secret)) assert.equal(visible.includes(encoded), false, `${answer.url} shows a secret`);
        }
      }
      for (const line of rig.logs) {
        for (const secret of secrets) assert.equal(line.includes(secret), false, `log line shows a secret: ${line}`);
      }
    });
  });
}
