/**
 * The server helpers the companion and the emulator share (src/shared/server/): the route
 * table's router, HTML escaping, the Host → origin check, the bounded body reader and Basic auth.
 * Each is also covered through the servers' own suites; these pin down the parts only one uses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { basicAuthorization, parseBasicAuthorization } from '../../../src/shared/server/basic-auth.js';
import { escapeHtml } from '../../../src/shared/server/escape-html.js';
import { readBody } from '../../../src/shared/server/read-body.js';
import { Router } from '../../../src/shared/server/router.js';
import { originFromHost } from '../../../src/shared/server/safe-origin.js';

async function* chunksOf(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

async function* failingAfter(part: string): AsyncIterable<Uint8Array> {
  yield Buffer.from(part);
  throw new Error('socket hang up');
}

/** The parameters of a match for the method, else null. */
function paramsOf(match: ReturnType<Router<{ method: string; pattern: string }>['match']>): Record<string, string> | null {
  return match !== null && 'params' in match ? match.params : null;
}

describe('Router', () => {
  const router = new Router([
    { method: 'GET', pattern: '/calendars/:id' },
    { method: 'PUT', pattern: '/calendars/:id' },
    { method: 'GET', pattern: '/google/callback/:nonce?' },
    { method: '*', pattern: '/api/v2/*' },
  ]);

  it('matches a parameter, and answers the allowed methods and their routes for another method', () => {
    assert.deepEqual(router.match('PUT', '/calendars/abc'), { route: { method: 'PUT', pattern: '/calendars/:id' }, params: { id: 'abc' } });
    const mismatch = router.match('DELETE', '/calendars/abc');
    assert.ok(mismatch !== null && 'allowed' in mismatch);
    assert.deepEqual(mismatch.allowed, ['GET', 'PUT']);
    assert.deepEqual(
      mismatch.routes.map((route) => route.pattern),
      ['/calendars/:id', '/calendars/:id'],
    );
    assert.equal(router.match('GET', '/calendars'), null, 'a required parameter cannot be missing');
  });

  it('takes an optional last parameter as missing or empty', () => {
    for (const path of ['/google/callback', '/google/callback/']) {
      assert.deepEqual(router.match('GET', path), { route: { method: 'GET', pattern: '/google/callback/:nonce?' }, params: { nonce: '' } }, path);
    }
    assert.deepEqual(paramsOf(router.match('GET', '/google/callback/n.m')), { nonce: 'n.m' });
    assert.equal(router.match('GET', '/google/callback/n/more'), null);
  });

  it('takes the rest of the path for *, with any method', () => {
    assert.deepEqual(router.match('DELETE', '/api/v2/calendars/x'), { route: { method: '*', pattern: '/api/v2/*' }, params: { '*': 'calendars/x' } });
    assert.deepEqual(paramsOf(router.match('OPTIONS', '/api/v2')), { '*': '' });
    assert.equal(router.match('GET', '/api/v2x'), null);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters that could leave text or a quoted attribute', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;&#60;/a&#62;');
  });
});

describe('originFromHost', () => {
  it('keeps a plain host and port, IPv6 included, on the scheme given', () => {
    assert.equal(originFromHost('https', 'app.test:8443', 'localhost'), 'https://app.test:8443');
    assert.equal(originFromHost('http', '[::1]:80', 'localhost'), 'http://[::1]:80');
  });

  it('falls back for a missing Host or one that could inject into a URL', () => {
    for (const host of [undefined, '', 'evil.test/path', 'a@b', 'x y', 'evil.test#']) {
      assert.equal(originFromHost('http', host, '127.0.0.1'), 'http://127.0.0.1', String(host));
    }
  });
});

describe('readBody', () => {
  const limit = { bytes: 8, tooLarge: () => new RangeError('too large'), cutOff: () => new SyntaxError('cut off') };

  it('reads chunks as UTF-8 text up to the limit', async () => {
    assert.equal(await readBody(chunksOf('caf', '\u00e9!'), null, limit), 'caf\u00e9!');
  });

  it('refuses a declared length past the limit before reading, and a stream that passes it', async () => {
    let read = false;
    async function* untouched(): AsyncIterable<Uint8Array> {
      read = true;
      yield Buffer.from('x');
    }
    await assert.rejects(readBody(untouched(), '9', limit), RangeError);
    assert.equal(read, false);
    await assert.rejects(readBody(chunksOf('12345', '6789'), null, limit), RangeError);
  });

  it('turns a stream failing mid-body into the cut-off refusal, or passes its error on without one', async () => {
    await assert.rejects(readBody(failingAfter('12'), null, limit), SyntaxError);
    await assert.rejects(readBody(failingAfter('12'), null, { bytes: 8, tooLarge: limit.tooLarge }), /socket hang up/);
  });
});

describe('Basic auth', () => {
  it('reads back what it encodes, the empty user of an app key and a colon in the password included', () => {
    assert.deepEqual(parseBasicAuthorization(basicAuthorization('', 'key:with:colons')), { user: '', password: 'key:with:colons' });
    assert.deepEqual(parseBasicAuthorization(basicAuthorization('ana@example.com', 't0ken')), { user: 'ana@example.com', password: 't0ken' });
  });

  it('refuses another scheme, a malformed value and a value without a colon', () => {
    for (const header of ['Bearer abc', 'Basic', 'Basic !!!', `Basic ${Buffer.from('nocolon').toString('base64')}`]) {
      assert.equal(parseBasicAuthorization(header), null, header);
    }
  });
});
