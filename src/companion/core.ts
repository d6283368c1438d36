/** What the route modules share: resolved options, the Timekit client, the signer, the caches. */
import type { CredentialCache } from './credentials.js';
import { CompanionError, type Incoming } from './http.js';
import type { RateLimits } from './limits.js';
import type { ResolvedOptions } from './options.js';
import type { Signer } from './signing.js';
import type { RelayTokens } from './session-route.js';
import { TamperedRowError, type NonceMemory, type TimekitRecord } from './store.js';
import type { TimekitClient } from './timekit.js';

/** @internal The lean entry the node:http adapter calls, without building a `Request`. */
export const HANDLE = Symbol('tk-companion.handle');

export interface Core {
  options: ResolvedOptions<unknown>;
  timekit: TimekitClient;
  signer: Signer;
  credentials: CredentialCache;
  /** Per-user limits on mints and connect starts (shared through the store when it can count). */
  limits: RateLimits;
  /** Burns nonces when the store cannot (see `CompanionStore.consumeNonce`). */
  nonces: NonceMemory;
  /** Signed relay tokens, reused like the widget credential they travel with (see session-route.ts). */
  relayTokens: RelayTokens;
}

/**
 * The companion's absolute base URL as browsers reach it, e.g. `https://app.example.com/timekit`:
 * `publicUrl`, else this request's origin and the path the host mounted the companion under (what
 * Express or Connect stripped, else `basePath`).
 */
export function selfBase(core: Core, incoming: Incoming): string {
  return core.options.publicUrl ?? `${incoming.selfOrigin()}${incoming.mountPath() || core.options.basePath}`;
}

/**
 * Where Timekit sends the browser back to: under `publicUrl` when it is set, else under
 * `endpoint`, the companion URL the element itself uses, which survives what a proxy or a
 * framework does to `Host` (Vite's `changeOrigin`, Next's `request.url`). The element's word is
 * taken only for an origin the companion trusts (an allowed page origin, or the one this request
 * arrived on), and the result is signed into the nonce, so nobody can point Timekit elsewhere.
 */
export function callbackBase(core: Core, incoming: Incoming, endpoint: string | null): string {
  if (core.options.publicUrl !== null || endpoint === null) return selfBase(core, incoming);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new CompanionError('invalid', 'endpoint must be the absolute URL of the companion');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '') {
    throw new CompanionError('invalid', 'endpoint must be a plain http(s) URL, without credentials, query or fragment');
  }
  if (!core.options.allowedOrigins.has(url.origin) && url.origin !== incoming.selfOrigin()) {
    core.options.log?.(`google/start: the page reaches the companion at ${url.origin}, which is neither an allowed origin nor this request's; set publicUrl`);
    throw new CompanionError(
      'origin-not-allowed',
      `The companion does not know itself as ${url.origin}: set its publicUrl to the URL pages use to reach it`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** Asks the host who is signed in; anything but a non-empty string means nobody. */
export async function currentUser(core: Core, incoming: Incoming): Promise<string | null> {
  const user = await core.options.authenticate(incoming.request, incoming.context);
  return typeof user === 'string' && user !== '' ? user : null;
}

/**
 * The user's record from the store. A row that fails the store's integrity check (edited in the
 * database without the secret) counts as none: the user is not connected, a new connect replaces
 * it, and the log says so; it must not hand out anything, nor fail every request of that user.
 */
export async function recordOf(core: Core, userId: string): Promise<TimekitRecord | null> {
  try {
    return (await core.options.store.get(userId)) ?? null;
  } catch (error) {
    if (!(error instanceof TamperedRowError)) throw error;
    core.options.log?.(`the stored record of user ${JSON.stringify(userId)} fails its integrity check (edited in the database?); treated as not connected: ${error.message}`);
    return null;
  }
}
