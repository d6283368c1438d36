/** HS256 host-user tokens: interoperable with `jose`, and strict about everything else. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { jwtAuthenticator, signHs256, verifyHs256 } from '../../../src/companion/jwt.js';
import { loginCookie } from '../../../src/companion/login-cookie.js';

const SECRET = 'jwt-secret-0123456789-abcdefghijklmnopqrstuv';
const key = new TextEncoder().encode(SECRET);
const now = Date.now();
const seconds = Math.floor(now / 1000);

const signed = (claims: Record<string, unknown>, alg = 'HS256', secret = key) =>
  new SignJWT(claims).setProtectedHeader({ alg }).sign(secret);

describe('HS256 JWT', () => {
  it('accepts a short-lived token signed by jose, and answers its sub', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('user-42').setIssuedAt().setExpirationTime('5m').sign(key);
    assert.equal(verifyHs256(token, SECRET, now), 'user-42');
    assert.equal(verifyHs256(signHs256({ sub: 'u', exp: seconds + 60 }, SECRET), SECRET, now), 'u');
  });

  it('refuses other keys, other algorithms, unsigned tokens and tampering', async () => {
    assert.equal(verifyHs256(await signed({ sub: 'u', exp: seconds + 60 }, 'HS256', new TextEncoder().encode('x'.repeat(40))), SECRET, now), null);
    assert.equal(verifyHs256(await signed({ sub: 'u', exp: seconds + 60 }, 'HS512'), SECRET, now), null);
    assert.equal(verifyHs256(new UnsecuredJWT({ sub: 'u', exp: seconds + 60 }).encode(), SECRET, now), null);
    const token = await signed({ sub: 'u', exp: seconds + 60 });
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'admin', exp: seconds + 60 })).toString('base64url');
    assert.equal(verifyHs256(`${header}.${payload}.${signature}`, SECRET, now), null);
    assert.equal(verifyHs256('a.b', SECRET, now), null);
    assert.equal(verifyHs256('', SECRET, now), null);
  });

  it('refuses expired, not-yet-valid, long-lived, exp-less and sub-less tokens', async () => {
    assert.equal(verifyHs256(await signed({ sub: 'u', exp: seconds - 120 }), SECRET, now), null);
    assert.equal(verifyHs256(await signed({ sub: 'u', exp: seconds + 600, nbf: seconds + 300 }), SECRET, now), null);
    assert.equal(verifyHs256(await signed({ sub: 'u', iat: seconds, exp: seconds + 30 * 24 * 3600 }), SECRET, now), null);
    assert.equal(verifyHs256(await signed({ sub: 'u' }), SECRET, now), null);
    assert.equal(verifyHs256(await signed({ exp: seconds + 60 }), SECRET, now), null);
    assert.equal(verifyHs256(await signed({ sub: 7, exp: seconds + 60 }), SECRET, now), null);
  });

  it('accepts the signature only in its one canonical spelling (no skipped characters, padding or stray bits)', async () => {
    const token = await signed({ sub: 'u', exp: seconds + 60 });
    assert.equal(verifyHs256(token, SECRET, now), 'u');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // The last of 43 characters carries 2 unused bits: flipping the lowest decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const flipped = `${signature.slice(0, -1)}${alphabet[alphabet.indexOf(signature.at(-1)!) ^ 1]}`;
    assert.deepEqual(Buffer.from(flipped, 'base64url'), Buffer.from(signature, 'base64url'));
    for (const variant of [`${token}$$$`, `${token}==`, `${token}~`, `${header}.${payload}.${flipped}`, `${header}.${payload}=.${signature}`, `${header}=.${payload}.${signature}`]) {
      assert.equal(verifyHs256(variant, SECRET, now), null, variant);
    }
  });

  it('checks aud and iss when asked to: a token the host signed for something else is no companion login', async () => {
    const expect = { audience: 'tk-companion', issuer: 'https://app.example.com' };
    const base = { sub: 'u', exp: seconds + 60 };
    assert.equal(verifyHs256(await signed({ ...base, aud: 'tk-companion', iss: 'https://app.example.com' }), SECRET, now, expect), 'u');
    assert.equal(verifyHs256(await signed({ ...base, aud: ['other', 'tk-companion'], iss: 'https://app.example.com' }), SECRET, now, expect), 'u');
    for (const claims of [
      base,
      { ...base, aud: 'tk-companion' },
      { ...base, iss: 'https://app.example.com' },
      { ...base, aud: 'password-reset', iss: 'https://app.example.com' },
      { ...base, aud: 'tk-companion', iss: 'https://evil.example' },
      { ...base, aud: ['tk-companion-x'], iss: 'https://app.example.com' },
    ]) {
      assert.equal(verifyHs256(await signed(claims), SECRET, now, expect), null, JSON.stringify(claims));
    }
    // Without expectations, aud and iss are not looked at.
    assert.equal(verifyHs256(await signed({ ...base, aud: 'anything' }), SECRET, now), 'u');
    const authenticate = jwtAuthenticator(SECRET, () => now, { audience: 'tk-companion' });
    const request = (token: string) => new Request('http://x.test/session', { headers: { authorization: `Bearer ${token}` } });
    assert.equal(authenticate(request(await signed({ ...base, aud: 'tk-companion' }))), 'u');
    assert.equal(authenticate(request(await signed(base))), null);
  });

  it('reads the token from Authorization: Bearer, else from the tk_companion_jwt cookie', async () => {
    const authenticate = jwtAuthenticator(SECRET, () => now);
    const token = await signed({ sub: 'u', exp: seconds + 60 });
    const request = (headers: Record<string, string>) => new Request('http://x.test/session', { headers });
    assert.equal(authenticate(request({ authorization: `Bearer ${token}` })), 'u');
    assert.equal(authenticate(request({ cookie: `other=1; tk_companion_jwt=${token}; more=2` })), 'u');
    assert.equal(authenticate(request({ cookie: 'tk_companion_jwt=' })), null);
    assert.equal(authenticate(request({})), null);
  });

  it('reads the __Host- login cookie, and signs nobody in when the login cookie comes more than once (cookie tossing)', async () => {
    const authenticate = jwtAuthenticator(SECRET, () => now);
    const bob = await signed({ sub: 'bob', exp: seconds + 60 });
    const mallory = await signed({ sub: 'mallory', exp: seconds + 60 });
    const withCookie = (cookie: string) => authenticate(new Request('http://x.test/google/start', { headers: { cookie } }));
    assert.equal(withCookie(`__Host-tk_companion_jwt=${bob}`), 'bob');
    // A sibling subdomain's cookie for a longer path comes first; any second login, whatever its prefix or case, is refused.
    for (const planted of ['tk_companion_jwt', '__Host-tk_companion_jwt', '__Secure-tk_companion_jwt', '__HOST-tk_companion_jwt', 'TK_COMPANION_JWT']) {
      assert.equal(withCookie(`${planted}=${mallory}; __Host-tk_companion_jwt=${bob}`), null, planted);
      assert.equal(withCookie(`${planted}=${mallory}; tk_companion_jwt=${bob}`), null, planted);
    }
    // Only the two names are read: a prefix the host does not set is not a login.
    assert.equal(withCookie(`__Secure-tk_companion_jwt=${bob}`), null);
    // The Bearer header cannot be planted by another site, and wins.
    assert.equal(authenticate(new Request('http://x.test/session', { headers: { authorization: `Bearer ${bob}`, cookie: `tk_companion_jwt=${mallory}` } })), 'bob');
  });
});

describe('loginCookie (for hosts with their own authenticate)', () => {
  it('answers the __Host- cookie or the plain one, and null for none, a prefix-only match or a repeat', () => {
    assert.equal(loginCookie('a=1; __Host-sid=abc; b=2', 'sid'), 'abc');
    assert.equal(loginCookie('sid=abc', 'sid'), 'abc');
    assert.equal(loginCookie('sidx=abc; xsid=1', 'sid'), null);
    assert.equal(loginCookie(null, 'sid'), null);
    assert.equal(loginCookie('sid=mallory; sid=bob', 'sid'), null);
    assert.equal(loginCookie('sid=mallory; __Host-sid=bob', 'sid'), null);
    assert.equal(loginCookie('__secure-sid=mallory; __Host-sid=bob', 'sid'), null);
  });
});
