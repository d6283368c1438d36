/**
 * What keeps a laptop's emulator to itself: secrets compared in constant time, random keys per
 * run, the consent form's CSRF token, and which origins count as this machine.
 */
import crypto from 'node:crypto';

/** A random URL-safe secret (`bytes` of entropy). */
export const randomSecret = (bytes = 24) => crypto.randomBytes(bytes).toString('base64url');

/**
 * Compares two secrets in time that depends on neither: both are hashed to 32 bytes first, so
 * not even their lengths leak through timing.
 */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}

/**
 * The consent form's CSRF token: an HMAC, under a key that lives only in this process, of the app,
 * the callback, an expiry and a random nonce. A page on another site cannot read the consent page,
 * so it cannot post a form with a token for the callback of its choice. Each page gets its own
 * token, and each token answers one form only.
 */
export class ConsentTokens {
  private readonly key = crypto.randomBytes(32);
  /** The tokens of forms already answered, with their expiry (ms), until then. */
  private readonly spent = new Map<string, number>();

  constructor(private readonly lifetimeMs = 60 * 60_000) {}

  issue(app: string, callback: string, now: Date): string {
    const expires = Math.floor((now.getTime() + this.lifetimeMs) / 1000);
    const nonce = randomSecret(12);
    return `${expires}.${nonce}.${this.mac(app, callback, expires, nonce)}`;
  }

  check(token: string | null, app: string, callback: string, now: Date): boolean {
    const match = /^(\d{1,12})\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/.exec(token ?? '');
    if (!match) return false;
    const expires = Number(match[1]);
    // Compare before looking at the expiry, so an old token costs the same as a wrong one.
    const genuine = sameSecret(match[3]!, this.mac(app, callback, expires, match[2]!));
    return genuine && expires * 1000 > now.getTime() && !this.spent.has(token!);
  }

  /** Marks a checked token as used: the same form cannot be answered twice. */
  spend(token: string, now: Date): void {
    for (const [old, expiresMs] of this.spent) if (expiresMs <= now.getTime()) this.spent.delete(old);
    this.spent.set(token, Number(token.split('.')[0]) * 1000);
  }

  private mac(app: string, callback: string, expires: number, nonce: string): string {
    return crypto.createHmac('sha256', this.key).update(`${app}\n${callback}\n${expires}\n${nonce}`).digest('base64url');
  }
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 and `[::1]`: names that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === '::1';
}

/** An http(s) origin on a loopback host, any port. */
export function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/**
 * Normalises an origin given on the command line or as an option (`https://app.example.com/` →
 * `https://app.example.com`); throws a message a developer can act on when it is not one.
 */
export function normaliseOrigin(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} must be an origin such as http://app.test:5173, not "${value}"`);
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== value.replace(/\/$/, '')) {
    throw new Error(`${what} must be an origin such as http://app.test:5173 (scheme, host and port only), not "${value}"`);
  }
  return url.origin;
}
