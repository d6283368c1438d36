/**
 * The companion: the only piece of tk-elements that holds secrets (the Timekit app key and each
 * resource's token). A web-standard handler the host mounts under a path of its own:
 *
 *   const companion = createCompanion({ app, appKey, secret, allowedOrigins, authenticate, store });
 *   // or createCompanion(() => ({ … })): the options are read and checked on first use
 *   // fetch hosts (Hono, Next route handlers, Deno, Bun):  companion.handler(request)
 *   // node:http and Express:                               toNodeHandler(companion)
 *
 * Routes (under the mount path; the table is routes/index.ts): `POST /session`, `POST
 * /accounts/pending`, for each provider (`google`, `microsoft`) `GET /<provider>/start`,
 * `GET /<provider>/callback/<nonce>` and `GET /<provider>/done/<outcome>`, and in relay mode
 * `/api/v2/...`. Every browser-facing route checks the page origin against `allowedOrigins`;
 * every error is JSON `{"error": {code, message}}` (codes and statuses in errors.ts).
 */
import { HANDLE, type CompanionServices } from './core.js';
import { CredentialCache } from './credential-cache.js';
import { RateLimits } from './limits.js';
import { CompanionError } from './errors.js';
import { errorResponse, readLimited, type Incoming, type Outgoing } from './http.js';
import { DEFAULT_API_BASE, resolveOptions, type CompanionOptions } from './options.js';
import { provisionResource, type ProvisionedResource, type ProvisionInput } from './provision.js';
import { createRouting } from './routes/index.js';
import { RelayTokens } from './routes/relay-tokens.js';
import { Signer } from './signing.js';
import { StoreUnavailableError } from './stores/contract.js';
import { NonceMemory } from './stores/memory.js';
import { TimekitClient } from './timekit.js';

export type { CompanionOptions } from './options.js';
export type { CompanionRequest } from './http.js';
export type { CachedCredential, CompanionStore, PendingResource, TimekitRecord } from './stores/contract.js';
export type { ProvisionedResource, ProvisionInput } from './provision.js';
export type { TkCompanionErrorCode, TkSessionResponse } from '../shared/companion-protocol.js';
export { StoreUnavailableError, TamperedRowError } from './stores/contract.js';
export { memoryStore } from './stores/memory.js';
export { CompanionError } from './errors.js';
export { loginCookie } from './login-cookie.js';
export { sqliteStore, type SqliteStore } from './stores/sqlite.js';
export { postgresStore, type PostgresStore, type PostgresStoreOptions, type PgPool } from './stores/postgres.js';
export { RELAY_ALLOW_LIST } from './routes/relay.js';
export { DEFAULT_API_BASE } from './options.js';
export { DOCTOR_DOUBTS, formatDoctorReport, runDoctor } from './doctor/index.js';
export type { DoctorDoubt, DoctorOptions, DoctorReport, DoctorRow } from './doctor/index.js';

export interface Companion<Context = unknown> {
  /** The web-standard handler: mount it under any path. `context` is handed to `authenticate`. */
  handler(request: Request, context?: Context): Promise<Response>;
  /**
   * Creates a plain Timekit resource (no Google) for `userId` and saves it through the store.
   * When the user already has another resource, the new one waits for the provider to confirm it
   * (the connect element asks) and the answer carries `pending: true`. Rejects with a TypeError for bad input, or a CompanionError whose `code` says why (`email-taken`,
   * `timekit-rejected`, `timekit-unavailable`, `rate-limited`).
   */
  provisionResource(userId: string, input: ProvisionInput): Promise<ProvisionedResource>;
  /**
   * Deletes at Timekit the widget credentials handed out for `userId`'s resource, on every origin,
   * so copies stop working at once (whatever `expires` Timekit honours), and stops handing out the
   * cached ones; the user's next session gets new ones. Call it when the user signs out of the host
   * app, after the login is gone. Answers how many credentials were deleted (0 for a user without
   * a resource). Relay tokens already handed out stay valid until they expire (`credentialTtlSeconds`).
   * Rejects with a CompanionError (`timekit-unavailable`, `timekit-rejected`, `rate-limited`) when
   * Timekit could not do it; calling again deletes the ones left.
   */
  revokeCredentials(userId: string): Promise<number>;
  /**
   * Asks Timekit once, with the app key, whether `apiBase` answers and accepts the key; rejects
   * with an error that names which is wrong. Optional: await it at start-up to find a wrong key
   * then, rather than at a provider's first connect.
   */
  check(): Promise<void>;
  /** @internal */
  [HANDLE](incoming: Incoming): Promise<Outgoing>;
}

/**
 * The companion for these options, checked now (a mistake throws one error naming every problem).
 * Given a function instead, it reads and checks the options on first use: frameworks that load
 * route modules at build time without the runtime environment (`next build`) then build fine.
 */
export function createCompanion<Context = unknown>(options: CompanionOptions<Context> | (() => CompanionOptions<Context>)): Companion<Context> {
  // Taken now, at the host's start: a framework may swap globalThis.fetch while it renders a page
  // (SvelteKit's dev server, which then warns about eager fetches), and a first request may come then.
  const platformFetch = globalThis.fetch;
  if (typeof options !== 'function') return companionFor(options, platformFetch);
  let companion: Companion<Context> | undefined;
  // Until it succeeds, every use reads the options again (and throws their problems again).
  const get = () => (companion ??= companionFor(options(), platformFetch));
  return {
    [HANDLE]: async (incoming) => get()[HANDLE](incoming),
    handler: async (request, context) => get().handler(request, context),
    provisionResource: async (userId, input) => get().provisionResource(userId, input),
    revokeCredentials: async (userId) => get().revokeCredentials(userId),
    check: async () => get().check(),
  };
}

function companionFor<Context>(options: CompanionOptions<Context>, platformFetch: typeof fetch): Companion<Context> {
  const resolved = resolveOptions(options);
  const { log, now, basePath, allowedOrigins } = resolved;
  const timekit = new TimekitClient(resolved.apiBase, resolved.app, resolved.appKey, log, resolved.maxTimekitCalls, resolved.fetch ?? platformFetch);
  const { mintsPerMinute, connectsPerMinute, relayWritesPerMinute, relaySyncsPerMinute } = resolved;
  const limits = new RateLimits(resolved.store, { mintsPerMinute, connectsPerMinute, relayWritesPerMinute, relaySyncsPerMinute, now });
  const core: CompanionServices = {
    options: resolved as CompanionServices['options'],
    timekit,
    signer: new Signer(resolved.secret),
    credentials: new CredentialCache(timekit, resolved.store, limits, { ttlMs: resolved.credentialTtlMs, now, log }),
    limits,
    nonces: new NonceMemory(),
    relayTokens: new RelayTokens(),
  };

  function failure(error: unknown, incoming: Incoming, path: string): Outgoing {
    if (error instanceof CompanionError) return errorResponse(error);
    if (error instanceof StoreUnavailableError) {
      log?.(`store unavailable in ${incoming.method} ${path}: ${error.message}`);
      return errorResponse(new CompanionError('store-unavailable', 'The companion cannot reach its database; try again shortly', { 'retry-after': '2' }));
    }
    // A bug or a failing host hook: the log says which, the browser only that it happened.
    log?.(`internal error in ${incoming.method} ${path}: ${(error as Error)?.stack ?? String(error)}`);
    return errorResponse(new CompanionError('internal', 'The companion failed; try again'));
  }

  const route = createRouting(core, failure);

  async function handle(incoming: Incoming): Promise<Outgoing> {
    const started = log ? performance.now() : 0;
    const target = incoming.target;
    const queryAt = target.indexOf('?');
    let path = queryAt < 0 ? target : target.slice(0, queryAt);
    // The host may or may not strip its mount path (Express and Hono's mount do).
    if (basePath !== '' && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length);
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    let out: Outgoing;
    try {
      out = await route(incoming, path, queryAt < 0 ? '' : target.slice(queryAt + 1));
    } catch (error) {
      out = failure(error, incoming, path);
    }
    if (log) log(`${incoming.method} ${basePath}${path} ${out.status}${out.code ? ` ${out.code}` : ''} ${(performance.now() - started).toFixed(1)}ms`);
    return out;
  }

  return {
    [HANDLE]: handle,
    async handler(request: Request, context?: Context): Promise<Response> {
      const url = new URL(request.url);
      const incoming: Incoming = {
        method: request.method,
        target: `${url.pathname}${url.search}`,
        header: (name) => request.headers.get(name),
        selfOrigin: () => url.origin,
        // fetch hosts hand over the full URL: nothing stripped
        mountPath: () => '',
        signal: request.signal,
        text: (limit) => readLimited(streamChunks(request.body), limit, request.headers.get('content-length')),
        request,
        context,
      };
      const out = await handle(incoming);
      // A copy: out.headers may be shared, and some hosts' Response stand-ins write into theirs.
      return new Response(out.body, { status: out.status, headers: { ...out.headers } });
    },
    provisionResource: (userId, input) => provisionResource(core, userId, input),
    async revokeCredentials(userId) {
      if (typeof userId !== 'string' || userId === '') throw new TypeError('revokeCredentials: userId must be a non-empty string');
      const record = await resolved.store.get(userId);
      return record ? core.credentials.revoke(record, allowedOrigins) : 0;
    },
    check: () => checkTimekit(timekit),
  };
}

/** One app-key call: it fails on a wrong `apiBase` (unreachable, or not Timekit's API) and on a refused key. */
async function checkTimekit(timekit: TimekitClient): Promise<void> {
  const where = `Timekit at ${timekit.apiBase}`;
  let answer;
  try {
    answer = await timekit.raw('GET', '/resources?limit=1', { app: true });
  } catch {
    throw new Error(`tk-companion: cannot reach ${where}: check apiBase (and that Timekit or the emulator is running)`);
  }
  if (answer.status === 401 || answer.status === 403) {
    throw new Error(`tk-companion: ${where} refused the app key (${answer.status}): check appKey, the app key of the app "${timekit.app}"`);
  }
  if (answer.status === 404 || !/^application\/json/i.test(answer.contentType ?? '')) {
    throw new Error(`tk-companion: no Timekit API at ${timekit.apiBase} (GET /resources answered ${answer.status}): check apiBase, e.g. ${DEFAULT_API_BASE}`);
  }
  if (answer.status >= 300) throw new Error(`tk-companion: ${where} answered ${answer.status} to the app key; try again, or check apiBase and appKey`);
}

async function* streamChunks(body: ReadableStream<Uint8Array> | null): AsyncIterable<Uint8Array> {
  if (body === null) return;
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

export { toNodeHandler, type NodeContext } from './node.js';
