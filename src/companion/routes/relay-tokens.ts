/**
 * The relay's session tokens: signed, one per user, resource and origin, handed out by `POST
 * /session` and checked by every relay call, which also makes sure the user still has that resource.
 */
import { setBounded } from '../bounded-map.js';
import { recordOf, type CompanionServices } from '../core.js';
import { formatTimestamp, RENEW_FRACTION, type WidgetCredential } from '../credential-cache.js';
import { unauthenticated } from '../http.js';
import { signRelayToken, type RelayClaims } from '../signing.js';
import type { TimekitRecord } from '../stores/contract.js';

/** The record a relay token was issued for, while the user still has that resource. */
export async function currentRecordFor(core: CompanionServices, claims: RelayClaims): Promise<TimekitRecord> {
  const record = await recordOf(core, claims.userId);
  if (!record || record.resourceId !== claims.resourceId) throw unauthenticated('This session is no longer valid; ask for a new one');
  return record;
}

const MAX_RELAY_TOKENS = 10_000;

/**
 * Signed relay tokens, one per user, resource and origin, handed out again until three quarters
 * of their life are spent, like the widget credential they travel with: signing one per session
 * request would halve the hot path's throughput. A token never outlives its widget credential, so
 * one refresh renews both.
 */
export class RelayTokens {
  private readonly entries = new Map<string, { token: string; expires: string; renewAt: number; credentialId: string }>();

  get(core: CompanionServices, userId: string, resourceId: string, origin: string, credential: WidgetCredential): { token: string; expires: string } {
    const key = JSON.stringify([userId, resourceId, origin]);
    const now = core.options.now();
    const hit = this.entries.get(key);
    if (hit && hit.credentialId === credential.id && now < hit.renewAt) return hit;
    const claims: RelayClaims = { userId, resourceId, origin, expiresAt: Math.min(now + core.options.credentialTtlMs, credential.expiresAt) };
    const entry = {
      token: signRelayToken(core.signer, claims),
      expires: formatTimestamp(claims.expiresAt),
      renewAt: now + (claims.expiresAt - now) * RENEW_FRACTION,
      credentialId: credential.id,
    };
    setBounded(this.entries, key, entry, MAX_RELAY_TOKENS);
    return entry;
  }
}
