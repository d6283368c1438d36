/**
 * Where the session tells the elements to send their calendar calls. Never the request's Host: a
 * proxy or a framework may report one browsers cannot reach (Astro without `allowedDomains` says
 * `localhost`). In relay mode the answer names the relay's path, which the page resolves against
 * the endpoint it reached the companion at, or `publicUrl`'s when set; direct mode names Timekit.
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TkReadySession, TkSessionResponse } from '../../../src/shared/companion-protocol.js';
import { createCompanion } from '../../../src/companion/index.js';
import { BASE_PATH, companionOptions, connect, PAGE, plainResource, startRig, type Rig } from './helpers.js';

const ready = (body: string) => {
  const session = JSON.parse(body) as TkSessionResponse;
  assert.equal(session.status, 'ready', body);
  return session as TkReadySession;
};

/** A reverse proxy in front of `target` that sends every request on with `Host: localhost`, as some do. */
async function localhostProxy(target: string): Promise<{ origin: string; close(): Promise<void> }> {
  const { hostname, port } = new URL(target);
  const server: Server = createServer((req, res) => {
    const upstream = request({ host: hostname, port, method: req.method, path: req.url, headers: { ...req.headers, host: 'localhost' } }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the relay address in the session answer', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig();
    await connect(rig, 'ana', 'yuki.tanaka@example.jp');
  });
  after(() => rig.close());

  it('behind a proxy that rewrites Host to localhost: the relay path, which works from the endpoint the page used', async () => {
    const proxy = await localhostProxy(rig.url);
    try {
      const endpoint = `${proxy.origin}${BASE_PATH}`;
      const headers = { origin: PAGE, cookie: 'sid=ana' };
      const answer = await fetch(`${endpoint}/session`, { method: 'POST', headers });
      const body = await answer.text();
      const session = ready(body);
      assert.equal(session.apiBase, `${BASE_PATH}/api/v2`);
      assert.doesNotMatch(body, /localhost/);
      // The relay is beside /session, wherever the page reached that.
      const relayed = await fetch(new URL(`${session.apiBase}/calendars`, endpoint), { headers: { ...headers, authorization: `Bearer ${session.token}` } });
      assert.equal(relayed.status, 200);
      assert.ok(((await relayed.json()) as { data: unknown[] }).data.length > 0);
    } finally {
      await proxy.close();
    }
  });

  it("in a fetch host whose request.url says http://localhost (Astro's node adapter): the same path", async () => {
    const request = new Request(`http://localhost${BASE_PATH}/session`, { method: 'POST', headers: { origin: PAGE, cookie: 'sid=ana' } });
    const answer = await rig.companion.handler(request);
    assert.equal(answer.status, 200);
    assert.equal(ready(await answer.text()).apiBase, `${BASE_PATH}/api/v2`);
  });
});

describe('the relay address with publicUrl, and in direct mode', () => {
  let rig: Rig;
  let resource: { id: string; token: string };
  const email = 'relay.base@example.com';
  before(async () => {
    rig = await startRig();
    resource = await plainResource(rig, { name: 'Relay Base', email, timezone: 'Europe/Berlin' });
  });
  after(() => rig.close());

  /** A companion on the rig's emulator and store, with `overrides`, answering ana's session as a fetch host whose Host is localhost. */
  async function sessionWith(overrides: Parameters<typeof companionOptions>[1]) {
    const companion = createCompanion(companionOptions(rig.emulator, { store: rig.store, ...overrides }));
    await rig.store.put('ana', { resourceId: resource.id, email, token: resource.token, accounts: [] });
    const answer = await companion.handler(new Request(`http://localhost${BASE_PATH}/session`, { method: 'POST', headers: { origin: PAGE } }));
    return ready(await answer.text());
  }

  it("publicUrl's relay, whatever the Host", async () => {
    const session = await sessionWith({ publicUrl: `${PAGE}${BASE_PATH}/`, authenticate: () => 'ana' });
    assert.equal(session.apiBase, `${PAGE}${BASE_PATH}/api/v2`);
  });

  it("direct mode: Timekit's API base, whatever the Host", async () => {
    const session = await sessionWith({ mode: 'direct', basePath: BASE_PATH, authenticate: () => 'ana' });
    assert.equal(session.apiBase, rig.emulator.url);
  });
});
