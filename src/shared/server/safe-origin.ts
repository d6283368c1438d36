/** The origin a client addressed a server at, from its `Host` header, without letting the header inject anything. */

/** A host name, IPv4 or bracketed IPv6 address, with an optional port: nothing that could break out of a URL. */
const SAFE_HOST = /^[A-Za-z0-9.\-:[\]]+$/;

/**
 * `scheme://host` for the request's `Host` header, or `scheme://fallbackHost` when the header is
 * missing or holds anything but a plain host (it ends up in links and redirects).
 */
export function originFromHost(scheme: 'http' | 'https', host: string | undefined, fallbackHost: string): string {
  return `${scheme}://${host && SAFE_HOST.test(host) ? host : fallbackHost}`;
}
