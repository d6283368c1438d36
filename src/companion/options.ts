/**
 * The companion's options, checked once at start: a mistake fails `createCompanion` with one
 * message that names every problem, never a confusing error on the first request.
 */
import type { TkSessionMode } from '../shared/companion-protocol.js';
import type { CompanionRequest } from './http.js';
import { CREDENTIAL_CACHE_METHODS, type CompanionStore } from './stores/contract.js';
import { DEFAULT_MAX_TIMEKIT_CALLS } from './timekit.js';

export interface CompanionOptions<Context = unknown> {
  /** Timekit's API base. Default `https://api.timekit.io/v2`; the emulator's for development. */
  apiBase?: string;
  /** The Timekit app slug. */
  app: string;
  /** The Timekit app key. Server-side only; it never reaches a browser or a log line. */
  appKey: string;
  /** Exact origins of the pages that embed the elements, e.g. `https://app.example.com`. */
  allowedOrigins: readonly string[];
  /**
   * The host's own login: the id of the signed-in user, or null. `context` is whatever the host
   * passed to `handler(request, context)`; the node:http adapter passes `{req, res}`.
   *
   * The connect's binding to the user who started it is only as strong as this login. Read it
   * from a `__Host-` cookie (`Secure; Path=/`, no `Domain`, `SameSite=Lax`), and take a request
   * that carries it more than once as nobody's: a sibling subdomain can plant a same-named cookie
   * on a longer path, which browsers send first (`loginCookie(header, name)` does both). An id
   * that is not well-formed Unicode or holds a NUL is taken as nobody.
   */
  authenticate: (request: CompanionRequest, context: Context) => string | null | undefined | Promise<string | null | undefined>;
  /** Where Timekit records live (see stores/contract.ts). */
  store: CompanionStore;
  /**
   * Signs connect nonces and relay tokens: at least 32 characters of randomness, the same on every
   * instance (e.g. `openssl rand -base64 48`). Changing it cancels connects in flight.
   */
  secret: string;
  /**
   * How the elements' calendar calls (list calendars, write `provider_sync`, sync) reach Timekit.
   * `relay` (default): through this companion with the resource token, which works whatever
   * Timekit lets widget credentials do. `direct`: straight from the browser with the widget
   * credential, for apps whose widget scope reaches `/calendars` and `/accounts` (run
   * `tk-companion doctor` to find out). Widget calls (findtime, bookings) go straight to Timekit in both.
   */
  mode?: TkSessionMode;
  /** Lifetime of widget credentials and relay tokens, in seconds: 300–86400, default 3600. */
  credentialTtlSeconds?: number;
  /** Put the resource's calendars in the session response (one Timekit call per session request). */
  preloadCalendars?: boolean;
  /**
   * The path the host mounts the companion under, e.g. `/timekit`. Requests may arrive with or
   * without it (Express and Hono's `mount` strip it); it is used to build the callback URL.
   */
  basePath?: string;
  /**
   * The companion's public URL including `basePath`, e.g. `https://app.example.com/timekit`, when
   * the `Host` header is not what browsers use (behind a proxy). Default: from each request.
   */
  publicUrl?: string;
  /** Credentials one user may have minted per minute (cache misses); default 10. Across instances when the store counts (`countHit`). */
  mintsPerMinute?: number;
  /** Google connects one user may start per minute; default 10, and three times that per 10 minutes (a nonce's life). Across instances when the store counts. */
  connectsPerMinute?: number;
  /**
   * Calendar changes (`PUT /calendars/:id`) one user may send through the relay per minute;
   * default 60 (a provider toggling calendars quickly makes a handful). Across instances when the store counts.
   */
  relayWritesPerMinute?: number;
  /**
   * `POST /accounts/sync` one user may send through the relay per minute; default 20 (the elements
   * send one when a page is ready for a resource with calendar accounts, to learn their status, and
   * one after each burst of changes; a sync refused with 429 leaves every status as it was). Across
   * instances when the store counts.
   */
  relaySyncsPerMinute?: number;
  /**
   * Timekit calls this instance keeps open at once; default 100. Past it a request fails at once
   * (`timekit-unavailable`, Retry-After 1), so a Timekit that stops answering holds this many
   * sockets for its 10 s timeout, not one per browser request.
   */
  maxTimekitCalls?: number;
  /**
   * The fetch the companion calls Timekit with. Default: `globalThis.fetch` as it was when
   * `createCompanion` ran, never as it is at the time of a call, since some frameworks swap the global
   * for a while (SvelteKit's dev server, while it renders a page, with a warning about eager fetches).
   */
  fetch?: typeof fetch;
  /** Called with one line per request (method, path without query, status, a refusal's error code, ms) and per problem. Never given a secret. */
  log?: (line: string) => void;
  /** The clock (tests move it). */
  now?: () => Date;
}

export interface ResolvedOptions<Context> {
  apiBase: string;
  app: string;
  appKey: string;
  allowedOrigins: ReadonlySet<string>;
  authenticate: CompanionOptions<Context>['authenticate'];
  store: CompanionStore;
  secret: string;
  mode: TkSessionMode;
  credentialTtlMs: number;
  preloadCalendars: boolean;
  basePath: string;
  publicUrl: string | null;
  mintsPerMinute: number;
  connectsPerMinute: number;
  relayWritesPerMinute: number;
  relaySyncsPerMinute: number;
  maxTimekitCalls: number;
  fetch: typeof fetch | null;
  log: ((line: string) => void) | null;
  now: () => number;
}

export const DEFAULT_API_BASE = 'https://api.timekit.io/v2';
const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/;

/** Whether `url` is on this machine: Timekit never is, the emulator always is. */
export const onLoopback = (url: string) => LOOPBACK.test(new URL(url).hostname);

/** The exact origin of `value` when it is one (`https://host[:port]`, no path), else null. */
function asOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin === value.replace(/\/$/, '') ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * Timekit's API base without its trailing slash, or what is wrong with it: the app key travels to
 * it, so https, and plain http only on loopback (the emulator). The companion and the doctor both
 * apply it.
 */
export function checkApiBase(value: string): { apiBase: string } | { problem: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { problem: `must be an absolute URL such as ${DEFAULT_API_BASE}` };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && onLoopback(value))) {
    return { problem: 'must be https (plain http only on loopback, e.g. the emulator)' };
  }
  return { apiBase: url.toString().replace(/\/+$/, '') };
}

export function resolveOptions<Context>(options: CompanionOptions<Context>): ResolvedOptions<Context> {
  const problems: string[] = [];
  const o = (options ?? {}) as Partial<CompanionOptions<Context>>;

  let apiBase = DEFAULT_API_BASE;
  if (o.apiBase !== undefined) {
    const checked = checkApiBase(o.apiBase);
    if ('problem' in checked) problems.push(`apiBase ${checked.problem}`);
    else apiBase = checked.apiBase;
  }
  if (typeof o.app !== 'string' || !/^[A-Za-z0-9][\w-]*$/.test(o.app)) problems.push('app must be the Timekit app slug');
  if (typeof o.appKey !== 'string' || o.appKey.trim() === '') problems.push('appKey must be the Timekit app key');

  const origins = new Set<string>();
  if (!Array.isArray(o.allowedOrigins) || o.allowedOrigins.length === 0) {
    problems.push('allowedOrigins must list the origins of the pages that embed the elements, e.g. ["https://app.example.com"]');
  } else {
    for (const value of o.allowedOrigins) {
      const origin = typeof value === 'string' ? asOrigin(value) : null;
      if (origin) origins.add(origin);
      else problems.push(`allowedOrigins: "${String(value)}" is not an origin (scheme://host[:port], no path, no wildcard)`);
    }
  }
  if (typeof o.authenticate !== 'function') problems.push('authenticate must be a function (request) => userId | null');
  const store = o.store;
  if (!store || typeof store.get !== 'function' || typeof store.put !== 'function') {
    problems.push('store must have get(userId) and put(userId, record) (memoryStore() for development)');
  } else {
    for (const name of ['consumeNonce', 'countHit', ...CREDENTIAL_CACHE_METHODS] as const) {
      if (store[name] !== undefined && typeof store[name] !== 'function') problems.push(`store.${name} must be a function when present`);
    }
    const cacheMethods = CREDENTIAL_CACHE_METHODS.filter((name) => store[name] !== undefined);
    if (cacheMethods.length > 0 && cacheMethods.length < CREDENTIAL_CACHE_METHODS.length) {
      problems.push(`store: the shared credential cache needs all of ${CREDENTIAL_CACHE_METHODS.join(', ')} (it has only ${cacheMethods.join(', ')})`);
    }
  }
  if (typeof o.secret !== 'string' || o.secret.length < 32) {
    problems.push('secret must be at least 32 characters (e.g. `openssl rand -base64 48`), the same on every instance');
  }
  const mode = o.mode ?? 'relay';
  if (mode !== 'direct' && mode !== 'relay') problems.push('mode must be "direct" or "relay"');
  const ttl = o.credentialTtlSeconds ?? 3600;
  if (!Number.isInteger(ttl) || ttl < 300 || ttl > 86_400) problems.push('credentialTtlSeconds must be an integer from 300 to 86400');
  const mints = o.mintsPerMinute ?? 10;
  if (!Number.isInteger(mints) || mints < 1) problems.push('mintsPerMinute must be a positive integer');
  const connects = o.connectsPerMinute ?? 10;
  if (!Number.isInteger(connects) || connects < 1) problems.push('connectsPerMinute must be a positive integer');
  const relayWrites = o.relayWritesPerMinute ?? 60;
  if (!Number.isInteger(relayWrites) || relayWrites < 1) problems.push('relayWritesPerMinute must be a positive integer');
  const relaySyncs = o.relaySyncsPerMinute ?? 20;
  if (!Number.isInteger(relaySyncs) || relaySyncs < 1) problems.push('relaySyncsPerMinute must be a positive integer');
  const maxTimekitCalls = o.maxTimekitCalls ?? DEFAULT_MAX_TIMEKIT_CALLS;
  if (!Number.isInteger(maxTimekitCalls) || maxTimekitCalls < 1) problems.push('maxTimekitCalls must be a positive integer');

  let publicUrl: string | null = null;
  let basePath = o.basePath ?? '';
  if (o.publicUrl !== undefined) {
    try {
      const url = new URL(o.publicUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
      publicUrl = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
      if (o.basePath === undefined) basePath = url.pathname;
    } catch {
      problems.push('publicUrl must be an absolute http(s) URL, e.g. https://app.example.com/timekit');
    }
  }
  basePath = basePath.replace(/\/+$/, '');
  if (basePath !== '' && !/^(\/[\w.~-]+)+$/.test(basePath)) problems.push('basePath must look like /timekit (or be empty)');
  if (o.fetch !== undefined && typeof o.fetch !== 'function') problems.push('fetch must be a function, like globalThis.fetch');
  if (o.log !== undefined && typeof o.log !== 'function') problems.push('log must be a function (line) => void');
  if (o.now !== undefined && typeof o.now !== 'function') problems.push('now must be a function returning a Date');

  if (problems.length > 0) throw new TypeError(`tk-companion: invalid options:\n  - ${problems.join('\n  - ')}`);
  const clock = o.now;
  return {
    apiBase,
    app: o.app!,
    appKey: o.appKey!,
    allowedOrigins: origins,
    authenticate: o.authenticate!,
    store: store!,
    secret: o.secret!,
    mode,
    credentialTtlMs: ttl * 1000,
    preloadCalendars: o.preloadCalendars ?? false,
    basePath,
    publicUrl,
    mintsPerMinute: mints,
    connectsPerMinute: connects,
    relayWritesPerMinute: relayWrites,
    relaySyncsPerMinute: relaySyncs,
    maxTimekitCalls,
    fetch: o.fetch ?? null,
    log: o.log ?? null,
    now: clock ? () => clock().getTime() : Date.now,
  };
}
