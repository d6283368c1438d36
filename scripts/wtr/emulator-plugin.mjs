/**
 * Runs the Timekit emulator inside the web-test-runner process for the browser tests.
 *
 * - serverStart starts it on an ephemeral port; serverStop closes it.
 * - `middleware` forwards /v2/…, /_google/…, /_microsoft/… and /_emulator/… (and /v2, /_emulator themselves) on
 *   the wtr dev server to the emulator,
 *   so tests can also reach it same-origin. It adds the emulator's control token to /_emulator
 *   requests, so tests call the control API without knowing it.
 * - The emulator plays its default, `evidence` profile: Timekit as the public evidence suggests it
 *   behaves (docs/timekit-api.md).
 * - GET /__tk-test-env.json answers { emulatorUrl, emulatorOrigin, app, appKey, testAppKey,
 *   companionUrl, relayCompanionUrl, connectCompanionUrl } (test/browser/helpers/env.ts reads it). The keys are the
 *   emulator's, for tests only.
 * - With `loadCompanion`, serverStart also runs three companions in their default (relay) mode on
 *   ports of their own (sidecars, as `tk-companion --dev-user` would be; each has its own store):
 *   every request is one dev user (on the third, one per browser engine), the allowed origin is the test page's, and they talk to the
 *   emulator through the page origin's /v2, so the fake consent page they lead the popup to is
 *   same-origin with the test and can be driven. And:
 *   - POST /__tk-test/session `{email, token, resourceId, accounts?}` answers the session a
 *     companion gives a host user who has that resource (a fourth companion, holding one record
 *     per call), so element tests run on the default path with resources they made themselves;
 *   - POST /__tk-test/fault `{email, method, fault}` puts the emulator's `Tk-Emulator-Fault` header
 *     `fault` on the next `method` request to the emulator made as the resource `email` (the
 *     relay's calls included), so a test's faults hit its own resource only;
 *   - POST /__tk-test/stack `{profile?, switches?, mode?, name?, publicUrl?, host?}` starts (once per distinct body) an
 *     emulator of its own playing those sides of Timekit's doubts, a companion in that mode (with
 *     that `publicUrl`; behind a proxy that rewrites every request's Host to `host`) for
 *     one dev user who has connected Alex Morgan's Google account, and answers
 *     `{emulatorUrl, companionUrl, app, appKey}`: the fidelity matrix. `name` only keeps stacks
 *     apart, so a test that changes its stack (per engine) has one of its own;
 *   - POST /__tk-test/stack/connect `{stack, identity, provider?}` walks the companion's connect
 *     round trip for that stack's user with a seeded identity (Google by default), in the one
 *     browser the stack's consents share, and answers `{status}` (the callback's);
 *   - POST /__tk-test/stack/revoke `{stack, provider, email}` revokes that account's grant in the
 *     stack's emulator (`POST /_emulator/revoke`).
 *
 * Use both halves in the config: `plugins: [emu.plugin]`, `middleware: [emu.middleware]`
 * (config middleware runs before wtr's own file serving and transforms).
 */

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export const TEST_ENV_PATH = '/__tk-test-env.json';
const PROXIED_PREFIXES = ['/v2/', '/_google/', '/_microsoft/', '/_emulator/'];
const SESSION_PATH = '/__tk-test/session';
const STACK_PATH = '/__tk-test/stack';
const STACK_CONNECT_PATH = '/__tk-test/stack/connect';
const STACK_REVOKE_PATH = '/__tk-test/stack/revoke';
const FIXTURES_PATH = '/__tk-fixtures';
const FAULT_PATH = '/__tk-test/fault';

/**
 * @param {{
 *   load: () => Promise<{ startEmulator: (options: { port: number, profile: string }) => Promise<any> }>,
 *   loadCompanion?: () => Promise<{ createCompanion: (options: any) => any, memoryStore: () => any, toNodeHandler: (companion: any) => any }>,
 * }} options
 */
export function timekitEmulator({ load, loadCompanion }) {
  let emulator;
  let companion;
  let relayCompanion;
  let connectCompanion;
  let fixtures;
  let pageOrigin;
  /** The fidelity matrix's stacks, by request body. */
  const stacks = new Map();
  /** Faults waiting for a request of their resource: `{email, method, fault}`, oldest first. */
  const faults = [];

  const plugin = {
    name: 'tk-emulator',
    async serverStart({ logger, config }) {
      const { startEmulator } = await load();
      emulator = await startEmulator({ port: 0 });
      logger?.debug?.(`[tk-emulator] listening at ${emulator.url}`);
      pageOrigin = `http://${config.hostname ?? 'localhost'}:${config.port}`;
      if (loadCompanion) {
        const kit = await loadCompanion();
        const viaPage = { apiBase: `${pageOrigin}/v2`, app: emulator.app, appKey: emulator.appKey };
        companion = await startCompanion(kit, viaPage, pageOrigin);
        relayCompanion = await startCompanion(kit, viaPage, pageOrigin);
        // One host user per engine: the three engines run at once, and a connect replaces what another engine's test sees.
        connectCompanion = await startCompanion(kit, viaPage, pageOrigin, { authenticate: (request) => `wtr-${engineOf(request.headers.get('user-agent'))}` });
        // Mounted on the page's own origin, so its relay is same-origin (the strict-CSP page allows only that).
        fixtures = await startCompanion(kit, viaPage, pageOrigin, {
          publicUrl: `${pageOrigin}${FIXTURES_PATH}`,
          authenticate: (request) => request.headers.get('x-tk-test-user'),
        });
      }
    },
    async serverStop() {
      const running = emulator;
      emulator = undefined;
      const servers = [companion, relayCompanion, connectCompanion, fixtures, ...[...stacks.values()].map((stack) => stack.then((s) => s.close(), () => {}))];
      companion = relayCompanion = connectCompanion = fixtures = undefined;
      stacks.clear();
      await Promise.all(servers.map((server) => (typeof server?.close === 'function' ? server.close() : server)));
      await running?.close();
    },
    serve(context) {
      if (context.path !== TEST_ENV_PATH) return undefined;
      if (!emulator) return { body: JSON.stringify({ error: 'emulator not running' }), type: 'json' };
      return {
        body: JSON.stringify({
          emulatorUrl: emulator.url,
          emulatorOrigin: emulator.origin,
          app: emulator.app,
          appKey: emulator.appKey,
          testAppKey: emulator.testAppKey,
          companionUrl: companion?.url,
          relayCompanionUrl: relayCompanion?.url,
          connectCompanionUrl: connectCompanion?.url,
        }),
        type: 'json',
        headers: { 'cache-control': 'no-store' },
      };
    },
  };

  /** The session a companion answers for a host user who has the resource `login` names. */
  async function sessionFor(login) {
    const user = `fixture-${randomBytes(6).toString('hex')}`;
    await fixtures.store.put(user, { resourceId: login.resourceId, email: login.email, token: login.token, accounts: login.accounts ?? [] });
    const answer = await fixtures.companion.handler(
      new Request(`${pageOrigin}${FIXTURES_PATH}/session`, { method: 'POST', headers: { origin: pageOrigin, 'x-tk-test-user': user } }),
    );
    return { status: answer.status, body: await answer.text() };
  }

  /** Starts the matrix stack `options` stands for, or reuses it. */
  function stackFor(options) {
    const key = JSON.stringify(options);
    if (!stacks.has(key)) {
      const started = startStack(load, loadCompanion, pageOrigin, options);
      started.catch(() => stacks.delete(key));
      stacks.set(key, started);
    }
    return stacks.get(key);
  }

  /** Koa middleware: the test endpoints, and requests for the emulator handed to its node:http handler. */
  async function middleware(ctx, next) {
    const path = ctx.path;
    if (ctx.method === 'POST' && [SESSION_PATH, STACK_PATH, STACK_CONNECT_PATH, STACK_REVOKE_PATH, FAULT_PATH].includes(path)) {
      try {
        const body = JSON.parse((await readBody(ctx.req)) || '{}');
        if (path === FAULT_PATH) {
          faults.push({ email: body.email, method: body.method, fault: body.fault });
          ctx.status = 204;
        } else if (path === STACK_CONNECT_PATH || path === STACK_REVOKE_PATH) {
          const stack = await stackFor(body.stack);
          const answer = path === STACK_CONNECT_PATH ? await stack.connect(body.identity, body.provider) : await stack.revoke(body.provider, body.email);
          Object.assign(ctx, { status: 200, body: JSON.stringify(answer), type: 'json' });
        } else if (path === SESSION_PATH) {
          const { status, body: session } = await sessionFor(body);
          Object.assign(ctx, { status, body: session, type: 'json' });
        } else {
          const { close: _close, connect: _connect, revoke: _revoke, ...stack } = await stackFor(body);
          Object.assign(ctx, { status: 200, body: JSON.stringify(stack), type: 'json' });
        }
      } catch (error) {
        Object.assign(ctx, { status: 500, body: JSON.stringify({ error: String(error?.stack ?? error) }), type: 'json' });
      }
      return;
    }
    const toFixtures = fixtures && path.startsWith(`${FIXTURES_PATH}/`);
    if (!toFixtures && (!emulator || !PROXIED_PREFIXES.some((p) => path.startsWith(p) || path === p.slice(0, -1)))) {
      return next();
    }
    ctx.respond = false;
    const { req, res } = ctx;
    if (toFixtures) {
      // The browser never gets to say which host user it is: only sessionFor() does.
      delete req.headers['x-tk-test-user'];
      return new Promise((resolve) => {
        res.once('finish', resolve);
        res.once('close', resolve);
        fixtures.nodeHandler(req, res);
      });
    }
    if (path === '/_emulator' || path.startsWith('/_emulator/')) req.headers.authorization = `Bearer ${emulator.controlToken}`;
    const caller = basicUser(req.headers.authorization);
    const waiting = faults.findIndex((f) => f.email === caller && f.method === req.method);
    if (waiting >= 0) req.headers['tk-emulator-fault'] = faults.splice(waiting, 1)[0].fault;
    await new Promise((resolve) => {
      res.once('finish', resolve);
      res.once('close', resolve);
      emulator.handler(req, res);
    });
  }

  return { plugin, middleware };
}

/**
 * A companion on 127.0.0.1 and a free port, for the test page at `pageOrigin`, in its default mode
 * unless `options` say otherwise; every request is one dev user unless `options.authenticate`.
 */
async function startCompanion({ createCompanion, memoryStore, toNodeHandler }, timekit, pageOrigin, options = {}, { host } = {}) {
  const store = memoryStore();
  const companion = createCompanion({
    ...timekit,
    allowedOrigins: [pageOrigin],
    secret: randomBytes(32).toString('base64url'),
    store,
    authenticate: () => 'wtr-dev-user',
    // Every browser test, in every engine, connects, toggles and syncs as this one user: more than a person's per minute.
    connectsPerMinute: 1000,
    relayWritesPerMinute: 10_000,
    relaySyncsPerMinute: 10_000,
    ...options,
  });
  const nodeHandler = toNodeHandler(companion);
  // A proxy (or a framework) that reports another Host than the one the browser used.
  const server = createServer(
    host
      ? (req, res) => {
          req.headers.host = host;
          nodeHandler(req, res);
        }
      : nodeHandler,
  );
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    companion,
    nodeHandler,
    store,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}

/**
 * One stack of the fidelity matrix: an emulator on its own port playing `profile` and `switches`,
 * and a companion in `mode` whose dev user has connected Alex Morgan's Google account (consent
 * walked over HTTP as a browser would, the account synced once).
 */
async function startStack(load, loadCompanion, pageOrigin, { profile, switches, mode, publicUrl, host } = {}) {
  const { startEmulator, answerConsent, signedSignupUrl } = await load();
  const emulator = await startEmulator({ port: 0, profile, switches });
  const companion = await startCompanion(
    await loadCompanion(),
    { apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey },
    pageOrigin,
    { ...(mode ? { mode } : {}), ...(publicUrl ? { publicUrl } : {}), authenticate: () => 'matrix-user' },
    { host },
  );
  const email = 'alex.morgan@example.com';
  const signup = await signedSignupUrl({ apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey, callback: `${pageOrigin}/callback` });
  // The cookies of the one browser all of this stack's consents happen in (secondSignupAttaches).
  const emulatorCookies = new Map();
  const consented = await answerConsent(signup, { identity: email, cookies: emulatorCookies });
  // Timekit may append ?email=…&token=… as text: read the token from the raw location.
  const token = decodeURIComponent(/[?&]token=([^&]+)/.exec(consented)?.[1] ?? '');
  if (!token) throw new Error(`the matrix stack's consent did not come back with a token: ${consented}`);
  const asResource = { authorization: `Basic ${Buffer.from(`${email}:${token}`).toString('base64')}`, 'timekit-app': emulator.app };
  await fetch(`${emulator.url}/accounts/sync`, { method: 'POST', headers: asResource });
  const accounts = (await (await fetch(`${emulator.url}/accounts`, { headers: asResource })).json()).data;
  await companion.store.put('matrix-user', { resourceId: emulator.state.resourceByEmail(email).id, email, token, accounts });
  return {
    emulatorUrl: emulator.url,
    companionUrl: companion.url,
    app: emulator.app,
    appKey: emulator.appKey,
    /** The companion's connect round trip for the stack's user, as a browser on the page would walk it. */
    async connect(identity, provider = 'google') {
      const start = await fetch(`${companion.url}/${provider}/start`, { redirect: 'manual', headers: { referer: `${pageOrigin}/` } });
      if (start.status !== 302) throw new Error(`/${provider}/start answered ${start.status}: ${await start.text()}`);
      const binding = start.headers.getSetCookie().map((cookie) => cookie.split(';')[0]).join('; ');
      const callback = await answerConsent(start.headers.get('location'), { identity, cookies: emulatorCookies });
      const back = await fetch(callback, { redirect: 'manual', headers: { cookie: binding } });
      return { status: back.status };
    },
    async revoke(provider, email) {
      const answer = await fetch(`${emulator.origin}/_emulator/revoke`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.controlToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ provider, email }),
      });
      return { status: answer.status };
    },
    close: async () => {
      await companion.close();
      await emulator.close();
    },
  };
}

/** Which browser engine a User-Agent is: Firefox, Chromium, else WebKit. */
function engineOf(userAgent) {
  if (/Firefox\//.test(userAgent ?? '')) return 'firefox';
  return /Chrome\//.test(userAgent ?? '') ? 'chromium' : 'webkit';
}

/** The user name of a Basic `authorization` header (a resource's or a widget's email), or null. */
function basicUser(authorization) {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  return decoded.slice(0, Math.max(0, decoded.indexOf(':')));
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

