/**
 * Which fetch the companion calls Timekit with: the one in its options, else the platform's as it
 * was when the companion was created, never `globalThis.fetch` read at the time of a call.
 * SvelteKit's dev server swaps the global while it renders a page and warns "Avoid calling `fetch`
 * eagerly during server-side rendering" when anything calls it then, the companion included.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { answerConsent } from '../../../src/emulator/index.js';
import type { TkSessionResponse } from '../../../src/shared/companion-protocol.js';
import { follow, PAGE, postSession, resultOf, startRig, type Rig } from './helpers.js';

const platformFetch = globalThis.fetch;
const urlOf = (input: Parameters<typeof fetch>[0]) => (input instanceof Request ? input.url : String(input));

describe('the fetch the companion calls Timekit with', () => {
  let rig: Rig;
  afterEach(() => {
    globalThis.fetch = platformFetch;
    return rig.close();
  });

  describe('created before a framework swaps globalThis.fetch', () => {
    beforeEach(async () => {
      rig = await startRig();
    });

    it('connects and answers a session without calling the swapped fetch for Timekit', async () => {
      // What SvelteKit's dev server does during a render: a wrapper that notices every call.
      const timekitCallsThroughSwap: string[] = [];
      const swapped: typeof fetch = (input, init) => {
        if (urlOf(input).startsWith(rig.emulator.origin)) timekitCallsThroughSwap.push(urlOf(input));
        return platformFetch(input, init);
      };
      let timekitCallsInSwap = 0;
      /** Runs `step` (the test's browser talking to the companion) while the global is swapped. */
      const whileSwapped = async <T>(step: () => Promise<T>): Promise<T> => {
        const before = rig.emulator.requests.length;
        globalThis.fetch = swapped;
        try {
          return await step();
        } finally {
          globalThis.fetch = platformFetch;
          timekitCallsInSwap += rig.emulator.requests.length - before;
        }
      };

      const start = await whileSwapped(() => rig.fetch('/google/start', { user: 'sam', origin: null, referer: `${PAGE}/settings` }));
      assert.equal(start.status, 302, start.body);
      // The consent is the user's browser at Google's (the emulator's) page: not the companion's.
      const callback = await answerConsent(start.headers.location!, { identity: 'yuki.tanaka@example.jp' });
      const result = await whileSwapped(async () => follow(rig, await rig.fetch(callback, { user: 'sam', origin: null })));
      assert.equal(resultOf(result).message.ok, true, result.body);
      const session = await whileSwapped(() => postSession(rig, 'sam'));
      assert.equal((JSON.parse(session.body) as TkSessionResponse).status, 'ready', session.body);

      assert.ok(timekitCallsInSwap > 0, 'the companion called Timekit while the global was swapped');
      assert.deepEqual(timekitCallsThroughSwap, [], 'none of those calls went through the swapped global');
    });
  });

  describe('given a fetch in its options', () => {
    const calls: string[] = [];
    beforeEach(async () => {
      calls.length = 0;
      const given: typeof fetch = (input, init) => {
        calls.push(urlOf(input));
        return platformFetch(input, init);
      };
      rig = await startRig({ fetch: given });
    });

    it('calls Timekit through it', async () => {
      const before = rig.emulator.requests.length;
      await rig.companion.provisionResource('pat', { name: 'Pat Doe', email: 'pat@example.com', timezone: 'Europe/Berlin' });
      const session = await postSession(rig, 'pat');
      assert.equal((JSON.parse(session.body) as TkSessionResponse).status, 'ready', session.body);
      assert.ok(calls.length > 0);
      assert.equal(calls.length, rig.emulator.requests.length - before, 'every Timekit call went through the given fetch');
      assert.ok(calls.every((url) => url.startsWith(rig.emulator.url)));
    });
  });
});
