/**
 * findResourceByEmail never trusts Timekit's search: against a Timekit that ignores an unknown
 * `search` field (the whole list, in Laravel pages) or matches loosely, it checks the email of
 * every result, pages on, and answers null when nothing matches exactly. A small HTTP server
 * plays that Timekit, so the client's real requests are what is tested.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TimekitClient } from '../../../src/companion/timekit.js';

const RESOURCES = Array.from({ length: 2500 }, (_, i) => ({ id: `id-${i}`, email: `provider-${i}@example.com` }));

describe('findResourceByEmail', () => {
  let server: Server;
  let client: TimekitClient;
  let behaviour: 'ignore' | 'like' | 'garbled' = 'ignore';
  const seen: URLSearchParams[] = [];

  before(async () => {
    server = createServer((req, res) => {
      const query = new URL(req.url!, 'http://x').searchParams;
      seen.push(query);
      const wanted = (query.get('search') ?? '').replace(/^email:/, '');
      // 'ignore': the unfiltered list; 'like': a substring match, as a Laravel `like` search does.
      const list = behaviour === 'like' ? RESOURCES.filter((r) => r.email.includes(wanted.replace(/@.*/, ''))) : RESOURCES;
      const limit = Number(query.get('limit') ?? 50);
      const page = Number(query.get('page') ?? 1);
      const body =
        behaviour === 'garbled'
          ? { data: [{ id: 'x', email: null }, null, 'text'] }
          : { data: list.slice((page - 1) * limit, page * limit), current_page: page, last_page: Math.max(1, Math.ceil(list.length / limit)), total: list.length };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new TimekitClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`, 'app', 'key', null);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('a search Timekit ignores: pages through the whole list to the exact match', async () => {
    behaviour = 'ignore';
    seen.length = 0;
    const found = await client.findResourceByEmail('provider-2100@example.com');
    assert.deepEqual(found, { id: 'id-2100', email: 'provider-2100@example.com' });
    assert.deepEqual(
      seen.map((q) => q.get('page')),
      ['1', '2', '3'],
    );
    assert.equal(seen[0]!.get('search'), 'email:provider-2100@example.com');
  });

  it('compares emails case-insensitively', async () => {
    behaviour = 'ignore';
    assert.equal((await client.findResourceByEmail('PROVIDER-7@Example.COM'))?.id, 'id-7');
  });

  it('a loose match lists others first: only the exact email counts', async () => {
    behaviour = 'like';
    // "provider-1@" matches provider-1, provider-10…: the first result is not the one asked for
    assert.equal((await client.findResourceByEmail('provider-19@example.com'))?.id, 'id-19');
  });

  it('nobody with that email: null after the last page, never another resource', async () => {
    behaviour = 'ignore';
    seen.length = 0;
    assert.equal(await client.findResourceByEmail('someone-else@example.com'), null);
    assert.equal(seen.length, 3, 'stops at last_page');
  });

  it('results without an email, or not objects, match nothing', async () => {
    behaviour = 'garbled';
    assert.equal(await client.findResourceByEmail('x@example.com'), null);
  });
});
