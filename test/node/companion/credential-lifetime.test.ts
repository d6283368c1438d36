/**
 * How long a copied widget credential keeps working when Timekit ignores the `expires` the
 * companion asks for (the emulator's `expiresIgnored`: a year): until the next mint for that
 * resource on any origin after it expired, or at once when the host revokes on sign-out.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import { connect, OTHER_PAGE, PAGE, postSession, startRig, type Rig } from './helpers.js';

const ready = (body: string) => JSON.parse(body) as TkReadySession;

describe('widget credentials when Timekit ignores expires', () => {
  let rig: Rig;
  const findtime = (session: TkReadySession, origin = PAGE) =>
    fetch(`${rig.emulator.url}/findtime`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${session.widget!.email}:${session.widget!.token}`)}`, 'timekit-app': session.app, 'content-type': 'application/json', origin },
      body: JSON.stringify({ resource_ids: [session.resourceId], length: '1 hour', future: '1 day' }),
    }).then((answer) => answer.status);

  before(async () => {
    rig = await startRig({ mode: 'relay', allowedOrigins: [PAGE, OTHER_PAGE] }, { switches: { expiresIgnored: true } });
    await connect(rig, 'ana', 'yuki.tanaka@example.jp');
    await connect(rig, 'ben', 'jordan.reed@example.com');
  });
  after(() => rig.close());

  it('deletes an expired credential at Timekit at the next mint for its resource, on another origin too', async () => {
    const copied = ready((await postSession(rig, 'ana')).body);
    assert.equal(await findtime(copied), 200);
    await rig.advance('2 hours');
    assert.equal(await findtime(copied), 200, 'Timekit alone would accept it for a year');
    ready((await postSession(rig, 'ana', { origin: OTHER_PAGE })).body);
    assert.equal(await findtime(copied), 401);
  });

  it('revokeCredentials deletes the user’s widget credentials on every origin at once; the next session mints a new one', async () => {
    const here = ready((await postSession(rig, 'ana')).body);
    const there = ready((await postSession(rig, 'ana', { origin: OTHER_PAGE })).body);
    const bens = ready((await postSession(rig, 'ben')).body);
    assert.deepEqual([await findtime(here), await findtime(there, OTHER_PAGE)], [200, 200]);

    assert.equal(await rig.companion.revokeCredentials('ana'), 2);
    assert.deepEqual([await findtime(here), await findtime(there, OTHER_PAGE)], [401, 401]);
    assert.equal(await findtime(bens), 200, 'another user’s credential is untouched');
    const record = (await rig.store.get('ana'))!;
    assert.ok([...rig.emulator.state.credentials.values()].some((c) => c.token === record.token), 'the resource’s own token stays');

    const next = ready((await postSession(rig, 'ana')).body);
    assert.notEqual(next.widget!.token, here.widget!.token, 'not handed out again from a cache');
    assert.equal(await findtime(next), 200);
    assert.equal(await rig.companion.revokeCredentials('nobody'), 0, 'a user without a resource has nothing to revoke');
  });
});
