/**
 * Relay mode: the elements call `<endpoint>/api/v2/...` with the companion's own short-lived,
 * origin-bound token (`Authorization: Bearer …`, from the session response), and the companion
 * forwards an allow-list of Timekit calls with the resource's token, which never leaves the server.
 * Timekit's answers pass through unchanged; everything else is refused with `not-allowed`.
 */
import { currentRecordFor, type RelayClaims } from './session-route.js';
import type { Core } from './core.js';
import { CompanionError, hasBody, readJsonObject, unauthenticated, type Incoming, type Outgoing } from './http.js';
import { isTimekitFailure } from './timekit.js';

const ID = '[0-9A-Fa-f-]{36}';

interface Rule {
  methods: string[];
  pattern: RegExp;
  /** Query parameters passed on; any other is refused. */
  query?: string[];
  /** The JSON body accepted: only these boolean fields. Without it the body is not forwarded. */
  booleanFields?: string[];
}

/** What the relay forwards: list/get calendars, set `provider_sync`, sync, accounts. */
export const RELAY_ALLOW_LIST: readonly Rule[] = [
  { methods: ['GET'], pattern: /^\/calendars$/, query: ['limit', 'page'] },
  { methods: ['GET'], pattern: new RegExp(`^/calendars/${ID}$`) },
  { methods: ['PUT'], pattern: new RegExp(`^/calendars/${ID}$`), booleanFields: ['provider_sync'] },
  { methods: ['GET', 'POST'], pattern: /^\/accounts\/sync$/ },
  { methods: ['GET'], pattern: /^\/accounts$/ },
];

const DESCRIPTION =
  'GET /calendars, GET /calendars/:id, PUT /calendars/:id with only provider_sync, GET|POST /accounts/sync, GET /accounts';
const BODY_LIMIT = 4096;

const notAllowed = (message: string) => new CompanionError('not-allowed', `${message}. The relay forwards only ${DESCRIPTION}`);

/** `path` is what follows `/api/v2`, e.g. `/calendars`. */
export async function relay(core: Core, incoming: Incoming, origin: string, path: string, query: URLSearchParams): Promise<Outgoing> {
  const authorization = incoming.header('authorization');
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : null;
  const claims = bearer === null ? null : (core.signer.verify('relay', bearer) as Partial<RelayClaims> | null);
  if (claims === null || typeof claims.u !== 'string' || typeof claims.r !== 'string' || typeof claims.e !== 'number') {
    throw unauthenticated('Send the session token from POST /session as Authorization: Bearer');
  }
  if (core.options.now() >= claims.e) throw unauthenticated('The session token has expired; ask for a new session');
  if (claims.o !== origin) {
    throw new CompanionError('origin-not-allowed', 'This session token belongs to another origin');
  }

  const method = incoming.method;
  const normalized = path.length > 1 ? path.replace(/\/$/, '') : path;
  const rule = RELAY_ALLOW_LIST.find((r) => r.methods.includes(method) && r.pattern.test(normalized));
  if (!rule) throw notAllowed(`${method} /v2${normalized} is not relayed`);
  for (const key of query.keys()) {
    if (!rule.query?.includes(key)) throw notAllowed(`The query parameter "${key}" is not relayed`);
  }
  let body: Record<string, unknown> | undefined;
  if (rule.booleanFields) {
    body = await readJsonObject(incoming, BODY_LIMIT);
    const keys = Object.keys(body);
    if (keys.length === 0) throw notAllowed(`${method} /v2${normalized} needs a body`);
    for (const key of keys) {
      if (!rule.booleanFields.includes(key)) throw notAllowed(`Only ${rule.booleanFields.join(', ')} may change through the relay, not "${key}"`);
      if (typeof body[key] !== 'boolean') throw new CompanionError('invalid', `${key} must be true or false`);
    }
  } else if (hasBody(incoming)) {
    // Accepted (browsers may send an empty JSON body) but never forwarded.
    await readJsonObject(incoming, BODY_LIMIT);
  }

  // Writes and syncs (the allow-list's only PUT and POST) make Timekit and Google work: one token
  // must not drive hundreds a second.
  if (method === 'PUT') await core.limits.relayWrite(claims.u);
  else if (method === 'POST') await core.limits.relaySync(claims.u);
  const record = await currentRecordFor(core, claims as RelayClaims);
  const search = query.size > 0 ? `?${query}` : '';
  const answer = await core.timekit.raw(method, `${normalized}${search}`, { email: record.email, token: record.token }, body, incoming.signal);
  // A failing Timekit becomes the companion's coded refusal; its rate limit (503 with
  // Retry-After, 429) and its other answers pass through as they are.
  if (isTimekitFailure(answer)) {
    core.options.log?.(`timekit ${method} ${normalized}: ${answer.status}`);
    throw new CompanionError('timekit-unavailable', 'Timekit is failing; try again shortly');
  }
  const headers: Record<string, string> = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (answer.contentType) headers['content-type'] = answer.contentType;
  if (answer.retryAfter) headers['retry-after'] = answer.retryAfter;
  return { status: answer.status, headers, body: answer.status === 204 ? null : answer.body };
}
