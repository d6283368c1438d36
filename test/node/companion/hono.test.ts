/** Mounting the web-standard handler in Hono (served by @hono/node-server) under a path prefix. */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createCompanion } from '../../../src/companion/index.js';
import { answerConsent, startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { companionOptions, PAGE } from './helpers.js';

describe('mounted in Hono', () => {
  let emulator: Emulator;
  let server: ServerType;
  let base: string;

  before(async () => {
    emulator = await startEmulator({ port: 0, profile: 'optimistic' });
    const companion = createCompanion(companionOptions(emulator, { basePath: '/timekit', authenticate: (request) => request.headers.get('x-user') }));
    const app = new Hono();
    app.get('/', (c) => c.text('host app'));
    // Hono's mount strips /timekit before calling the handler; basePath still builds the callback URL.
    app.mount('/timekit', companion.handler);
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await emulator.close();
  });

  it('serves the session, the connect round trip and refusals under /timekit', async () => {
    assert.equal(await (await fetch(`${base}/`)).text(), 'host app');
    const signedOut = await fetch(`${base}/timekit/session`, { method: 'POST', headers: { origin: PAGE, 'x-user': 'ana' } });
    assert.deepEqual(await signedOut.json(), { status: 'signed-out' });
    assert.equal(signedOut.headers.get('access-control-allow-origin'), PAGE);

    const start = await fetch(`${base}/timekit/google/start`, { redirect: 'manual', headers: { referer: `${PAGE}/`, 'x-user': 'ana' } });
    const callback = new URL(new URL(start.headers.get('location')!).searchParams.get('callback')!);
    assert.ok(callback.pathname.startsWith('/timekit/google/callback/'), callback.pathname);
    assert.equal(callback.origin, base);
    const binding = start.headers.get('set-cookie')!.split(';')[0]!;

    const consented = await answerConsent(start.headers.get('location')!, { identity: 'alex.morgan@example.com' });
    const finished = await fetch(consented, { redirect: 'manual', headers: { cookie: binding, 'x-user': 'ana' } });
    assert.equal(finished.status, 303);
    const done = await fetch(new URL(finished.headers.get('location')!, consented));
    assert.equal(done.status, 200);
    assert.ok(new URL(done.url).pathname.startsWith('/timekit/google/done/'));
    assert.match(done.headers.get('content-security-policy')!, /frame-ancestors 'none'/);

    const session = await (await fetch(`${base}/timekit/session`, { method: 'POST', headers: { origin: PAGE, 'x-user': 'ana' } })).json();
    assert.equal(session.status, 'ready');
    assert.equal(session.email, 'alex.morgan@example.com');

    const refused = await fetch(`${base}/timekit/session`, { method: 'POST', headers: { origin: 'https://evil.example', 'x-user': 'ana' } });
    assert.equal(refused.status, 403);
    assert.equal((await refused.json()).error.code, 'origin-not-allowed');
  });
});
