/**
 * Reading the host's login cookie so that a cookie planted by another host cannot stand in for it.
 *
 * A sibling subdomain (or, on plain http, any host of the same domain) can set a cookie of the
 * same name for the parent domain and a longer path such as `/google`. Browsers send it *before*
 * the user's own, so a reader that takes the first match signs the connect routes in as the
 * attacker while every other route still sees the user: her Google calendars would be stored
 * under the attacker (cookie tossing). A `__Host-` cookie cannot be set by another host, and a
 * request that carries the login more than once, under any prefix, is taken as nobody's.
 */

/** Prefixes browsers treat specially; a cookie named `<prefix><name>` is the login too. */
const PREFIXES = ['__host-', '__secure-'];

/** The name without a `__Host-`/`__Secure-` prefix, lower-cased (browsers match prefixes case-insensitively). */
function bareName(name: string): string {
  const lower = name.toLowerCase();
  const prefix = PREFIXES.find((p) => lower.startsWith(p));
  return prefix === undefined ? lower : lower.slice(prefix.length);
}

/**
 * The value of the login cookie `name` in a `Cookie` header: `__Host-<name>` (what an https host
 * should set: `Secure; Path=/`, no `Domain`), else plain `<name>` (for plain-http development).
 * Null when there is none, or when the header carries a cookie of that name more than once, with
 * or without a prefix: one of them was planted, and which one is not knowable, so nobody is
 * signed in.
 */
export function loginCookie(cookieHeader: string | null | undefined, name: string): string | null {
  if (!cookieHeader) return null;
  const wanted = name.toLowerCase();
  let found: { name: string; value: string } | null = null;
  for (const pair of cookieHeader.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const cookieName = pair.slice(0, eq).trim();
    if (bareName(cookieName) !== wanted) continue;
    if (found !== null) return null;
    found = { name: cookieName, value: pair.slice(eq + 1).trim() };
  }
  return found !== null && (found.name === `__Host-${name}` || found.name === name) ? found.value : null;
}
