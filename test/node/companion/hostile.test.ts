/**
 * Hostile input against every companion route, property-based (fast-check, fixed seeds): random
 * and malformed methods, paths, headers (Origin, Referer, Authorization, cookies, forged JWTs and
 * relay tokens), query strings (return_to, nonce and the callback's fields) and bodies, through
 * `toNodeHandler` on a real node:http server, in direct and in relay mode, with host users known by
 * the standalone server's HS256 JWT hook.
 *
 * Every answer must be documented: a success or redirect for a request that happens to be valid,
 * a 4xx JSON `{"error": {code, message}}` with the status the companion's error table gives that code,
 * a connect result page carrying such a code, or (relay, valid token) Timekit's own 4xx passed
 * through. Never a 5xx, never a hang, never the app key, a resource token or a secret in an
 * answer; and the companion serves a normal request afterwards.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect as connectSocket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { TkCompanionErrorCode, TkReadySession } from '../../../src/shared/companion-protocol.js';
import { jwtAuthenticator, JWT_COOKIE, signHs256 } from '../../../src/companion/jwt.js';
import { Signer } from '../../../src/companion/signing.js';
import { COMPANION_ERRORS, statusOf } from '../../../src/companion/errors.js';
import { BASE_PATH, OTHER_PAGE, PAGE, resultOf, SECRET, startRig, type Rig } from './helpers.js';

const JWT_SECRET = 'hostile-jwt-secret-0123456789-abcdefghijklmnop';
const WRONG_SECRET = 'wrong-secret-0123456789-abcdefghijklmnopqrstuvwxyz';

/** Timekit's refusals, which the relay passes through for allow-listed calls (docs/emulator.md). */
const TIMEKIT_4XX = new Set([400, 401, 403, 404, 405, 413, 415, 422]);

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One request through node:http, which sends any method token, a body on GET and odd paths. */
function rawRequest(
  origin: string,
  options: { method: string; path: string; headers: Record<string, string>; body?: string },
  timeoutMs = 5_000,
): Promise<Raw> {
  const { hostname, port } = new URL(origin);
  const headers = { ...options.headers };
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request({ host: hostname, port, method: options.method, path: options.path, headers, agent: false }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    // A refused oversized body: the server may answer and close while the rest is still being sent.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(options.body);
  });
}

/** Bytes straight to the socket, for requests node:http refuses to build; resolves when the server closes. */
function rawSocket(origin: string, bytes: string, timeoutMs = 5_000): Promise<Raw> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connectSocket(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const reply = Buffer.concat(chunks).toString('latin1');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(reply)?.[1] ?? 0);
      resolve({ status, headers: {}, text: reply });
    });
    socket.end(bytes);
  });
}

// --- forged credentials ---------------------------------------------------------------------------

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
const nowS = () => Math.floor(Date.now() / 1000);

/** Host-user JWTs: the one valid kind, and the ways a forger or a stale client gets it wrong. */
function jwtOf(kind: string, sub = 'ana'): string {
  const claims = { sub, iat: nowS(), exp: nowS() + 600 };
  switch (kind) {
    case 'valid':
      return signHs256(claims, JWT_SECRET);
    case 'alg-none':
      return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
    case 'alg-hs512':
      return `${b64({ alg: 'HS512', typ: 'JWT' })}.${b64(claims)}.${signHs256(claims, JWT_SECRET).split('.')[2]}`;
    case 'wrong-key':
      return signHs256(claims, WRONG_SECRET);
    case 'expired':
      return signHs256({ sub, iat: nowS() - 7200, exp: nowS() - 3600 }, JWT_SECRET);
    case 'long-lived':
      return signHs256({ sub, iat: nowS(), exp: nowS() + 90 * 86_400 }, JWT_SECRET);
    case 'sub-not-string':
      return signHs256({ sub: { id: sub }, exp: nowS() + 600 }, JWT_SECRET);
    case 'huge':
      return signHs256({ ...claims, pad: 'x'.repeat(6000) }, JWT_SECRET);
    case 'tampered': {
      const [header, , signature] = signHs256(claims, JWT_SECRET).split('.');
      return `${header}.${b64({ ...claims, sub: 'admin' })}.${signature}`;
    }
    default:
      return kind;
  }
}
const JWT_KINDS = ['valid', 'alg-none', 'alg-hs512', 'wrong-key', 'expired', 'long-lived', 'sub-not-string', 'huge', 'tampered'];

const signer = new Signer(SECRET);
const wrongSigner = new Signer(WRONG_SECRET);

// --- the rig per mode -----------------------------------------------------------------------------

interface Setup {
  rig: Rig;
  origin: string;
  session: TkReadySession;
  calendarId: string;
  /** Ana's resource token (also in `secrets`). */
  token: string;
  /** What must never reach an answer or a log line: the app keys, the signing and JWT secrets, the resource token. */
  secrets: string[];
}

async function setUp(mode: 'direct' | 'relay'): Promise<Setup> {
  // mallory starts a connect for every fuzzed callback: more than the per-user limit allows.
  const rig = await startRig({ mode, allowedOrigins: [PAGE], authenticate: jwtAuthenticator(JWT_SECRET), connectsPerMinute: 10_000 });
  const origin = new URL(rig.url).origin;
  await rig.companion.provisionResource('ana', { name: 'Ana', email: `ana-${mode}@example.com`, timezone: 'UTC' });
  const session = JSON.parse((await rig.fetch('/session', { method: 'POST', headers: { authorization: `Bearer ${jwtOf('valid')}` } })).body) as TkReadySession;
  assert.equal(session.status, 'ready');
  const record = rig.store.records.get('ana') as { token: string; resourceId: string };
  const calendarId = [...rig.emulator.state.calendars.values()].find((c) => c.resource_id === record.resourceId)!.id;
  const secrets = [rig.emulator.appKey, rig.emulator.testAppKey, SECRET, JWT_SECRET, record.token];
  return { rig, origin, session, calendarId, token: record.token, secrets };
}

/**
 * A fresh connect nonce for the host user `mallory`, as /google/start signs it, and the cookies
 * of the browser that started it (its binding cookie and mallory's login).
 */
async function freshNonce(setup: Setup): Promise<{ nonce: string; cookie: string }> {
  const login = `${JWT_COOKIE}=${jwtOf('valid', 'mallory')}`;
  const start = await rawRequest(setup.origin, {
    method: 'GET',
    path: `${BASE_PATH}/google/start`,
    headers: { cookie: login, referer: `${PAGE}/settings` },
  });
  assert.equal(start.status, 302, start.text);
  const callback = new URL(new URL(String(start.headers.location)).searchParams.get('callback')!);
  const binding = String(start.headers['set-cookie']).split(';')[0]!;
  return { nonce: callback.pathname.split('/').at(-1)!, cookie: `${binding}; ${login}` };
}

// --- generators -----------------------------------------------------------------------------------

const ROUTES: Array<[string, string]> = [
  ['POST', '/session'],
  ['GET', '/google/start'],
  ['GET', '/google/callback'],
  ['GET', '/api/v2/calendars'],
  ['GET', '/api/v2/calendars/:id'],
  ['PUT', '/api/v2/calendars/:id'],
  ['GET', '/api/v2/accounts'],
  ['POST', '/api/v2/accounts/sync'],
  ['GET', '/api/v2/credentials'],
  ['DELETE', '/api/v2/calendars/:id'],
  ['POST', '/api/v2/resources'],
  ['GET', '/api/v2'],
  ['GET', '/'],
];
const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'SEARCH', 'PURGE', 'M-SEARCH');
const segment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('..', '.', '', '%00', '%2e%2e', '%2F', '%', '%zz', '%c0%af', '~', ';x=1', 'session', 'api', 'v2', 'google', 'calendars', 'timekit') },
  fc.string({ maxLength: 10 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 6 }).map(encodeURIComponent),
  fc.constantFrom('\u00e9', '\u00ff\u00fe', 'caf\u00e9'),
  // n stands for n × "a", so a failing case prints short; past ~16 KiB node itself answers 431.
  fc.integer({ min: 1, max: 20_000 }),
);
const target = fc.record({
  // Mostly the browser-facing routes, which do the most with what they are sent.
  route: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...ROUTES.slice(0, 2)) }, fc.constantFrom(...ROUTES)),
  id: fc.oneof({ weight: 3, arbitrary: fc.constant('real') }, fc.uuid().map(String), segment),
  mounted: fc.boolean(),
  otherMethod: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: anyMethod }),
  extra: fc.oneof({ weight: 3, arbitrary: fc.constant<Array<string | number>>([]) }, { weight: 1, arbitrary: fc.array(segment, { minLength: 1, maxLength: 3 }) }),
  slash: fc.boolean(),
});
type Target = typeof target extends fc.Arbitrary<infer T> ? T : never;
const part = (value: string | number) => (typeof value === 'number' ? 'a'.repeat(value) : value);

const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('/back', '//evil.test/x', `${PAGE}/back?x=1#y`, `${OTHER_PAGE}/`, 'javascript:alert(1)', 'data:text/html,x', `${PAGE}.evil.test/`),
  fc.constantFrom('access_denied', 'ana-direct@example.com', 'ana-relay@example.com', 'x;name:Ana', 'no-at-sign', '@', 'a@b'),
  fc.integer({ min: -5, max: 5000 }).map(String),
  // n × "x", kept as a number so a failing case prints short.
  fc.integer({ min: 1, max: 5000 }).map((repeat) => ({ repeat })),
);
type QueryValue = typeof queryValue extends fc.Arbitrary<infer T> ? T : never;
const valueOf = (value: QueryValue) => (typeof value === 'string' ? value : 'x'.repeat(value.repeat));
const QUERY_KEYS = ['return_to', 'state', 'endpoint', 'email', 'token', 'error', 'limit', 'page', 'search', 'include'];
const query = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Array<[string, QueryValue]>>([]) },
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 6 })), queryValue), { minLength: 1, maxLength: 4 }),
);
type Query = typeof query extends fc.Arbitrary<infer T> ? T : never;

const printable = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\u0020-\u007e]/g, ''));
const credential = fc.oneof(
  // The credential the route wants (the host user's JWT, or on the relay the session's token), so
  // that many requests get past authentication and reach the checks behind it.
  { weight: 6, arbitrary: fc.constant({ right: true as const }) },
  { weight: 3, arbitrary: fc.constantFrom(...JWT_KINDS).map((kind) => ({ jwt: kind })) },
  { weight: 2, arbitrary: fc.constantFrom('valid', 'wrong-key', 'expired', 'other-origin', 'nonce-as-relay', 'mistyped', 'nobody', 'huge').map((kind) => ({ relay: kind })) },
  printable.map((garbage) => ({ garbage })),
);
const headers = fc.record({
  origin: fc.oneof(
    { weight: 8, arbitrary: fc.constant(PAGE) },
    fc.constantFrom(undefined, 'null', OTHER_PAGE, `${PAGE}/`, PAGE.toUpperCase(), `${PAGE}.evil.test`, 'http://app.test:3000 http://evil.test'),
    printable,
  ),
  referer: fc.oneof(fc.constant(undefined), fc.constantFrom(`${PAGE}/settings`, `${OTHER_PAGE}/x`, 'not a url', `${PAGE}@evil.test/`), printable),
  authorization: fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: credential }),
  cookie: fc.oneof(
    fc.constant(undefined),
    fc.constantFrom(...JWT_KINDS).map((kind) => ({ jwt: kind })),
    printable.map((garbage) => ({ garbage })),
  ),
  contentType: fc.constantFrom(undefined, 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', '*/*'),
});
type HeaderChoice = typeof headers extends fc.Arbitrary<infer T> ? T : never;

const body = fc.oneof(
  { weight: 6, arbitrary: fc.constant(undefined) },
  fc.constantFrom('{}', '{"provider_sync":true}', '{"provider_sync":"yes"}', '{"name":"x"}', '{"provider_sync":true,"name":"x"}', '{"__proto__":{"admin":true}}', '[]', 'null', '{', '\ufeff{}', ''),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 100 }),
  // Sizes kept as numbers so a failing case prints short.
  fc.integer({ min: 0, max: 100_000 }).map((depth) => ({ depth })),
  fc.integer({ min: 1_000, max: 200_000 }).map((pad) => ({ pad })),
);
type Body = typeof body extends fc.Arbitrary<infer T> ? T : never;
function bodyOf(choice: Body): string | undefined {
  if (choice === undefined || typeof choice === 'string') return choice;
  if ('depth' in choice) return `${'['.repeat(choice.depth)}${']'.repeat(choice.depth)}`;
  return JSON.stringify({ provider_sync: true, pad: 'x'.repeat(choice.pad) });
}

// --- sending and checking -------------------------------------------------------------------------

function relayToken(setup: Setup, kind: string): string {
  const record = setup.rig.store.records.get('ana') as { resourceId: string };
  const claims = { u: 'ana', r: record.resourceId, o: PAGE, e: Date.now() + 600_000 };
  switch (kind) {
    case 'valid':
      return setup.session.token;
    case 'wrong-key':
      return wrongSigner.sign('relay', claims);
    case 'expired':
      return signer.sign('relay', { ...claims, e: Date.now() - 1 });
    case 'other-origin':
      return signer.sign('relay', { ...claims, o: OTHER_PAGE });
    case 'nonce-as-relay':
      return signer.sign('nonce', claims);
    case 'mistyped':
      return signer.sign('relay', { u: 1, r: [], o: null, e: 'soon' });
    case 'nobody':
      return signer.sign('relay', { ...claims, u: 'nobody' });
    default:
      return 'x'.repeat(5000);
  }
}

function headersOf(setup: Setup, choice: HeaderChoice, path: string): Record<string, string> {
  const sent: Record<string, string> = {};
  if (choice.origin !== undefined) sent.origin = choice.origin;
  if (choice.referer !== undefined) sent.referer = choice.referer;
  const auth = choice.authorization;
  if (auth !== undefined) {
    if ('right' in auth) sent.authorization = `Bearer ${path.includes('/api/v2') ? setup.session.token : jwtOf('valid')}`;
    else if ('jwt' in auth) sent.authorization = `Bearer ${jwtOf(auth.jwt)}`;
    else if ('relay' in auth) sent.authorization = `Bearer ${relayToken(setup, auth.relay)}`;
    else sent.authorization = auth.garbage;
  }
  if (choice.cookie !== undefined) sent.cookie = 'jwt' in choice.cookie ? `a=b; ${JWT_COOKIE}=${jwtOf(choice.cookie.jwt)}` : choice.cookie.garbage;
  if (choice.contentType !== undefined) sent['content-type'] = choice.contentType;
  return sent;
}

function pathOf(setup: Setup, t: Target): { method: string; path: string } {
  const [method, template] = t.route;
  let path = template.replace(':id', t.id === 'real' ? setup.calendarId : part(t.id));
  if (t.extra.length > 0) path += `/${t.extra.map(part).join('/')}`;
  if (t.slash) path += '/';
  return { method: t.otherMethod ?? method, path: `${t.mounted ? BASE_PATH : ''}${path}`.replace(/^\/\//, '/') };
}

function queryOf(pairs: Query): string {
  const all = pairs.map(([key, value]): [string, string] => [key, valueOf(value)]);
  return all.length === 0 ? '' : `?${all.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')}`;
}

const ENCODINGS = (secret: string) => [secret, encodeURIComponent(secret), Buffer.from(secret).toString('base64'), Buffer.from(`:${secret}`).toString('base64')];

/** What one property run answered, by kind (`200`, `302`, `html 400 nonce-used`, `json 403 not-allowed`, `timekit 422`…). */
type Tally = Map<string, number>;
const count = (tally: Tally, kind: string) => tally.set(kind, (tally.get(kind) ?? 0) + 1);

function checkAnswer(setup: Setup, response: Raw, sent: { method: string; path: string; relayToken: boolean }, tally: Tally) {
  const what = `${sent.method} ${sent.path.slice(0, 300)} → ${response.status} ${response.text.slice(0, 300)}`;
  const seen = `${JSON.stringify(response.headers)}\n${response.text}`;
  for (const secret of setup.secrets.flatMap(ENCODINGS)) assert.ok(!seen.includes(secret), `a secret in the answer to ${what}`);

  assert.ok(response.status >= 200 && response.status < 500, `not a documented answer: ${what}`);
  if (response.status < 400 || sent.method === 'HEAD') count(tally, String(response.status));
  if (response.status < 300) return;
  if (response.status < 400) {
    // Only /google/start redirects (to Timekit's signup), and a callback goes on to its result page
    // (relative, no token) or, in redirect mode, back to return_to on the page.
    assert.ok(response.status === 302 || response.status === 303, what);
    const raw = String(response.headers.location);
    if (response.status === 303 && raw.startsWith('../done/')) return void count(tally, 'to result page');
    const location = new URL(raw);
    if (response.status === 302) assert.equal(`${location.origin}${location.pathname}`, `${setup.rig.emulator.url}/accounts/google/signup`, what);
    else assert.equal(location.origin, PAGE, what);
    return;
  }
  // node's own parser refuses a request head over 16 KiB (431) or bytes it cannot parse (400), with no
  // body and a closed connection, before the companion sees the request.
  if (response.text === '' && (response.status === 431 || response.status === 400)) {
    count(tally, `node ${response.status}`);
    return assert.equal(response.headers.connection, 'close', what);
  }
  if (sent.method === 'HEAD') return;

  const type = String(response.headers['content-type']);
  if (type.startsWith('text/html')) {
    assert.match(sent.path, /\/google\/(start\/?|done\/[^/]+)$/, what);
    assert.match(String(response.headers['content-security-policy']), /default-src 'none'/, what);
    const { message } = resultOf({ url: sent.path, status: response.status, headers: {}, body: response.text });
    assert.equal(message.ok, false, what);
    assert.ok(String(message.code) in COMPANION_ERRORS, `an undocumented code: ${what}`);
    assert.equal(statusOf(message.code as TkCompanionErrorCode), response.status, what);
    count(tally, `html ${String(message.code)}`);
    return;
  }
  assert.match(type, /^application\/json/, what);
  const parsed = JSON.parse(response.text) as { error?: unknown; errors?: unknown };
  if (typeof parsed.error === 'object' && parsed.error !== null) {
    const { code, message } = parsed.error as { code: TkCompanionErrorCode; message: unknown };
    assert.ok(String(code) in COMPANION_ERRORS, `an undocumented code ${code}: ${what}`);
    assert.equal(statusOf(code), response.status, `code ${code}: ${what}`);
    assert.equal(typeof message, 'string', what);
    count(tally, `json ${code}`);
    return;
  }
  // Timekit's own refusal of an allow-listed call, relayed unchanged: only with a valid relay token.
  assert.ok(sent.relayToken && /\/api\/v2\//.test(sent.path), `an undocumented body: ${what}`);
  assert.ok(TIMEKIT_4XX.has(response.status), what);
  count(tally, `timekit ${response.status}`);
}

/** The companion still answers a normal request, and logged no internal error and no secret. */
async function stillServes(setup: Setup) {
  assert.deepEqual(setup.rig.logs.filter((line) => line.startsWith('internal error')), []);
  for (const secret of setup.secrets) assert.ok(!setup.rig.logs.some((line) => line.includes(secret)), 'a secret in the log');
  const session = await rawRequest(setup.origin, {
    method: 'POST',
    path: `${BASE_PATH}/session`,
    headers: { origin: PAGE, authorization: `Bearer ${jwtOf('valid')}` },
  });
  assert.equal(session.status, 200, session.text);
  const ready = JSON.parse(session.text) as TkReadySession;
  assert.equal(ready.status, 'ready');
  if (ready.mode === 'relay') {
    const calendars = await rawRequest(setup.origin, {
      method: 'GET',
      path: `${BASE_PATH}/api/v2/calendars`,
      headers: { origin: PAGE, authorization: `Bearer ${ready.token}` },
    });
    assert.equal(calendars.status, 200, calendars.text);
  }
}

// --- the properties -------------------------------------------------------------------------------

const RAW_CASES = [
  'GE T /session HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'POST /session\u0000 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'POST /session HTTP/1.1\r\nHost: x\r\nOrigin: http://app.test:3000\rX: y\r\nConnection: close\r\n\r\n',
  'POST /session HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
  'POST /session HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 7\r\n\r\n{}',
  'POST /session HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
  'POST /session HTTP/1.1\r\nHost: x\r\nOrigin: http://app.test:3000\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n',
  'GET /google/start HTTP/9.9\r\nHost: x\r\n\r\n',
  'GET /google/start\r\n\r\n',
  'GET http://evil.test/session HTTP/1.1\r\nHost: evil.test\r\nConnection: close\r\n\r\n',
  'OPTIONS * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  'GET /google/start HTTP/1.1\r\nHost: evil.test/x?y\r\nReferer: http://app.test:3000/\r\nConnection: close\r\n\r\n',
  `GET /session HTTP/1.1\r\nHost: x\r\n${'X-Pad: y\r\n'.repeat(3000)}Connection: close\r\n\r\n`,
  `GET /${'a'.repeat(40_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
  'CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n',
];

for (const mode of ['direct', 'relay'] as const) {
  describe(`hostile requests (${mode} mode)`, () => {
    let setup: Setup;
    before(async () => {
      setup = await setUp(mode);
    });
    after(() => setup.rig.close());

    it('random methods, paths, headers, query strings and bodies get documented answers', async () => {
      const tally: Tally = new Map();
      await fc.assert(
        fc.asyncProperty(target, query, headers, body, async (t, q, h, b) => {
          const { method, path } = pathOf(setup, t);
          const sent = headersOf(setup, h, path);
          const fullPath = `${path}${queryOf(q)}`;
          const response = await rawRequest(setup.origin, { method, path: fullPath, headers: sent, body: bodyOf(b) });
          const auth = h.authorization;
          const relayToken = auth !== undefined && (('relay' in auth && auth.relay === 'valid') || ('right' in auth && path.includes('/api/v2')));
          checkAnswer(setup, response, { method, path, relayToken }, tally);
        }),
        { seed: mode === 'direct' ? 20261121 : 20261122, numRuns: 250, endOnFailure: true, includeErrorInReport: true },
      );
      // The generators reach past each check: successes as well as every kind of refusal.
      const reached = ['200', 'json invalid', 'json method-not-allowed', 'json not-found', 'json origin-not-allowed', 'json payload-too-large', 'json unauthenticated', 'node 431'];
      if (mode === 'relay') reached.push('json not-allowed');
      for (const kind of reached) assert.ok(tally.has(kind), `reached ${kind}: ${JSON.stringify([...tally])}`);
      await stillServes(setup);
    });

    it('the connect callback, with fresh, forged, expired and replayed nonces and random fields, answers a documented page or error', async () => {
      const used = await freshNonce(setup);
      await rawRequest(setup.origin, { method: 'GET', path: `${BASE_PATH}/google/callback/${used.nonce}?error=access_denied`, headers: { cookie: used.cookie } });
      const record = setup.rig.store.records.get('ana') as { resourceId: string };
      let minted = 0;
      const nonceClaims = (e: number) => ({ n: `n-${++minted}`, u: 'mallory', o: PAGE, r: null, s: null, b: setup.origin, e });
      const nonce = fc.oneof(
        { weight: 4, arbitrary: fc.constant('fresh') },
        { weight: 2, arbitrary: fc.constant('fresh-elsewhere') },
        fc.constant('used'),
        fc.constantFrom( 'wrong-key', 'expired', 'relay-as-nonce', 'mistyped', 'other-origin', 'non-canonical', 'missing'),
        printable,
      );
      const field = fc.oneof(fc.constant(undefined), queryValue);
      // A real resource's email with a made-up token: the callback must not trust more than it can check.
      const email = fc.oneof({ weight: 2, arbitrary: fc.constant(`ana-${mode}@example.com`) }, field);
      const error = fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, field);
      // Now and then the resource's real token, so that some callbacks are genuine and succeed.
      const token = fc.oneof(fc.constant({ real: true as const }), field);
      const tally: Tally = new Map();
      await fc.assert(
        fc.asyncProperty(nonce, email, token, error, fc.boolean(), async (kind, email, token, error, asText) => {
          let segment: string | null;
          let cookie: string | undefined;
          if (kind === 'fresh' || kind === 'fresh-elsewhere') {
            const started = await freshNonce(setup);
            segment = started.nonce;
            // Finished in the browser that started, or in one with only the user's login (no binding cookie).
            cookie = kind === 'fresh' ? started.cookie : `${JWT_COOKIE}=${jwtOf('valid', 'mallory')}`;
          } else if (kind === 'used') [segment, cookie] = [used.nonce, used.cookie];
          else if (kind === 'wrong-key') segment = wrongSigner.sign('nonce', nonceClaims(Date.now() + 60_000));
          else if (kind === 'expired') segment = signer.sign('nonce', nonceClaims(Date.now() - 1));
          else if (kind === 'relay-as-nonce') segment = signer.sign('relay', { u: 'ana', r: record.resourceId, o: PAGE, e: Date.now() + 60_000 });
          else if (kind === 'mistyped') segment = signer.sign('nonce', { n: 1, u: ['ana'], o: PAGE, r: 7, s: 5, b: {}, e: 'later' });
          else if (kind === 'other-origin') segment = signer.sign('nonce', { ...nonceClaims(Date.now() + 60_000), o: OTHER_PAGE });
          else if (kind === 'non-canonical') segment = `${signer.sign('nonce', nonceClaims(Date.now() + 60_000))}~`;
          else if (kind === 'missing') segment = null;
          else segment = encodeURIComponent(kind);
          const pairs: Array<[string, string]> = [];
          if (email !== undefined) pairs.push(['email', valueOf(email)]);
          if (token !== undefined) pairs.push(['token', typeof token === 'object' && 'real' in token ? setup.token : valueOf(token)]);
          if (error !== undefined) pairs.push(['error', valueOf(error)]);
          // As Timekit may append them: as text, nothing encoded but what a URL cannot carry.
          const encode = asText ? (v: string) => v.replace(/[^\w.@+~-]/g, encodeURIComponent) : encodeURIComponent;
          const query = pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${k}=${encode(v)}`).join('&')}`;
          const path = `${BASE_PATH}/google/callback${segment === null ? '' : `/${segment}`}`;
          const response = await rawRequest(setup.origin, { method: 'GET', path: `${path}${query}`, headers: cookie === undefined ? {} : { cookie } });
          checkAnswer(setup, response, { method: 'GET', path, relayToken: false }, tally);
          const location = String(response.headers.location);
          if (response.status === 303 && location.startsWith('../done/')) {
            const donePath = new URL(location, `${setup.origin}${path}`).pathname;
            checkAnswer(setup, await rawRequest(setup.origin, { method: 'GET', path: donePath, headers: {} }), { method: 'GET', path: donePath, relayToken: false }, tally);
          }
        }),
        { seed: mode === 'direct' ? 20261123 : 20261124, numRuns: 150, endOnFailure: true, includeErrorInReport: true },
      );
      for (const kind of ['200', 'to result page', 'html consent-denied', 'html connect-elsewhere', 'html invalid', 'html nonce-expired', 'html nonce-used', 'json nonce-invalid']) {
        assert.ok(tally.has(kind), `reached ${kind}: ${JSON.stringify([...tally])}`);
      }
      // Only a token Timekit accepted was stored, and only for the user who started the connect.
      const stored = setup.rig.store.records.get('mallory') as { token: string } | undefined;
      assert.equal(stored?.token, setup.token);
      assert.equal((setup.rig.store.records.get('ana') as { resourceId: string }).resourceId, record.resourceId);
      await stillServes(setup);
    });

    it('malformed bytes on the socket get a 4xx or a closed connection, never a 5xx or a hang', async () => {
      for (const bytes of RAW_CASES) {
        const response = await rawSocket(setup.origin, bytes);
        const what = JSON.stringify(bytes.slice(0, 120));
        assert.ok(response.status === 0 || (response.status >= 200 && response.status < 500), `${what} → ${response.text.slice(0, 200)}`);
        for (const secret of setup.secrets) assert.ok(!response.text.includes(secret), what);
      }
      await stillServes(setup);
    });

    it('a client that hangs up in the middle of a body is its own mistake, not an internal error', async () => {
      const refused = () => setup.rig.logs.filter((line) => line.startsWith(`POST ${BASE_PATH}/session 400`)).length;
      const before = refused();
      const head = `POST ${BASE_PATH}/session HTTP/1.1\r\nHost: x\r\nOrigin: ${PAGE}\r\nContent-Type: application/json\r\n`;
      for (const framing of ['Content-Length: 100\r\n\r\n{"a":', 'Transfer-Encoding: chunked\r\n\r\n5\r\n{"a":\r\n']) {
        const socket = connectSocket(Number(new URL(setup.origin).port), '127.0.0.1');
        await new Promise<void>((resolve) => socket.write(`${head}${framing}`, () => resolve()));
        // Let the companion start reading the body before the client disappears.
        await new Promise((resolve) => setTimeout(resolve, 50));
        socket.destroy();
      }
      for (let waited = 0; refused() < before + 2 && waited < 2_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
      assert.equal(refused(), before + 2, setup.rig.logs.slice(-4).join('\n'));
      await stillServes(setup);
    });
  });
}

