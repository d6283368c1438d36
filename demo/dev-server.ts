/**
 * The demo's server side, as a Vite plugin: starts the embedded Timekit emulator and mounts the
 * companion at `/timekit`, the way a host app would. The host's own login is simulated by one
 * demo user; the resource token stays in the companion's store, and the page gets only a
 * short-lived widget credential.
 */
import { randomBytes } from 'node:crypto';
import type { Plugin } from 'vite';
import { createCompanion, memoryStore } from '../src/companion/index.js';
import { toNodeHandler } from '../src/companion/node.js';
import { GOOGLE_IDENTITIES, startEmulator, type Emulator } from '../src/emulator/index.js';

const DEMO_USER = 'demo-user';

export function tkDemo(): Plugin {
  let emulator: Emulator | undefined;

  return {
    name: 'tk-demo',
    async configureServer(server) {
      emulator = await startEmulator({ port: Number(process.env.TK_EMULATOR_PORT ?? 0) });
      server.httpServer?.once('close', () => void emulator?.close());
      const { host, port } = server.config.server;
      const ports = [port ?? 5173];
      const companion = createCompanion({
        apiBase: emulator.url,
        app: emulator.app,
        appKey: emulator.appKey,
        secret: randomBytes(32).toString('hex'),
        allowedOrigins: ['127.0.0.1', 'localhost', ...(typeof host === 'string' ? [host] : [])].flatMap((h) =>
          ports.map((p) => `http://${h}:${p}`),
        ),
        basePath: '/timekit',
        authenticate: () => DEMO_USER,
        store: memoryStore(),
      });
      server.middlewares.use('/timekit', toNodeHandler(companion));
      server.middlewares.use('/demo/info', (_req, res) => {
        const identities = GOOGLE_IDENTITIES.map(({ email, name, summary, calendars }) => ({
          email,
          name,
          summary,
          calendars: calendars.length,
        }));
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ apiBase: emulator!.url, app: emulator!.app, identities }));
      });
      server.httpServer?.once('listening', () => {
        server.config.logger.info(`\n  Timekit emulator  ${emulator!.url}  (app "${emulator!.app}")`);
        server.config.logger.info('  Companion         /timekit on this server (demo user signed in)');
        server.config.logger.info(`  Fake Google identities: ${GOOGLE_IDENTITIES.map((i) => i.email).join(', ')}\n`);
      });
    },
  };
}
