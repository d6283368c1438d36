/**
 * Stateless signed tokens (connect nonces, connect results, relay session tokens):
 * `base64url(json).base64url(mac)`, HMAC-SHA256 with the companion's secret. Any instance holding
 * the secret verifies them, so nothing needs to live in one process's memory. The purpose is part
 * of the MAC, so a nonce can never pass as a relay token or the other way round. Each purpose has
 * its claims as a named type, signed and read back through the pair of functions below it, which
 * keep the one-letter keys on the wire (tokens travel in URLs) out of the routes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { TkConnectMessage } from '../shared/companion-protocol.js';
import type { TimekitAccount } from '../shared/timekit.js';
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

/** The calendar providers Timekit connects, as they appear in its signup paths and ours. */
export type ConnectProvider = TimekitAccount['provider'];

type Claims = Record<string, unknown>;
const isString = (value: unknown): value is string => typeof value === 'string';
const isStringOrNull = (value: unknown): value is string | null => value === null || typeof value === 'string';

/** A connect round trip's nonce: who started it, where its outcome goes, and until when. */
export interface NonceClaims {
  /** Random; burnt on use, and hashed into the binding cookie. */
  id: string;
  userId: string;
  /** The page origin that started the round trip. */
  origin: string;
  /** Redirect mode's way back; null in popup mode. */
  returnTo: string | null;
  /** The element's one-time state, echoed back. */
  state: string | null;
  /** The companion's base URL the callback went to. */
  base: string;
  provider: ConnectProvider;
  /** Epoch ms. */
  expiresAt: number;
}

export function signNonce(signer: Signer, nonce: NonceClaims): string {
  const { id: n, userId: u, origin: o, returnTo: r, state: s, base: b, provider: p, expiresAt: e } = nonce;
  return signer.sign('nonce', { n, u, o, r, s, b, p, e });
}

/** The nonce when signed and well-formed, else null. Checking origin and expiry is the caller's job. */
export function verifyNonce(signer: Signer, token: string): NonceClaims | null {
  const claims: Claims | null = signer.verify('nonce', token);
  if (claims === null) return null;
  // A nonce signed before there was a provider (Google's only) names none.
  const { n, u, o, r, s, b, p = 'google', e } = claims;
  if (!isString(n) || !isString(u) || !isString(o) || !isStringOrNull(r) || !isStringOrNull(s) || !isString(b) || !isString(p) || typeof e !== 'number') {
    return null;
  }
  return { id: n, userId: u, origin: o, returnTo: r, state: s, base: b, provider: p as ConnectProvider, expiresAt: e };
}

/** A connect outcome on its way from the callback to the popup's result page. */
export interface ResultClaims {
  /** The page origin the result page answers. */
  target: string;
  provider: ConnectProvider;
  message: TkConnectMessage;
  /** The result page's HTTP status. */
  status: number;
  /** Epoch ms. */
  expiresAt: number;
}

export function signResult(signer: Signer, result: ResultClaims): string {
  const { target: t, provider: p, message: m, status: s, expiresAt: e } = result;
  return signer.sign('result', { t, p, m, s, e });
}

/** The outcome when signed and well-formed, else null. Checking expiry is the caller's job. */
export function verifyResult(signer: Signer, token: string): ResultClaims | null {
  const claims: Claims | null = signer.verify('result', token);
  if (claims === null) return null;
  const { t, p = 'google', m, s, e } = claims;
  if (!isString(t) || !isString(p) || typeof m !== 'object' || m === null || typeof s !== 'number' || typeof e !== 'number') return null;
  return { target: t, provider: p as ConnectProvider, message: m as TkConnectMessage, status: s, expiresAt: e };
}

/** A relay session token: whose resource it reaches, from which page origin, and until when. */
export interface RelayClaims {
  userId: string;
  resourceId: string;
  origin: string;
  /** Epoch ms. */
  expiresAt: number;
}

export function signRelayToken(signer: Signer, relay: RelayClaims): string {
  const { userId: u, resourceId: r, origin: o, expiresAt: e } = relay;
  return signer.sign('relay', { u, r, o, e });
}

/** The token's claims when signed and well-formed, else null. Checking origin and expiry is the caller's job. */
export function verifyRelayToken(signer: Signer, token: string): RelayClaims | null {
  const claims: Claims | null = signer.verify('relay', token);
  if (claims === null) return null;
  const { u, r, o, e } = claims;
  if (!isString(u) || !isString(r) || !isString(o) || typeof e !== 'number') return null;
  return { userId: u, resourceId: r, origin: o, expiresAt: e };
}
