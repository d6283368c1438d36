/**
 * Runs the Timekit emulator inside the web-test-runner process for the browser tests.
 *
 * - serverStart starts it on an ephemeral port; serverStop closes it.
 * - `middleware` forwards /v2/…, /_google/… and /_emulator/… (and /v2, /_emulator themselves) on
 *   the wtr dev server to the emulator,
 *   so tests can also reach it same-origin.
 * - GET /__tk-test-env.json answers { emulatorUrl, emulatorOrigin, app, appKey, testAppKey }
 *   (test/browser/helpers/env.ts reads it). The keys are the emulator's, for tests only.
 *
 * Use both halves in the config: `plugins: [emu.plugin]`, `middleware: [emu.middleware]`
 * (config middleware runs before wtr's own file serving and transforms).
 */

export const TEST_ENV_PATH = '/__tk-test-env.json';
const PROXIED_PREFIXES = ['/v2/', '/_google/', '/_emulator/'];

/** @param {{ load: () => Promise<{ startEmulator: (options: { port: number }) => Promise<any> }> }} options */
export function timekitEmulator({ load }) {
  let emulator;

  const plugin = {
    name: 'tk-emulator',
    async serverStart({ logger }) {
      const { startEmulator } = await load();
      emulator = await startEmulator({ port: 0 });
      logger?.debug?.(`[tk-emulator] listening at ${emulator.url}`);
    },
    async serverStop() {
      const running = emulator;
      emulator = undefined;
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
