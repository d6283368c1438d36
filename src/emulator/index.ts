/**
 * A local, faithful emulator of the Timekit API subset in shared/TIMEKIT-API.md, with a fake
 * Google consent screen, fault injection and a small control API for tests (`/_emulator/*`).
 *
 *   const emulator = await startEmulator({ port: 0 });
 *   fetch(`${emulator.url}/calendars`, { headers: { authorization: … } });
 *   await emulator.close();
 */
import { randomUUID } from 'node:crypto';
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { authenticate, type Caller } from './auth.js';
import { faultBody, Faults, parseFaultHeader, validateFaultRule, type FaultRule } from './faults.js';
import { resolveFidelity, type FidelityProfile, type FidelitySwitches } from './fidelity.js';
import { callbackWith, consentPage, signInWithGoogle } from './google.js';
import { HttpError, invalid, notFound, readFormBody, readJsonBody, Router, type Reply } from './http.js';
import { accountRoutes, checkCallback } from './routes/accounts.js';
import { calendarRoutes } from './routes/calendars.js';
import type { Ctx, Route } from './routes/common.js';
import { credentialRoutes } from './routes/credentials.js';
import { resourceRoutes } from './routes/resources.js';
import { schedulingRoutes } from './routes/scheduling.js';
import { ConsentTokens, isLoopbackHost, isLoopbackOrigin, normaliseOrigin, randomSecret, sameSecret } from './secrets.js';
import { DEFAULT_APP, findIdentity, GOOGLE_IDENTITIES, type SeedApp } from './seed.js';
import { EmulatorState } from './state.js';
import { parseDuration } from './time.js';

export { GOOGLE_IDENTITIES, DEFAULT_APP } from './seed.js';
export type { FaultRule } from './faults.js';
export {
  FIDELITY_PROFILES,
  FIDELITY_SWITCH_HELP,
  FIDELITY_SWITCHES,
  resolveFidelity,
  type FidelityProfile,
  type FidelitySwitches,
} from './fidelity.js';

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Override the seeded app's slug and keys. Without keys, each run makes random ones (a state file keeps them). */
  app?: Partial<SeedApp>;
  /** Which side of the doubts about Timekit to play (docs/emulator.md): `evidence` (default) or `optimistic`. */
  profile?: FidelityProfile;
  /** Single switches over the profile's. */
  switches?: Partial<FidelitySwitches>;
  /** Origins whose pages may read the answers (CORS); default: every loopback origin, any port. */
  corsOrigins?: string[];
  /** Origins a signup callback may point at, besides loopback ones. */
  callbackOrigins?: string[];
  /** Serve the control API (`/_emulator/*`); default true. Every call must carry `Authorization: Bearer <controlToken>`. */
  control?: boolean;
  /** The control API's token; default random per run. */
  controlToken?: string;
  /** Where warnings go (listening off loopback); default `console.warn`. */
  warn?: (message: string) => void;
  /**
   * `standard` (default): the widget allow-list; `strict`: calendar reads, findtime and bookings
   * only. The `widgetOnlyScope` switch narrows either to the booking.js endpoints.
   */
  widgetScope?: 'standard' | 'strict';
  /** Faults active from the start, as `POST /_emulator/faults` takes them. */
  faults?: FaultRule[];
  /** Milliseconds added to every API answer. */
  latencyMs?: number;
  /** Save the data to this JSON file and load it at start, so a demo survives a restart. */
  stateFile?: string;
  /** The clock (tests pin it). `POST /_emulator/clock` moves it forward. */
  now?: () => Date;
  /** Called with one line per API request: method, path (never the query), status, milliseconds. */
  log?: (line: string) => void;
}

export interface RecordedRequest {
  method: string;
  /** Path under `/v2`, without the query string. */
  path: string;
  status: number;
  origin: string | null;
}

export interface Emulator {
  /** The API base, e.g. `http://127.0.0.1:4010/v2`. */
  url: string;
  /** `http://127.0.0.1:4010`: where the fake Google pages and `/_emulator` live. */
  origin: string;
  app: string;
  appKey: string;
  testAppKey: string;
  profile: FidelityProfile;
  /** The resolved switches: the profile's, with `switches` applied. */
  fidelity: FidelitySwitches;
  /** Send as `Authorization: Bearer <controlToken>` to `/_emulator/*`; null when the control API is off. */
  controlToken: string | null;
  /** The `node:http` request handler, to mount the emulator inside another server. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  state: EmulatorState;
  faults: Faults;
  /** Every API request so far, oldest first (tests count calls with it). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const CORS_HEADERS = [
  'Authorization',
  'Content-Type',
  'Timekit-App',
  'Timekit-Context',
  'Timekit-InputTimestampFormat',
  'Timekit-OutputTimestampFormat',
  'Timekit-Timezone',
  'Tk-Emulator-Fault',
].join(', ');
const EXPOSED_HEADERS = 'Timekit-TestMode, Timekit-Request-Id, X-RateLimit-Remaining, Retry-After';
/** Audit #13: the one captured live answer exposes only this. */
const EXPOSED_HEADERS_EVIDENCE = 'Timekit-TestMode';
const RATE_LIMIT_PER_MINUTE = 600;
const MAX_RECORDED_REQUESTS = 10_000;

const ROUTES: Route[] = [...resourceRoutes, ...calendarRoutes, ...accountRoutes, ...credentialRoutes, ...schedulingRoutes];
const router = new Router(ROUTES);

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the emulator's request handler and state without listening (see `startEmulator`). */
export function createEmulator(options: EmulatorOptions = {}) {
  const profile = options.profile ?? 'evidence';
  const fidelity = resolveFidelity(profile, options.switches);
  const corsOrigins = options.corsOrigins?.map((origin) => normaliseOrigin(origin, 'A CORS origin'));
  const callbackOrigins = (options.callbackOrigins ?? []).map((origin) => normaliseOrigin(origin, 'A callback origin'));
  const controlToken = options.control === false ? null : (options.controlToken ?? randomSecret());
  const consentTokens = new ConsentTokens();
  let clockOffset = 0;
  const now = () => new Date((options.now?.() ?? new Date()).getTime() + clockOffset);
  const state = new EmulatorState(now, options.stateFile);
  // Random keys per run, so a page on another site cannot guess them; a state file keeps them.
  const app: SeedApp = {
    slug: options.app?.slug ?? DEFAULT_APP.slug,
    name: options.app?.name ?? DEFAULT_APP.name,
    appKey: options.app?.appKey ?? state.keys?.appKey ?? `live_api_key_${randomSecret()}`,
    testAppKey: options.app?.testAppKey ?? state.keys?.testAppKey ?? `test_api_key_${randomSecret()}`,
  };
  state.keys = { appKey: app.appKey, testAppKey: app.testAppKey };
  const faults = new Faults();
  for (const rule of options.faults ?? []) faults.add(rule);
  const requests: RecordedRequest[] = [];
  let rateWindow = { minute: 0, used: 0 };

  function send(res: ServerResponse, reply: Reply, extra: Record<string, string> = {}) {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string> = { ...extra, ...reply.headers };
    let payload: string | undefined;
    if (typeof reply.body === 'string') {
      payload = reply.body;
      headers['content-type'] ??= 'text/html; charset=utf-8';
    } else if (reply.body !== undefined) {
      payload = JSON.stringify(reply.body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  /** Only pages of the listed origins (by default this machine's) may read what the emulator answers. */
  function corsHeaders(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && (corsOrigins ? corsOrigins.includes(origin) : isLoopbackOrigin(origin));
    if (!allowed) return { vary: 'Origin' };
    const exposed = fidelity.retryAfterHidden ? EXPOSED_HEADERS_EVIDENCE : EXPOSED_HEADERS;
    return { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': exposed };
  }

  /** The origin as the client addressed it (the Host header), so links work through any mount. */
  function originOf(req: IncomingMessage): string {
    const host = req.headers.host;
    const safeHost = host && /^[A-Za-z0-9.\-:[\]]+$/.test(host) ? host : '127.0.0.1';
    return `http://${safeHost}`;
  }

  function rateLimitRemaining(): number {
    const minute = Math.floor(Date.now() / 60_000);
    if (rateWindow.minute !== minute) rateWindow = { minute, used: 0 };
    rateWindow.used++;
    return Math.max(0, RATE_LIMIT_PER_MINUTE - rateWindow.used);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    const method = req.method ?? 'GET';
    const started = Date.now();
    const apiPath = path.slice('/v2'.length) || '/';
    const headers: Record<string, string> = {
      ...corsHeaders(req),
      'cache-control': 'no-cache',
      'timekit-request-id': randomUUID(),
      'x-ratelimit-remaining': String(rateLimitRemaining()),
    };
    const record: RecordedRequest = { method, path: apiPath, status: 0, origin: req.headers.origin ?? null };
    requests.push(record);
    // A long-running emulator (npm start) keeps only the newest requests.
    if (requests.length > MAX_RECORDED_REQUESTS) requests.splice(0, requests.length - MAX_RECORDED_REQUESTS);
    const finish = (reply: Reply) => {
      record.status = reply.status;
      send(res, reply, headers);
      options.log?.(`${method} /v2${apiPath} ${reply.status} ${Date.now() - started}ms`);
    };

    try {
      if (options.latencyMs) await delay(options.latencyMs);
      const faultHeader = req.headers['tk-emulator-fault'];
      const fault =
        (typeof faultHeader === 'string' ? parseFaultHeader(faultHeader, apiPath) : null) ?? faults.take(method, apiPath);
      if (fault) {
        switch (fault.kind) {
          case 'drop':
            record.status = -1;
            req.socket.destroy();
            return;
          case 'timeout':
            record.status = -1;
            return; // never answers; the client's own timeout must give up
          case 'malformed':
            record.status = 200;
            res.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
            res.end('{"data": [{"id": "');
            return;
          case 'latency':
            await delay(fault.latencyMs ?? 0);
            break;
          case 'expired-credential':
            return finish({ status: 401, body: { error: 'The credential has expired' } });
          case 'status': {
            const status = fault.status ?? 500;
            const retry = fault.retryAfter ?? (status === 429 || status === 503 ? 1 : undefined);
            return finish({
              status,
              body: faultBody(status),
              headers: retry === undefined ? {} : { 'retry-after': String(retry) },
            });
          }
        }
      }

      const match = router.match(method, apiPath);
      if (!match) throw notFound('Route', `No Timekit endpoint at ${method} /v2${apiPath}`);
      if ('allowed' in match) {
        throw new HttpError(405, { error: `Method ${method} is not allowed here` }, { allow: match.allowed.join(', ') });
      }
      const { route, params } = match;
      let caller: Caller | undefined;
      if (route.auth !== 'none') {
        caller = authenticate(req, app, state, now(), fidelity);
        if (caller.kind === 'app' && caller.test) headers['timekit-testmode'] = 'true';
        if (!route.auth.includes(caller.kind) || (caller.kind === 'widget' && !widgetReaches(route.widget))) {
          throw new HttpError(403, {
            error: `This ${caller.kind === 'widget' ? 'widget credential' : `${caller.kind} credential`} may not call ${method} /v2${route.pattern}`,
          });
        }
      }
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? await readJsonBody(req) : undefined;
      const origin = originOf(req);
      const ctx: Ctx = { req, params, query, caller, body, state, app, now: now(), apiBase: `${origin}/v2`, origin, fidelity, callbackOrigins };
      finish(await route.handler(ctx));
    } catch (error) {
      if (error instanceof HttpError) return finish({ status: error.status, body: error.body, headers: error.headers });
      // A bug in the emulator, never something a client can cause: say so without details.
      console.error('[tk-emulator] internal error', error);
      finish({ status: 500, body: { error: 'Internal emulator error' } });
    }
  }

  /** Which widget routes a widget credential reaches in this emulator's scope (see `Route.widget`). */
  function widgetReaches(reach: Route['widget']): boolean {
    if (reach === 'booking') return true;
    if (fidelity.widgetOnlyScope || reach === undefined) return false;
    return reach === 'read' || options.widgetScope !== 'strict';
  }

  async function handleConsent(req: IncomingMessage, res: ServerResponse, query: URLSearchParams) {
    const html = { 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" };
    try {
      if (req.method === 'GET') {
        if (query.get('app') !== app.slug) throw notFound('App', 'No Timekit app has this slug');
        const callback = checkCallback(query.get('callback'), callbackOrigins);
        return send(res, { status: 200, body: consentPage(app, callback, consentTokens.issue(app.slug, callback, now())) }, html);
      }
      if (req.method !== 'POST') throw new HttpError(405, { error: 'Use GET or POST' }, { allow: 'GET, POST' });
      const form = await readFormBody(req);
      if (form.get('app') !== app.slug) throw notFound('App', 'No Timekit app has this slug');
      const callback = checkCallback(form.get('callback'), callbackOrigins);
      // A form another site posts cannot carry the token: it cannot read the consent page.
      if (!consentTokens.check(form.get('csrf'), app.slug, callback, now())) {
        throw new HttpError(403, { error: 'The consent form has expired or did not come from this consent page; open the signup link again' });
      }
      const decision = form.get('decision');
      if (decision === 'deny') {
        const location = fidelity.denyWithoutError ? callback : callbackWith(callback, { error: 'access_denied' }, fidelity.callbackAsText);
        return send(res, { status: 302, headers: { location } });
      }
      const identity = findIdentity(form.get('identity') ?? '');
      if (decision !== 'allow' || !identity) {
        throw invalid({ identity: ['Choose one of the listed accounts, then Allow or Deny'] });
      }
      const { resource, token } = signInWithGoogle(state, identity);
      const location = callbackWith(callback, { email: resource.email!, token }, fidelity.callbackAsText);
      send(res, { status: 302, headers: { location } });
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      send(res, { status: error.status, body: error.body, headers: error.headers }, html);
    }
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, path: string) {
    const method = req.method ?? 'GET';
    const cors = corsHeaders(req);
    const reply = (r: Reply) => send(res, r, { ...cors, 'cache-control': 'no-store' });
    try {
      if (controlToken === null) throw notFound('Route', 'The control API is off; start the emulator with --control');
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
      if (bearer === undefined || !sameSecret(bearer, controlToken)) {
        throw new HttpError(401, { error: 'The control API needs Authorization: Bearer <control token> (printed at start)' });
      }
      if (path === '/_emulator' && method === 'GET') {
        return reply({
          status: 200,
          body: {
            data: {
              app: app.slug,
              profile,
              switches: fidelity,
              widget_scope: options.widgetScope ?? 'standard',
              identities: GOOGLE_IDENTITIES.map((i) => ({ email: i.email, name: i.name, summary: i.summary, calendars: i.calendars.length })),
              faults: faults.list(),
            },
          },
        });
      }
      if (path === '/_emulator/faults') {
        if (method === 'GET') return reply({ status: 200, body: { data: faults.list() } });
        if (method === 'DELETE') {
          faults.clear();
          return reply({ status: 204 });
        }
        if (method === 'POST') {
          const { rule, errors } = validateFaultRule(await readJsonBody(req));
          if (!rule) throw invalid(errors);
          return reply({ status: 201, body: { data: faults.add(rule) } });
        }
      }
      if (path === '/_emulator/requests') {
        if (method === 'GET') return reply({ status: 200, body: { data: requests } });
        if (method === 'DELETE') {
          requests.length = 0;
          return reply({ status: 204 });
        }
      }
      if (path === '/_emulator/clock' && method === 'POST') {
        const body = (await readJsonBody(req)) as { advance?: unknown };
        const ms = parseDuration(body?.advance);
        if (ms === null) throw invalid({ advance: ['advance must be a relative time such as "2 hours"'] });
        clockOffset += ms;
        return reply({ status: 200, body: { data: { now: now().toISOString() } } });
      }
      if (path === '/_emulator/reset' && method === 'POST') {
        state.clear();
        faults.clear();
        requests.length = 0;
        clockOffset = 0;
        return reply({ status: 204 });
      }
      throw notFound('Route', `No emulator control endpoint at ${method} ${path}`);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reply({ status: error.status, body: error.body, headers: error.headers });
    }
  }

  function handler(req: IncomingMessage, res: ServerResponse): void {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = (queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt)).replace(/\/{2,}/g, '/');
    const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
    // A client that aborts mid-body errors the request; by then `req.socket` may already be
    // detached (after a 413), so destroy through the request itself.
    req.on('error', () => req.destroy());
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      send(res, { status: 400, body: { error: 'HTTP/1.1 requests must carry a Host header' } }, corsHeaders(req));
      return;
    }

    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...corsHeaders(req),
        'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
        'access-control-allow-headers': CORS_HEADERS,
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    let work: Promise<void>;
    if (path === '/v2' || path.startsWith('/v2/')) work = handleApi(req, res, path, query);
    else if (path === '/_google/consent') work = handleConsent(req, res, query);
    else if (path === '/_emulator' || path.startsWith('/_emulator/')) work = handleControl(req, res, path);
    else {
      const message = path.startsWith('/v1') ? 'API v1 is not available; use /v2' : `Nothing at ${path}; the API lives under /v2`;
      send(res, { status: 404, body: { error: message } }, corsHeaders(req));
      return;
    }
    work.catch((error: unknown) => {
      console.error('[tk-emulator] internal error', error);
      send(res, { status: 500, body: { error: 'Internal emulator error' } });
    });
  }

  return { handler, state, faults, requests, app, profile, fidelity, controlToken };
}

/**
 * A whole HTTP/1.1 answer with a JSON error body, for sockets the request handler never sees.
 * `headOnly` leaves the body out (an answer to HEAD), keeping the headers that describe it.
 */
function rawReply(status: number, message: string, headers: Record<string, string> = {}, headOnly = false): string {
  const body = JSON.stringify({ error: message });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${head.join('\r\n')}\r\n\r\n${headOnly ? '' : body}`;
}

/** Starts the emulator on `host:port` (127.0.0.1 and a free port by default). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = createEmulator(options);
  // The handler refuses a missing Host itself: node's own refusal is a bare status line.
  const server = createServer({ requireHostHeader: false }, emulator.handler);
  server.keepAliveTimeout = 5_000;
  // Requests node's parser refuses (an unknown method, a control character in a header, a head over
  // 16 KiB) never reach the handler; answer them in JSON too, not with a bare status line.
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    // A HEAD answer carries no body; the request line is at the start of the packet node failed on.
    const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    if (error.code === 'HPE_HEADER_OVERFLOW') return void socket.end(rawReply(431, 'The request head is larger than 16 KiB', {}, head));
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return void socket.end(rawReply(408, 'The request took too long to arrive', {}, head));
    socket.end(rawReply(400, 'Malformed HTTP request', {}, head));
  });
  // CONNECT is no API method, and without a listener node drops such connections without a word.
  server.on('connect', (_req: IncomingMessage, socket: Socket) =>
    socket.end(rawReply(405, 'Method CONNECT is not allowed', { Allow: 'GET, POST, PUT, PATCH, DELETE, OPTIONS' })),
  );
  // An Expect other than 100-continue: serve the request as usual rather than node's bodiless 417.
  server.on('checkExpectation', emulator.handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  if (!isLoopbackHost(host)) {
    (options.warn ?? console.warn)(
      `[tk-emulator] listening on ${host}, off loopback: other machines can reach it, and every token in it. ` +
        'Bind to 127.0.0.1 unless you mean that.',
    );
  }
  return {
    url: `${origin}/v2`,
    origin,
    app: emulator.app.slug,
    appKey: emulator.app.appKey,
    testAppKey: emulator.app.testAppKey,
    profile: emulator.profile,
    fidelity: emulator.fidelity,
    controlToken: emulator.controlToken,
    handler: emulator.handler,
    state: emulator.state,
    faults: emulator.faults,
    requests: emulator.requests,
    close: () =>
      new Promise<void>((resolve) => {
        emulator.state.save();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
