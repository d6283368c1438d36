/**
 * Stateless signed tokens (connect nonces, relay session tokens): `base64url(json).base64url(mac)`,
 * HMAC-SHA256 with the companion's secret. Any instance holding the secret verifies them, so
 * nothing needs to live in one process's memory. The purpose is part of the MAC, so a nonce can
 * never pass as a relay token or the other way round.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeCanonical, MAC_BYTES } from './base64url.js';

/** `result`: the outcome a connect callback hands on to its result page (see connect.ts). */
export type Purpose = 'nonce' | 'relay' | 'result';

export class Signer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(secret, 'utf8');
  }

  private mac(purpose: Purpose, payload: string): Buffer {
    return createHmac('sha256', this.key).update(`tk-companion/${purpose}.${payload}`).digest();
  }

  sign(purpose: Purpose, claims: object): string {
    const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${payload}.${this.mac(purpose, payload).toString('base64url')}`;
  }

  /** The claims when the signature holds, else null. Checking expiry is the caller's job. */
  verify(purpose: Purpose, token: string): Record<string, unknown> | null {
    if (token.length > 4096) return null;
    const dot = token.indexOf('.');
    if (dot < 1) return null;
    const payload = token.slice(0, dot);
    // Only the spelling sign() produces: one token, one string (see base64url.ts).
    const given = decodeCanonical(token.slice(dot + 1), MAC_BYTES);
    if (given === null || !timingSafeEqual(given, this.mac(purpose, payload))) return null;
    const json = decodeCanonical(payload);
    if (json === null) return null;
    try {
      const claims: unknown = JSON.parse(json.toString('utf8'));
      return typeof claims === 'object' && claims !== null && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
}
