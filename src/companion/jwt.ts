/**
 * Host-user authentication for the standalone server: a short-lived HS256 JWT that the host app
 * signs with a shared secret (`sub` = its user id), sent as `Authorization: Bearer <jwt>` or in
 * the `__Host-tk_companion_jwt` cookie (`tk_companion_jwt` on plain-http development; navigations
 * such as the connect popup carry only cookies; see login-cookie.ts for why the prefix matters).
 *
 * node:crypto rather than a JWT library: the server accepts exactly one algorithm with one
 * symmetric key, which leaves none of the pitfalls a general verifier exists for (`alg: none`,
 * algorithm confusion, key lookup), and a synchronous HMAC keeps the session hot path lean.
 * The tests check interoperability against `jose`, the library hosts are most likely to sign with.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { decodeCanonical, MAC_BYTES } from './base64url.js';
import type { CompanionRequest } from './http.js';
import { loginCookie } from './login-cookie.js';

export const JWT_COOKIE = 'tk_companion_jwt';
/** Tokens may live at most this long (`exp - iat`, or `exp - now` without `iat`): they are meant to be short-lived. */
const MAX_LIFETIME_S = 24 * 3600;
const CLOCK_SKEW_S = 30;

/**
 * What the host's tokens must also say, when it signs them for more than the companion with the
 * same secret: without these, any HS256 token it issues for another purpose is a companion login.
 */
export interface JwtExpectations {
  /** Required `aud`: the token's `aud` (a string or a list) must name it. */
  audience?: string;
  /** Required `iss`: the token's `iss` must equal it. */
  issuer?: string;
}

function decodeJson(part: string): Record<string, unknown> | null {
  const bytes = decodeCanonical(part);
  if (bytes === null) return null;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The `sub` of a valid token, else null. `nowMs` is the verifier's clock. */
export function verifyHs256(token: string, secret: string, nowMs: number, expect: JwtExpectations = {}): string | null {
  if (token.length > 4096) return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = decodeJson(headerPart);
  if (header === null || header.alg !== 'HS256' || header.crit !== undefined) return null;
  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest();
  // Only the one spelling of the signature (see base64url.ts), so a token has exactly one form.
  const given = decodeCanonical(signaturePart, MAC_BYTES);
  if (given === null || !timingSafeEqual(given, expected)) return null;
  const claims = decodeJson(payloadPart);
  if (claims === null) return null;
  const now = nowMs / 1000;
  const { sub, exp, nbf, iat } = claims;
  if (typeof sub !== 'string' || sub === '' || typeof exp !== 'number') return null;
  if (exp <= now - CLOCK_SKEW_S) return null;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + CLOCK_SKEW_S)) return null;
  if (iat !== undefined && (typeof iat !== 'number' || iat > now + CLOCK_SKEW_S)) return null;
  if (exp - (typeof iat === 'number' ? iat : now) > MAX_LIFETIME_S) return null;
  if (expect.issuer !== undefined && claims.iss !== expect.issuer) return null;
  if (expect.audience !== undefined) {
    const { aud } = claims;
    const audiences = Array.isArray(aud) ? aud : [aud];
    if (!audiences.includes(expect.audience)) return null;
  }
  return sub;
}

/** Signs a token (for tests and development tools; the host app normally signs). */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The JWT a request carries: the Bearer token, else the login cookie (none when it comes twice). */
function tokenFrom(request: CompanionRequest): string | null {
  const authorization = request.headers.get('authorization');
  if (authorization?.startsWith('Bearer ')) return authorization.slice(7).trim();
  return loginCookie(request.headers.get('cookie'), JWT_COOKIE);
}

/** An `authenticate` hook for HS256 JWTs signed with `secret` (and naming `expect`'s audience and issuer, when given). */
export function jwtAuthenticator(secret: string, now: () => number = Date.now, expect: JwtExpectations = {}) {
  return (request: CompanionRequest): string | null => {
    const token = tokenFrom(request);
    return token === null ? null : verifyHs256(token, secret, now(), expect);
  };
}
