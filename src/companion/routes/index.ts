/**
 * The companion's routes, as one table under its mount path, and the way a request goes through
 * it: the browser-facing JSON routes check the page origin first, answer the CORS preflight and
 * carry CORS on every answer (errors included); the connect routes are navigations and carry none.
 */
import { Router } from '../../shared/server/router.js';
import type { CompanionServices } from '../core.js';
import { CompanionError } from '../errors.js';
import { JSON_HEADERS, originNotAllowed, pageOrigin, type Incoming, type Outgoing } from '../http.js';
import type { ConnectProvider } from '../signing.js';
import { connectCallback, connectDone, connectStart } from './connect.js';
import { resolvePending } from './pending.js';
import { relay } from './relay.js';
import { session } from './session.js';

/** What every route handler is given. */
interface RouteCall {
  core: CompanionServices;
  incoming: Incoming;
  /** The pattern's parameters; an optional one that is missing is `''`. */
  params: Record<string, string>;
  /** The query as received, without its `?` (the connect callback reads it its own tolerant way). */
  rawQuery: string;
}

/** The headers of an allowed page origin, built once: the CORS grant, and those plus the JSON ones. */
interface OriginHeaders {
  cors: Readonly<Record<string, string>>;
  /** Shared by every answer to that origin: never mutate. */
  json: Readonly<Record<string, string>>;
}

/** What a browser-facing route is given besides: the page origin, already allowed, and its headers. */
interface ApiCall extends RouteCall {
  origin: string;
  headers: OriginHeaders;
}

type CompanionRoute =
  | { method: string; pattern: string; browserFacing: true; handler: (call: ApiCall) => Promise<Outgoing> }
  | { method: string; pattern: string; browserFacing: false; handler: (call: RouteCall) => Promise<Outgoing> | Outgoing };

const CONNECT_PROVIDERS: readonly ConnectProvider[] = ['google', 'microsoft'];

/** `*` in `method`: any method (the relay refuses what it does not forward itself). */
const ROUTES: CompanionRoute[] = [
  { method: 'POST', pattern: '/session', browserFacing: true, handler: (call) => session(call.core, call.incoming, call.origin, call.headers.json) },
  // The provider's answer to a second account Timekit put on a new resource (pending.ts).
  {
    method: 'POST',
    pattern: '/accounts/pending',
    browserFacing: true,
    handler: (call) => resolvePending(call.core, call.incoming, call.origin, call.headers.json),
  },
  { method: '*', pattern: '/api/v2/*', browserFacing: true, handler: relayCall },
  ...CONNECT_PROVIDERS.flatMap((provider): CompanionRoute[] => [
    {
      method: 'GET',
      pattern: `/${provider}/start`,
      browserFacing: false,
      handler: (call) => connectStart(call.core, provider, call.incoming, new URLSearchParams(call.rawQuery)),
    },
    // The nonce is optional here so that a callback without one is refused as a bad nonce, not an unknown route.
    {
      method: 'GET',
      pattern: `/${provider}/callback/:nonce?`,
      browserFacing: false,
      handler: (call) => connectCallback(call.core, provider, call.incoming, call.params.nonce!, call.rawQuery),
    },
    { method: 'GET', pattern: `/${provider}/done/:outcome?`, browserFacing: false, handler: (call) => connectDone(call.core, provider, call.params.outcome!) },
  ]),
];

const ROUTER = new Router(ROUTES);

const PREFLIGHT_HEADERS = {
  'access-control-allow-methods': 'GET, POST, PUT',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-max-age': '600',
};

async function relayCall(call: ApiCall): Promise<Outgoing> {
  if (call.core.options.mode !== 'relay') {
    throw new CompanionError('not-found', 'The relay is off: this companion runs in direct mode (mode: "direct")');
  }
  const answer = await relay(call.core, call.incoming, call.origin, `/${call.params['*']}`, new URLSearchParams(call.rawQuery));
  return withCors(answer, call.headers.cors);
}

/** Turns what a route threw into its answer (the log says what went wrong where). */
export type Failure = (error: unknown, incoming: Incoming, path: string) => Outgoing;

/**
 * Routes `incoming` (its `path` under the mount path) through the table. It throws the refusals
 * of routes that carry no CORS; `failure` turns what a browser-facing route throws into its answer.
 */
export function createRouting(core: CompanionServices, failure: Failure): (incoming: Incoming, path: string, rawQuery: string) => Promise<Outgoing> {
  // Per allowed origin, built once, so the hot path only looks them up.
  const perOrigin = new Map<string, OriginHeaders>();
  for (const origin of core.options.allowedOrigins) {
    // Retry-After is no CORS-safelisted header: exposed, so the elements can honour it
    const cors = { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true', 'access-control-expose-headers': 'Retry-After', vary: 'Origin' };
    perOrigin.set(origin, { cors, json: Object.freeze({ ...JSON_HEADERS, ...cors }) });
  }

  /** `allowed`: the methods the path takes when the route matched another one (a 405 after the origin check). */
  async function browserFacing(call: RouteCall, path: string, route: CompanionRoute & { browserFacing: true }, allowed: string[] | null): Promise<Outgoing> {
    const origin = pageOrigin(call.incoming);
    const headers = origin === null ? undefined : perOrigin.get(origin);
    if (origin === null || headers === undefined) {
      throw originNotAllowed(origin === null ? 'The request has no Origin' : `The origin ${origin} is not allowed`);
    }
    try {
      if (call.incoming.method === 'OPTIONS') return withCors({ status: 204, headers: PREFLIGHT_HEADERS, body: null }, headers.cors);
      if (allowed !== null) throw methodNotAllowed(allowed);
      return await route.handler({ ...call, origin, headers });
    } catch (error) {
      return withCors(failure(error, call.incoming, path), headers.cors);
    }
  }

  return async (incoming, path, rawQuery) => {
    const match = ROUTER.match(incoming.method, path);
    if (match === null) throw new CompanionError('not-found', `No companion route at ${path}`);
    const [route, params, allowed] = 'route' in match ? [match.route, match.params, null] : [match.routes[0]!, {}, match.allowed];
    const call: RouteCall = { core, incoming, params, rawQuery };
    if (route.browserFacing) return browserFacing(call, path, route, allowed);
    if (allowed !== null) throw methodNotAllowed(allowed);
    return route.handler(call);
  };
}

function withCors(out: Outgoing, cors: Readonly<Record<string, string>>): Outgoing {
  return { ...out, headers: { ...out.headers, ...cors } };
}

function methodNotAllowed(allowed: string[]) {
  const allow = allowed.join(', ');
  return new CompanionError('method-not-allowed', `Use ${allow}`, { allow });
}
