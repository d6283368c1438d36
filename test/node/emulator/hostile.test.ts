/**
 * Hostile input, property-based (fast-check, fixed seeds): random and malformed methods, paths,
 * headers, query strings and bodies, and every field of every route given a wrong type. Every
 * answer must be a documented 4xx with a JSON error (or a success, for a request that happens to be
 * valid); never a 500, never a hang; and the emulator must still serve a normal request afterwards.
 *
 * Requests go through `node:http` (which sends any method token, bodies on GET, odd paths) and,
 * for what even `node:http` refuses to build, straight to a socket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Emulator } from '../../../src/emulator/index.js';
import {
  ALEX,
  api,
  appAuth,
  MONDAY_NOON,
  rawRequest,
  rawSocket,
  start,
  syncedIdentity,
  userAuth,
  widgetCredential,
  type RawResponse,
} from './helpers.js';

/** The statuses docs/emulator.md documents for refusals (431: a request head over node's 16 KiB). */
const DOCUMENTED = new Set([400, 401, 403, 404, 405, 413, 415, 422, 431]);

let emulator: Emulator;
/** The callers random requests choose from. They act as Jordan, so whatever a random request that
 *  happens to be valid deletes or changes never touches Alex, whom the typed cases rely on. */
let auths: Record<string, Record<string, string>>;
/** Real ids of Jordan's, for the random paths to hit existing objects. */
let ids: string[];
let app: Record<string, string>;
let alex: Record<string, string>;
let alexId: string;
let bookingsCalendar: string;
const internalErrors: unknown[][] = [];
const consoleError = console.error;

before(async () => {
  emulator = await start({ now: () => MONDAY_NOON });
  app = appAuth(emulator.appKey);
  const alexLogin = await syncedIdentity(emulator, ALEX);
  alex = alexLogin.auth;
  alexId = (await api(emulator, `/resources?search=email:${ALEX}`, { auth: app })).body.data[0].id;
  bookingsCalendar = alexLogin.byName.get('Bookings').id;

  const jordan = await syncedIdentity(emulator, 'jordan.reed@example.com');
  const widget = await widgetCredential(emulator, jordan.auth, { referrer: '*' });
  const jordanId = (await api(emulator, `/resources?search=email:${jordan.email}`, { auth: app })).body.data[0].id;
  ids = [jordanId, widget.id, ...jordan.calendars.map((c) => c.id as string)];
  auths = {
    none: {},
    app,
    test: appAuth(emulator.testAppKey),
    resource: jordan.auth,
    widget: userAuth(jordan.email, widget.token),
  };
  // The emulator logs what it answers with 500; any such line fails the run.
  console.error = (...args: unknown[]) => void internalErrors.push(args);
});
after(async () => {
  console.error = consoleError;
  await emulator.close();
});

/** A documented answer: success or redirect, or a listed 4xx whose JSON body is Timekit-shaped. */
function checkAnswer(response: RawResponse, method: string, what: string) {
  const context = `${what} → ${response.status} ${response.text.slice(0, 300)}`;
  assert.ok(response.status >= 200 && response.status < 500, `not a documented answer: ${context}`);
  if (response.status < 400) return;
  assert.ok(DOCUMENTED.has(response.status), `undocumented status: ${context}`);
  if (method === 'HEAD') return;
  assert.match(String(response.headers['content-type']), /^application\/json/, context);
  const body = JSON.parse(response.text) as { error?: unknown; errors?: unknown; model?: unknown };
  if (body.errors !== undefined) {
    assert.equal(response.status, 422, context);
    assert.ok(typeof body.errors === 'object' && body.errors !== null && !Array.isArray(body.errors), context);
    for (const messages of Object.values(body.errors)) {
      assert.ok(Array.isArray(messages) && messages.every((m) => typeof m === 'string'), context);
    }
  } else {
    assert.equal(typeof body.error, 'string', context);
    if (body.model !== undefined) assert.equal(typeof body.model, 'string', context);
  }
}

// --- generators -------------------------------------------------------------------------------

const SEGMENTS = ['resources', 'calendars', 'credentials', 'accounts', 'sync', 'google', 'microsoft', 'signup', 'findtime', 'availability', 'bookings', 'auth'];
const segment = fc.oneof(
  fc.constantFrom(...SEGMENTS),
  fc.constantFrom('..', '.', '', '%00', '%2e%2e', '%2F', '%', '%zz', '%c0%af', '~', '*', ';x=1', 'v2', 'v1'),
  fc.uuid().map(String),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 8 }).map(encodeURIComponent),
  // A number n stands for n × "a", so a failing case prints short.
  fc.integer({ min: 1, max: 12_000 }),
);
/** Every route of the emulator; `:id` becomes a real id, a random UUID or a random segment. */
const ROUTE_TEMPLATES = [
  'GET /v2/resources',
  'POST /v2/resources',
  'GET /v2/resources/:id',
  'POST /v2/auth',
  'GET /v2/accounts/google/signup',
  'GET /v2/accounts/sync',
  'POST /v2/accounts/sync',
  'GET /v2/accounts',
  'GET /v2/calendars',
  'POST /v2/calendars',
  'GET /v2/calendars/:id',
  'PUT /v2/calendars/:id',
  'DELETE /v2/calendars/:id',
  'GET /v2/credentials',
  'POST /v2/credentials',
  'DELETE /v2/credentials/:id',
  'POST /v2/findtime',
  'POST /v2/availability',
  'GET /v2/bookings',
  'POST /v2/bookings',
  'GET /v2/bookings/:id',
  'GET /_google/consent',
  'POST /_google/consent',
  'GET /v2/accounts/microsoft/signup',
  'POST /v2/accounts/microsoft/sync',
  'GET /_microsoft/consent',
  'POST /_microsoft/consent',
  'GET /_emulator',
  'GET /_emulator/requests',
];
const anyMethod = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'LOCK', 'SEARCH', 'PURGE', 'REPORT', 'LINK');
/** A real id by index into `ids` (known only once the emulator runs), or a random segment. */
const id = fc.oneof(fc.nat({ max: 20 }).map((index) => ({ index })), segment);
/** Mostly a real route with its own method (now and then another), else any method on any path. */
const target = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      route: fc.constantFrom(...ROUTE_TEMPLATES),
      id,
      slash: fc.boolean(),
      otherMethod: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: anyMethod }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: anyMethod,
      prefix: fc.constantFrom('/v2', '/v1', '', '/_google/consent', '/_microsoft/consent', '/_emulator'),
      parts: fc.array(segment, { maxLength: 4 }),
      slash: fc.boolean(),
    }),
  },
);
type Target = typeof target extends fc.Arbitrary<infer T> ? T : never;
const part = (value: string | number | { index: number }) =>
  typeof value === 'number' ? 'a'.repeat(value) : typeof value === 'string' ? value : ids[value.index % ids.length]!;
function targetOf(choice: Target): { method: string; path: string } {
  if ('route' in choice) {
    const [method, template] = choice.route.split(' ') as [string, string];
    const path = template.replace(':id', part(choice.id));
    return { method: choice.otherMethod ?? method, path: choice.slash ? `${path}/` : path };
  }
  const path = `${choice.prefix}/${choice.parts.map(part).join('/')}`.replace(/^\/\//, '/');
  return { method: choice.method, path: choice.slash ? `${path}/` : path };
}

const queryValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer({ min: -5, max: 5000 }).map(String),
  fc.constantFrom('calendars', 'credentials,calendars', 'event', 'email:x', 'constructor:x', 'tk-demo', 'http://localhost/cb', 'javascript:alert(1)'),
);
const query = fc
  .array(
    fc.tuple(fc.oneof(fc.constantFrom('limit', 'page', 'include', 'search', 'Timekit-App', 'callback', 'app'), fc.string({ maxLength: 8 })), queryValue, fc.boolean()),
    { maxLength: 4 },
  )
  .map((pairs) =>
    pairs.length === 0
      ? ''
      : `?${pairs.map(([k, v, raw]) => (raw ? `${k}=${v}`.replace(/[^\u0021-\u00ff]/g, '_') : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)).join('&')}`,
  );

const printable = fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\u0020-\u007e]/g, ''));
const authorization = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('none', 'app', 'test', 'resource', 'widget').map((kind) => ({ kind })) },
  printable.map((value) => ({ kind: 'garbage', value })),
  printable.map((value) => ({ kind: 'garbage', value: `Basic ${Buffer.from(value).toString('base64')}` })),
  printable.map((value) => ({ kind: 'garbage', value: `Basic ${value}` })),
);
/** Random extra headers; never the fault header (a `timeout` fault hangs by design). */
const headerName = fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).filter(
  (name) => !['tk-emulator-fault', 'content-length', 'transfer-encoding', 'host', 'connection', 'upgrade'].includes(name),
);
const headers = fc.record({
  authorization,
  app: fc.oneof(fc.constant(undefined), fc.constant('tk-demo'), printable),
  contentType: fc.constantFrom(undefined, 'application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', '*/*'),
  origin: fc.oneof(fc.constant(undefined), fc.constant('null'), printable),
  extra: fc.dictionary(headerName, printable, { maxKeys: 3 }),
});

type HeaderChoice = typeof headers extends fc.Arbitrary<infer T> ? T : never;

/** Field names the routes know, so random objects reach validation rather than only "unknown field". */
const FIELDS = ['name', 'timezone', 'email', 'password', 'resource_id', 'type', 'scopes', 'referrer', 'expires', 'provider_sync',
  'primary', 'calendar_ids', 'future', 'length', 'start', 'end', 'filters', 'resources', 'graph', 'what', 'customer', 'calendar_id'];
const jsonText = fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value));
const body = fc.oneof(
  fc.constant(undefined),
  {
    weight: 2,
    arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }).map((o) => JSON.stringify(o)),
  },
  jsonText,
  fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }).map((o) => JSON.stringify(o)),
  fc.string({ maxLength: 100 }),
  fc.constantFrom('{', '{"name":', '[1,2', 'null', '"x"', '{"__proto__": {"admin": true}}', '{"constructor": {"prototype": {}}}', '\u0000', '\ufeff{}'),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
);


function send(request: { method: string; path: string; query: string; headers: HeaderChoice; body?: string | Buffer }) {
  const { authorization: auth, app, contentType, origin, extra } = request.headers;
  const sent: Record<string, string> = { ...extra };
  if (auth.kind === 'garbage') sent.authorization = auth.value;
  else Object.assign(sent, auths[auth.kind]);
  if (app !== undefined) sent['timekit-app'] = app;
  if (contentType !== undefined) sent['content-type'] = contentType;
  if (origin !== undefined) sent.origin = origin;
  return rawRequest(emulator, { method: request.method, path: `${request.path}${request.query}`, headers: sent, body: request.body });
}

// --- wrong types for each field of each route ----------------------------------------------------

type Kind = 'string' | 'nullable-string' | 'boolean' | 'strings' | 'object' | 'string-or-strings';

interface RouteSpec {
  method: string;
  path: () => string;
  auth: () => Record<string, string>;
  base: () => Record<string, unknown>;
  fields: Record<string, Kind>;
}

const ROUTES: RouteSpec[] = [
  {
    method: 'POST',
    path: () => '/resources',
    auth: () => app,
    base: () => ({ name: 'Hostile', timezone: 'UTC' }),
    fields: {
      name: 'string',
      timezone: 'string',
      email: 'string',
      first_name: 'string',
      last_name: 'string',
      password: 'string',
      image: 'string',
      meta: 'object',
      tags: 'strings',
    },
  },
  {
    method: 'POST',
    path: () => '/auth',
    auth: () => ({ 'timekit-app': emulator.app }),
    base: () => ({ email: ALEX, password: 'secret' }),
    fields: { email: 'string', password: 'string' },
  },
  {
    method: 'POST',
    path: () => '/calendars',
    auth: () => alex,
    base: () => ({ name: 'Hostile' }),
    fields: { name: 'string', description: 'nullable-string', foregroundcolor: 'nullable-string', backgroundcolor: 'nullable-string' },
  },
  {
    method: 'PUT',
    path: () => `/calendars/${bookingsCalendar}`,
    auth: () => alex,
    base: () => ({}),
    fields: {
      name: 'string',
      description: 'nullable-string',
      foregroundcolor: 'nullable-string',
      backgroundcolor: 'nullable-string',
      provider_sync: 'boolean',
      primary: 'boolean',
    },
  },
  {
    method: 'POST',
    path: () => '/credentials',
    auth: () => alex,
    base: () => ({ type: 'client-token', scopes: 'widget' }),
    fields: { type: 'string', scopes: 'string-or-strings', description: 'string', referrer: 'string-or-strings', expires: 'string' },
  },
  {
    method: 'POST',
    path: () => '/findtime',
    auth: () => alex,
    base: () => ({ future: '1 day' }),
    fields: {
      calendar_ids: 'strings',
      emails: 'strings',
      resource_ids: 'strings',
      user_ids: 'strings',
      future: 'string',
      length: 'string',
      start: 'string',
      buffer: 'string',
      sort: 'string',
      all_solutions: 'boolean',
      ignore_all_day_events: 'boolean',
      no_day_span: 'boolean',
      filters: 'object',
    },
  },
  {
    method: 'POST',
    path: () => '/availability',
    auth: () => app,
    base: () => ({ resources: [alexId] }),
    fields: {
      mode: 'string',
      resources: 'strings',
      length: 'string',
      from: 'string',
      to: 'string',
      buffer: 'string',
      timeslot_increments: 'string',
      output_timezone: 'string',
    },
  },
  {
    method: 'POST',
    path: () => '/bookings',
    auth: () => alex,
    base: () => ({
      graph: 'instant',
      start: '2026-06-03T18:00:00+00:00',
      end: '2026-06-03T19:00:00+00:00',
      what: 'Hostile',
      customer: { name: 'Pat', email: 'pat@example.com' },
    }),
    fields: {
      graph: 'string',
      action: 'string',
      start: 'string',
      end: 'string',
      what: 'string',
      where: 'string',
      description: 'string',
      calendar_id: 'string',
      resource_id: 'string',
      customer: 'object',
      'customer.name': 'string',
      'customer.email': 'string',
      'customer.timezone': 'string',
      'customer.phone': 'string',
      meta: 'object',
      settings: 'object',
      'settings.allow_double_bookings': 'boolean',
    },
  },
];

const wrong = {
  string: fc.string({ maxLength: 10 }),
  number: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  boolean: fc.boolean(),
  null: fc.constant(null),
  array: fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  numbers: fc.array(fc.integer(), { minLength: 1, maxLength: 3 }),
  object: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
};
const WRONG: Record<Kind, Array<fc.Arbitrary<unknown>>> = {
  string: [wrong.number, wrong.boolean, wrong.null, wrong.array, wrong.object],
  'nullable-string': [wrong.number, wrong.boolean, wrong.array, wrong.object],
  boolean: [wrong.string, wrong.number, wrong.null, wrong.array, wrong.object],
  strings: [wrong.string, wrong.number, wrong.boolean, wrong.null, wrong.object, wrong.numbers],
  object: [wrong.string, wrong.number, wrong.boolean, wrong.null, wrong.array],
  'string-or-strings': [wrong.number, wrong.boolean, wrong.null, wrong.object, wrong.numbers],
};

const mistyped = fc
  .constantFrom(...ROUTES.flatMap((route) => Object.entries(route.fields).map(([field, kind]) => ({ route, field, kind }))))
  .chain(({ route, field, kind }) => fc.oneof(...WRONG[kind]).map((value) => ({ route, field, value })));

// --- malformed bytes on the socket ---------------------------------------------------------------

const token = fc.stringMatching(/^[A-Z][A-Z0-9_-]{0,10}$/);
/** Raw requests as short descriptions (a failing case prints short), built into bytes by `rawText`. */
const rawCase = fc.oneof(
  token.map((method) => ({ method })),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((s) => ({ unicodePath: s.replace(/\s/g, '') })),
  fc.string({ unit: 'binary', maxLength: 40 }).map((line) => ({ line })),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 20 }).map((value) => ({ controlHeader: value })),
  fc.integer({ min: 17_000, max: 40_000 }).map((hugePath) => ({ hugePath })),
  fc.integer({ min: 1_500, max: 3_000 }).map((headerCount) => ({ headerCount })),
  fc
    .constantFrom(
      'POST /v2/resources HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      'POST /v2/resources HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n{}',
      'POST /v2/resources HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      'POST /v2/resources HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
      'GET /v2/calendars HTTP/1.1\r\nConnection: close\r\n\r\n',
      'GET /v2/calendars HTTP/9.9\r\nHost: x\r\n\r\n',
      'GET /v2/calendars\r\n\r\n',
      'CONNECT 127.0.0.1:80 HTTP/1.1\r\nHost: 127.0.0.1:80\r\n\r\n',
      'GET /v2/calendars HTTP/1.1\r\nHost: x\r\nExpect: tea\r\nConnection: close\r\n\r\n',
      'GET http://evil.example/v2/calendars HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n',
      'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET /v2/calendars HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade, close\r\n\r\n',
      'GET /v2/calendars HTTP/1.1\r\nHost: x\r\nAuthorization: Basic \u00ff\u00fe\r\nConnection: close\r\n\r\n',
      '\r\n\r\n',
    )
    .map((verbatim) => ({ verbatim })),
);

type RawCase = typeof rawCase extends fc.Arbitrary<infer T> ? T : never;

function rawText(raw: RawCase): string {
  const ok = 'Host: x\r\nConnection: close\r\n\r\n';
  if ('method' in raw) return `${raw.method} /v2/calendars HTTP/1.1\r\n${ok}`;
  if ('unicodePath' in raw) return `GET /v2/${raw.unicodePath} HTTP/1.1\r\n${ok}`;
  if ('line' in raw) return `${raw.line}\r\n\r\n`;
  if ('controlHeader' in raw) return `GET /v2/calendars HTTP/1.1\r\nX-Bad: \u0001${raw.controlHeader}\u007f\r\n${ok}`;
  if ('hugePath' in raw) return `GET /v2/${'a'.repeat(Number(raw.hugePath))} HTTP/1.1\r\n${ok}`;
  if ('headerCount' in raw) return `GET /v2/calendars HTTP/1.1\r\n${'X-Pad: y\r\n'.repeat(Number(raw.headerCount))}${ok}`;
  return String(raw.verbatim);
}

// --- the properties --------------------------------------------------------------------------------

describe('hostile requests', () => {
  it('random methods, paths, headers, query strings and bodies get documented answers', async () => {
    await fc.assert(
      fc.asyncProperty(target, query, headers, body, async (t, q, h, b) => {
        const { method, path } = targetOf(t);
        const response = await send({ method, path, query: q, headers: h, body: b });
        checkAnswer(response, method, `${method} ${path.slice(0, 200)}${q}`);
      }),
      { seed: 20260601, numRuns: 220, endOnFailure: true, includeErrorInReport: true },
    );
  });

  it('every field of every route given a wrong type gets a 422 naming that field', async () => {
    await fc.assert(
      fc.asyncProperty(mistyped, async ({ route, field, value }) => {
        const body = route.base();
        const [outer, inner] = field.split('.') as [string, string | undefined];
        if (inner === undefined) body[outer] = value;
        else body[outer] = { ...((body[outer] as object | undefined) ?? {}), [inner]: value };
        const response = await api(emulator, route.path(), { method: route.method, auth: route.auth(), body });
        const context = `${route.method} ${route.path()} ${JSON.stringify(body)} → ${response.status} ${response.text}`;
        assert.equal(response.status, 422, context);
        const named = Object.keys(response.body.errors).some((key) => key === field || key.startsWith(`${field}.`));
        assert.ok(named, context);
      }),
      { seed: 20260602, numRuns: 180, endOnFailure: true, includeErrorInReport: true },
    );
  });

  it('malformed bytes on the socket get a JSON 4xx, never silence', async () => {
    await fc.assert(
      fc.asyncProperty(rawCase, async (raw) => {
        const text = rawText(raw);
        const response = await rawSocket(emulator, text);
        const context = JSON.stringify(text.slice(0, 120));
        // Blank lines before a request line are allowed and carry no request: the connection just closes.
        if (text.trim() === '') return assert.equal(response.status, 0, context);
        assert.ok(response.status > 0, `no HTTP answer to ${context}`);
        checkAnswer(response, 'GET', context);
      }),
      { seed: 20260603, numRuns: 80, endOnFailure: true, includeErrorInReport: true },
    );
  });

  it("refuses bodies nested too deep (400), or past Timekit's 64,000 characters (413), before storing them", async () => {
    for (const depth of [40, 10_000, 200_000]) {
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const bodies: Array<[string, string]> = [
        ['/resources', `{"name": "Deep", "timezone": "UTC", "meta": {"a": ${deep}}}`],
        ['/bookings', `{"graph": "instant", "customer": {"name": ${deep}}}`],
        ['/findtime', `{"filters": {"and": ${deep}}}`],
        ['/calendars', deep],
      ];
      for (const [path, text] of bodies) {
        const response = await api(emulator, path, { auth: path === '/resources' ? app : alex, body: text });
        assert.equal(response.status, text.length > 64_000 ? 413 : 400, `${path} at depth ${depth}: ${response.text}`);
        assert.equal(typeof response.body.error, 'string');
      }
    }
    const nested = JSON.parse(`{"a": ${'{"b": '.repeat(20)}1${'}'.repeat(20)}}`);
    const fine = await api(emulator, '/resources', { auth: app, body: { name: 'Nested meta', timezone: 'UTC', meta: nested } });
    assert.equal(fine.status, 201, fine.text);
    assert.deepEqual(fine.body.data.meta, nested);
    assert.equal((await api(emulator, '/resources?limit=1000', { auth: app })).status, 200);
  });

  it('left the emulator serving, with no internal error logged', async () => {
    const response = await api(emulator, '/calendars', { auth: alex });
    assert.equal(response.status, 200);
    assert.ok(response.body.data.length > 0);
    const created = await api(emulator, '/resources', { auth: app, body: { name: 'Still here', timezone: 'UTC' } });
    assert.equal(created.status, 201);
    assert.deepEqual(internalErrors, []);
  });
});
