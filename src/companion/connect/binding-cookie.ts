/**
 * The cookie that binds a connect round trip to the browser that started it: one per round trip,
 * named after the start of its hash (so connects in several tabs do not undo each other), holding
 * the whole hash of the nonce's id. On https it is `__Host-tk_connect_…` (Secure, Path=/, no
 * Domain), so no sibling subdomain can plant or overwrite it. The `__Host-` prefix requires
 * `Secure`, and on plain http browsers differ on whether a Secure cookie may be set at all
 * (Chromium and Firefox allow it on localhost only, WebKit not even there; 127.0.0.1 varies), so on
 * http (loopback development, the tests, the demo) the same cookie goes without the prefix or `Secure`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

const nonceHash = (id: string) => createHash('sha256').update(id).digest('base64url');

/** `base`: the companion's base URL the round trip's callback goes to (its scheme picks the cookie's form). */
function cookieName(base: string, hash: string): string {
  return `${base.startsWith('https:') ? '__Host-' : ''}tk_connect_${hash.slice(0, 16)}`;
}

function serialize(base: string, hash: string, value: string, maxAgeSeconds: number): string {
  const secure = base.startsWith('https:') ? '; Secure' : '';
  return `${cookieName(base, hash)}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

/** The `Set-Cookie` value that binds nonce `id` to this browser for `maxAgeSeconds`. */
export function setBindingCookie(base: string, id: string, maxAgeSeconds: number): string {
  const hash = nonceHash(id);
  return serialize(base, hash, hash, maxAgeSeconds);
}

/** The `Set-Cookie` value that clears nonce `id`'s binding cookie. */
export function clearBindingCookie(base: string, id: string): string {
  return serialize(base, nonceHash(id), '', 0);
}

/** True when the `Cookie` header carries the binding cookie of nonce `id` (any of several same-named ones). */
export function carriesBindingCookie(cookieHeader: string | null, base: string, id: string): boolean {
  const hash = nonceHash(id);
  const name = cookieName(base, hash);
  const expected = Buffer.from(hash);
  for (const pair of (cookieHeader ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 1 || pair.slice(0, eq).trim() !== name) continue;
    const given = Buffer.from(pair.slice(eq + 1).trim());
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}
