/** What the route modules share: resolved options, the Timekit client, the signer, the caches. */
import type { CredentialCache } from './credentials.js';
import type { Incoming } from './http.js';
import type { RateLimits } from './limits.js';
import type { ResolvedOptions } from './options.js';
import type { Signer } from './signing.js';
import type { NonceMemory } from './store.js';
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
}

/** The companion's absolute base URL as browsers reach it, e.g. `https://app.example.com/timekit`. */
export function selfBase(core: Core, incoming: Incoming): string {
  return core.options.publicUrl ?? `${incoming.selfOrigin()}${core.options.basePath}`;
}

/** Asks the host who is signed in; anything but a non-empty string means nobody. */
export async function currentUser(core: Core, incoming: Incoming): Promise<string | null> {
  const user = await core.options.authenticate(incoming.request, incoming.context);
  return typeof user === 'string' && user !== '' ? user : null;
}
