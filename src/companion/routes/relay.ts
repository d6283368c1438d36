/**
 * Relay mode: the elements call `<endpoint>/api/v2/...` with the companion's own short-lived,
 * origin-bound token (`Authorization: Bearer …`, from the session response), and the companion
 * forwards an allow-list of Timekit calls with the resource's token, which never leaves the server.
 * Timekit's answers pass through unchanged; everything else is refused with `not-allowed`.
 */
import type { CompanionServices } from '../core.js';
import { CompanionError } from '../errors.js';
import { hasBody, readJsonObject, unauthenticated, type Incoming, type Outgoing } from '../http.js';
import { verifyRelayToken } from '../signing.js';
import { isTimekitFailure } from '../timekit.js';
import { currentRecordFor } from './relay-tokens.js';
import { isTimeZone } from '../../shared/zoned-time.js';

const ID = '[0-9A-Fa-f-]{36}';

interface Rule {
  methods: string[];
  pattern: RegExp;
  /** Query parameters passed on; any other is refused. */
  query?: string[];
  /** The id in the path must be the session's own resource. */
  ownResource?: boolean;
  /** Checks the JSON body (throws the refusal); without it the body is not forwarded. */
  checkBody?: (body: Record<string, unknown>, resourceId: string) => void;
  /** Bodies up to Timekit's own JSON limit instead of the relay's usual 4 KiB. */
  timekitSizedBody?: boolean;
  /** Which per-user limit a call counts against: writes and syncs make Timekit and Google work. */
  limit?: 'write' | 'sync';
}

/** Timekit's reference: "character limit of 64000 characters of JSON in requests". */
const TIMEKIT_JSON_CHARACTERS = 64_000;
/** Bytes read before the characters are counted: no character takes more than 3 bytes of UTF-8 per UTF-16 unit. */
const TIMEKIT_SIZED_BODY_BYTES = TIMEKIT_JSON_CHARACTERS * 3;
const BODY_LIMIT = 4096;

const AVAILABILITY_FIELDS = ['resources', 'constraints', 'length', 'from', 'to', 'output_timezone', 'timeslot_increments'];

function onlyBooleans(fields: string[]) {
  return (body: Record<string, unknown>) => {
    const keys = Object.keys(body);
    if (keys.length === 0) throw notAllowed('The call needs a body');
    for (const key of keys) {
      if (!fields.includes(key)) throw notAllowed(`Only ${fields.join(', ')} may change through the relay, not "${key}"`);
      if (typeof body[key] !== 'boolean') throw new CompanionError('invalid', `${key} must be true or false`);
    }
  };
}

const isConstraintList = (value: unknown) =>
  Array.isArray(value) && value.every((item) => item !== null && typeof item === 'object' && !Array.isArray(item));


/** A resource's working hours: only `availability_constraints` (a list of objects) and `timezone` (IANA). */
function resourceRules(body: Record<string, unknown>): void {
  const keys = Object.keys(body);
  if (keys.length === 0) throw notAllowed('The call needs a body');
  for (const key of keys) {
    if (key !== 'availability_constraints' && key !== 'timezone') {
      throw notAllowed(`Only availability_constraints and timezone may change through the relay, not "${key}"`);
    }
  }
  if ('availability_constraints' in body && !isConstraintList(body.availability_constraints)) {
    throw new CompanionError('invalid', 'availability_constraints must be a list of objects');
  }
  if ('timezone' in body && !isTimeZone(body.timezone)) throw new CompanionError('invalid', 'timezone must be an IANA time zone such as Europe/Berlin');
}

/** Bookable time of the session's own resource only. */
function ownAvailability(body: Record<string, unknown>, resourceId: string): void {
  const { resources } = body;
  if (!Array.isArray(resources) || resources.length !== 1 || resources[0] !== resourceId) {
    throw notAllowed('POST /availability is relayed only with resources: [the signed-in resource]');
  }
  for (const key of Object.keys(body)) {
    if (!AVAILABILITY_FIELDS.includes(key)) throw notAllowed(`The availability field "${key}" is not relayed`);
  }
  if ('constraints' in body && !isConstraintList(body.constraints)) throw new CompanionError('invalid', 'constraints must be a list of objects');
}

/**
 * What the relay forwards: list/get calendars, set `provider_sync`, sync, accounts; the signed-in
 * resource's own working hours and bookable time.
 */
export const RELAY_ALLOW_LIST: readonly Rule[] = [
  { methods: ['GET'], pattern: /^\/calendars$/, query: ['limit', 'page'] },
  { methods: ['GET'], pattern: new RegExp(`^/calendars/${ID}$`) },
  { methods: ['PUT'], pattern: new RegExp(`^/calendars/${ID}$`), checkBody: onlyBooleans(['provider_sync']), limit: 'write' },
  { methods: ['GET'], pattern: /^\/accounts\/sync$/ },
  { methods: ['POST'], pattern: /^\/accounts\/sync$/, limit: 'sync' },
  { methods: ['GET'], pattern: /^\/accounts$/ },
  { methods: ['GET'], pattern: new RegExp(`^/resources/${ID}$`), ownResource: true },
  { methods: ['PUT'], pattern: new RegExp(`^/resources/${ID}$`), ownResource: true, checkBody: resourceRules, timekitSizedBody: true, limit: 'write' },
  { methods: ['POST'], pattern: /^\/availability$/, checkBody: ownAvailability, timekitSizedBody: true },
];

const DESCRIPTION =
  'GET /calendars, GET /calendars/:id, PUT /calendars/:id with only provider_sync, GET|POST /accounts/sync, GET /accounts, ' +
  'and for the signed-in resource only: GET /resources/:id, PUT /resources/:id with only availability_constraints and timezone, POST /availability';

const notAllowed = (message: string) => new CompanionError('not-allowed', `${message}. The relay forwards only ${DESCRIPTION}`);

/** `path` is what follows `/api/v2`, e.g. `/calendars`. */
export async function relay(core: CompanionServices, incoming: Incoming, origin: string, path: string, query: URLSearchParams): Promise<Outgoing> {
  const authorization = incoming.header('authorization');
  const bearer = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : null;
  const claims = bearer === null ? null : verifyRelayToken(core.signer, bearer);
  if (claims === null) throw unauthenticated('Send the session token from POST /session as Authorization: Bearer');
  if (core.options.now() >= claims.expiresAt) throw unauthenticated('The session token has expired; ask for a new session');
  if (claims.origin !== origin) {
    throw new CompanionError('origin-not-allowed', 'This session token belongs to another origin');
  }

  const method = incoming.method;
  const normalized = path.length > 1 ? path.replace(/\/$/, '') : path;
  const rule = RELAY_ALLOW_LIST.find((r) => r.methods.includes(method) && r.pattern.test(normalized));
  if (!rule) throw notAllowed(`${method} /v2${normalized} is not relayed`);
  for (const key of query.keys()) {
    if (!rule.query?.includes(key)) throw notAllowed(`The query parameter "${key}" is not relayed`);
  }
  if (rule.ownResource && normalized.split('/')[2]!.toLowerCase() !== claims.resourceId.toLowerCase()) {
    throw notAllowed(`${method} /v2${normalized} is relayed only for the signed-in resource`);
  }
  let body: Record<string, unknown> | undefined;
  if (rule.checkBody) {
    body = await readJsonObject(incoming, rule.timekitSizedBody ? TIMEKIT_SIZED_BODY_BYTES : BODY_LIMIT);
    rule.checkBody(body, claims.resourceId);
    // Counted as Timekit counts it: the JSON the companion sends on.
    if (rule.timekitSizedBody && JSON.stringify(body).length > TIMEKIT_JSON_CHARACTERS) {
      throw new CompanionError('payload-too-large', `Timekit takes at most ${TIMEKIT_JSON_CHARACTERS} characters of JSON in a request`);
    }
  } else if (hasBody(incoming)) {
    // Accepted (browsers may send an empty JSON body) but never forwarded.
    await readJsonObject(incoming, BODY_LIMIT);
  }

  if (rule.limit === 'write') await core.limits.relayWrite(claims.userId);
  else if (rule.limit === 'sync') await core.limits.relaySync(claims.userId);
  const record = await currentRecordFor(core, claims);
  const search = query.size > 0 ? `?${query}` : '';
  const answer = await core.timekit.raw(method, `${normalized}${search}`, { email: record.email, token: record.token }, body, { signal: incoming.signal });
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
