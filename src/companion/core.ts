/** What the route modules share: resolved options, the Timekit client, the signer, the caches. */
import type { CredentialCache } from './credential-cache.js';
import { CompanionError } from './errors.js';
import type { Incoming } from './http.js';
import type { RateLimits } from './limits.js';
import type { ResolvedOptions } from './options.js';
import type { Signer } from './signing.js';
import type { RelayTokens } from './routes/relay-tokens.js';
import { TamperedRowError, type TimekitRecord } from './stores/contract.js';
import type { NonceMemory } from './stores/memory.js';
import type { TimekitClient } from './timekit.js';

/** @internal The lean entry the node:http adapter calls, without building a `Request`. */
export const HANDLE = Symbol('tk-companion.handle');

/** The services every route shares (the `core` argument): options, Timekit client, signer, caches, limits. */
export interface CompanionServices {
  options: ResolvedOptions<unknown>;
  timekit: TimekitClient;
  signer: Signer;
  credentials: CredentialCache;
  /** Per-user limits on mints and connect starts (shared through the store when it can count). */
  limits: RateLimits;
  /** Burns nonces when the store cannot (see `CompanionStore.consumeNonce`). */
  nonces: NonceMemory;
  /** Signed relay tokens, reused like the widget credential they travel with (see routes/relay-tokens.ts). */
  relayTokens: RelayTokens;
}

/** The path the host mounted the companion under: what Express or Connect stripped, else `basePath`. */
const mountPathOf = (core: CompanionServices, incoming: Incoming) => incoming.mountPath() || core.options.basePath;

/**
 * The companion's absolute base URL as browsers reach it, e.g. `https://app.example.com/timekit`:
 * `publicUrl`, else this request's origin and the path the host mounted the companion under.
 */
function selfBase(core: CompanionServices, incoming: Incoming): string {
  return core.options.publicUrl ?? `${incoming.selfOrigin()}${mountPathOf(core, incoming)}`;
}

/**
 * Where the browser sends relay calls: `publicUrl`'s `/api/v2` when set, else only the path
 * (`/timekit/api/v2`), which the session resolves against the endpoint it reached the companion
 * at. Never from the request's Host: a proxy or a framework may report one that browsers cannot
 * reach (Astro without `allowedDomains` says `localhost`).
 */
export function relayBase(core: CompanionServices, incoming: Incoming): string {
  return `${core.options.publicUrl ?? mountPathOf(core, incoming)}/api/v2`;
}

/**
 * Where Timekit sends the browser back to, with the provider's full resource token in the query:
 * always the companion itself, never a place the page chooses. That is `publicUrl` when set, else
 * the companion's own mount path on the origin this request arrived on or, behind a same-origin
 * proxy that rewrites `Host` (Vite's `changeOrigin`, Next's `request.url`), on the page's own
 * origin. `endpoint`, the companion URL the element uses, picks between those two origins and
 * must otherwise name exactly that base: any other path or origin (a redirector on another
 * allowed origin) is refused. The result is signed into the nonce.
 */
export function callbackBase(core: CompanionServices, incoming: Incoming, endpoint: string | null, pageOrigin: string): string {
  const own = selfBase(core, incoming);
  if (endpoint === null) return own;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CompanionError('invalid', 'endpoint must be the absolute URL of the companion');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new CompanionError('invalid', 'endpoint must be a plain http(s) URL, without credentials, query or fragment');
  }
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  if (core.options.publicUrl !== null) {
    if (base === own) return own;
  } else {
    const path = mountPathOf(core, incoming);
    if (base === own || base === `${pageOrigin}${path}`) return base;
  }
  core.options.log?.(`connect start: the page reaches the companion at ${base}, not at ${own}; set publicUrl (or basePath) to the URL pages use`);
  throw new CompanionError(
    'endpoint-mismatch',
    `The page reaches the companion at ${base}, but it is mounted at ${own}: set the companion's publicUrl (or basePath) to the URL pages use, or <tk-session endpoint> to the companion`,
  );
}

/**
 * A user id the stores can key on: a non-empty, well-formed string without NUL. PostgreSQL (and
 * `Buffer.from`) turn a lone surrogate into U+FFFD, so `a\ud800` and `a\ufffd` would share a
 * record, and it refuses NUL outright.
 */
export function isUserId(value: unknown): value is string {
  return typeof value === 'string' && value !== '' && value.isWellFormed() && !value.includes('\0');
}

/** Asks the host who is signed in; anything but a valid user id (see `isUserId`) means nobody. */
export async function currentUser(core: CompanionServices, incoming: Incoming): Promise<string | null> {
  const user = await core.options.authenticate(incoming.request, incoming.context);
  return isUserId(user) ? user : null;
}

/**
 * The user's record from the store. A row that fails the store's integrity check (edited in the
 * database without the secret) counts as none: the user is not connected, a new connect replaces
 * it, and the log says so; it must not hand out anything, nor fail every request of that user.
 */
export async function recordOf(core: CompanionServices, userId: string): Promise<TimekitRecord | null> {
  try {
    return (await core.options.store.get(userId)) ?? null;
  } catch (error) {
    if (!(error instanceof TamperedRowError)) throw error;
    core.options.log?.(`the stored record of user ${JSON.stringify(userId)} fails its integrity check (edited in the database?); treated as not connected: ${error.message}`);
    return null;
  }
}
