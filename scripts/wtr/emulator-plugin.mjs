/**
 * Runs the Timekit emulator inside the web-test-runner process for the browser tests.
 *
 * - serverStart starts it on an ephemeral port; serverStop closes it.
 * - `middleware` forwards /v2/…, /_google/… and /_emulator/… (and /v2, /_emulator themselves) on
 *   the wtr dev server to the emulator,
 *   so tests can also reach it same-origin.
 * - GET /__tk-test-env.json answers { emulatorUrl, emulatorOrigin, app, appKey, testAppKey,
 *   companionUrl, relayCompanionUrl } (test/browser/helpers/env.ts reads it). The keys are the
 *   emulator's, for tests only.
 * - With `loadCompanion`, serverStart also runs a companion on its own port, and a second one in
 *   relay mode on another (sidecars, as `tk-companion --dev-user` would be; each has its own
 *   store): every request is one dev user, the allowed origin is the
 *   test page's, and it talks to the emulator through the page origin's /v2, so the fake consent
 *   page it leads the popup to is same-origin with the test and can be driven.
 *
 * Use both halves in the config: `plugins: [emu.plugin]`, `middleware: [emu.middleware]`
 * (config middleware runs before wtr's own file serving and transforms).
 */

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

export const TEST_ENV_PATH = '/__tk-test-env.json';
const PROXIED_PREFIXES = ['/v2/', '/_google/', '/_emulator/'];

/**
 * @param {{
 *   load: () => Promise<{ startEmulator: (options: { port: number }) => Promise<any> }>,
 *   loadCompanion?: () => Promise<{ createCompanion: (options: any) => any, memoryStore: () => any, toNodeHandler: (companion: any) => any }>,
 * }} options
 */
export function timekitEmulator({ load, loadCompanion }) {
  let emulator;
  let companion;
  let relayCompanion;

  const plugin = {
    name: 'tk-emulator',
    async serverStart({ logger, config }) {
      const { startEmulator } = await load();
      emulator = await startEmulator({ port: 0 });
      logger?.debug?.(`[tk-emulator] listening at ${emulator.url}`);
      if (loadCompanion) {
        const pageOrigin = `http://${config.hostname ?? 'localhost'}:${config.port}`;
        companion = await startCompanion(await loadCompanion(), emulator, pageOrigin, 'direct');
        relayCompanion = await startCompanion(await loadCompanion(), emulator, pageOrigin, 'relay');
      }
    },
    async serverStop() {
      const running = emulator;
      emulator = undefined;
      await companion?.close();
      await relayCompanion?.close();
      companion = undefined;
      relayCompanion = undefined;
      await running?.close();
    },
    serve(context) {
      if (context.path !== TEST_ENV_PATH) return undefined;
      if (!emulator) return { body: JSON.stringify({ error: 'emulator not running' }), type: 'json' };
      return {
        body: JSON.stringify({
          emulatorUrl: emulator.url,
          emulatorOrigin: emulator.origin,
          app: emulator.app,
          appKey: emulator.appKey,
          testAppKey: emulator.testAppKey,
          companionUrl: companion?.url,
          relayCompanionUrl: relayCompanion?.url,
        }),
        type: 'json',
        headers: { 'cache-control': 'no-store' },
      };
    },
  };

  /** Koa middleware: hands matching requests to the emulator's node:http handler. */
  async function middleware(ctx, next) {
    const path = ctx.path;
    if (!emulator || !PROXIED_PREFIXES.some((p) => path.startsWith(p) || path === p.slice(0, -1))) {
      return next();
    }
    ctx.respond = false;
    const { req, res } = ctx;
    await new Promise((resolve) => {
      res.once('finish', resolve);
      res.once('close', resolve);
      emulator.handler(req, res);
    });
  }

  return { plugin, middleware };
}

/** A companion (direct or relay mode) on 127.0.0.1 and a free port, for the test page at `pageOrigin`. */
async function startCompanion({ createCompanion, memoryStore, toNodeHandler }, emulator, pageOrigin, mode) {
  const handler = toNodeHandler(
    createCompanion({
      apiBase: `${pageOrigin}/v2`,
      app: emulator.app,
      appKey: emulator.appKey,
      allowedOrigins: [pageOrigin],
      mode,
      secret: randomBytes(32).toString('base64url'),
      store: memoryStore(),
      authenticate: () => 'wtr-dev-user',
      // Every browser test, in every engine, connects as this one user: more than a person's 10 a minute.
      connectsPerMinute: 1000,
    }),
  );
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(resolve);
      }),
  };
}
