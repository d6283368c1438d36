/**
 * The companion passes a resource's calendar accounts to the browser in every session response,
 * so it keeps only what the elements can read: entries with a text provider and provider_id, and
 * only the documented fields. Timekit's JSON could hold anything there; an object whose
 * `toString` is no function, turned into text by the page, would throw.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TimekitClient } from '../../../src/companion/timekit.js';

describe('TimekitClient.accounts', () => {
  let server: Server;
  let client: TimekitClient;
  let body: unknown;

  before(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = new TimekitClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`, 'app', 'key', null);
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const auth = { email: 'alex@example.com', token: 'resource-token' };

  it('keeps well-formed accounts with their documented fields only', async () => {
    body = { data: [{ provider: 'google', provider_id: 'alex@example.com', last_sync: '2026-11-30T10:00:00Z', access_token: 'not for the browser' }] };
    assert.deepEqual(await client.accounts(auth), [{ provider: 'google', provider_id: 'alex@example.com', last_sync: '2026-11-30T10:00:00Z' }]);
  });

  it('leaves out entries that are no accounts, or whose provider or provider_id is no text', async () => {
    body = {
      data: [
        null,
        'google',
        { provider: 'google' },
        { provider: 'google', provider_id: { toString: false } },
        { provider: ['google'], provider_id: 'a@example.com' },
        { provider: 'microsoft', provider_id: 'b@example.com', last_sync: { toString: false } },
      ],
    };
    assert.deepEqual(await client.accounts(auth), [{ provider: 'microsoft', provider_id: 'b@example.com', last_sync: null }]);
  });

  it('answers no accounts when data is no list', async () => {
    body = { data: { provider: 'google', provider_id: 'a@example.com' } };
    assert.deepEqual(await client.accounts(auth), []);
  });
});
