/** HTTP Basic authentication, as Timekit takes it: the app key (empty user), or a resource's email and token. */

/** The `Authorization` header value for `user` and `password`. */
export function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** The user and password of a Basic `Authorization` header, or null when it is none or malformed. */
export function parseBasicAuthorization(authorization: string): { user: string; password: string } | null {
  const match = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
