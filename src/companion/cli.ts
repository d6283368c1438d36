/**
 * `tk-companion`: the companion as a sidecar process, with a durable SQLite store and host users
 * authenticated by a short-lived HS256 JWT (see jwt.ts). Routes at the root: `/session`,
 * `/google/start`, `/google/callback`, `/api/v2/...`. `tk-companion doctor` checks a Timekit app
 * instead (doctor-cli.ts).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createCompanion, toNodeHandler } from './index.js';
import { jwtAuthenticator } from './jwt.js';
import { DEFAULT_API_BASE } from './options.js';
import { sqliteStore, type SqliteStore } from './sqlite-store.js';

if (process.argv[2] === 'doctor') {
  const { doctorCommand } = await import('./doctor-cli.js');
  process.exit(await doctorCommand(process.argv.slice(3)));
}

const USAGE = `Usage: tk-companion [options]
       tk-companion doctor --help     (what a Timekit app allows, and what the kit does with it)

Each option can also come from the environment variable beside it (flags win).

  --port N             port to listen on (default 4020; 0 picks a free one)   TK_COMPANION_PORT
  --host H             interface to listen on (default 127.0.0.1)            TK_COMPANION_HOST
  --api-base URL       Timekit API base (default ${DEFAULT_API_BASE})   TK_COMPANION_API_BASE
  --app SLUG           Timekit app slug (required)                           TK_COMPANION_APP
  --app-key KEY        Timekit app key (required; prefer the env var)        TK_COMPANION_APP_KEY
  --origin ORIGIN      an allowed page origin; repeat for more (required)    TK_COMPANION_ORIGINS (comma-separated)
  --store FILE         SQLite database (default tk-companion.db; :memory:)   TK_COMPANION_STORE
  --mode MODE          relay (default) or direct                             TK_COMPANION_MODE
  --jwt-secret SECRET  verifies host users' HS256 JWTs (sub = user id), sent
                       as Authorization: Bearer or the tk_companion_jwt cookie TK_COMPANION_JWT_SECRET
  --dev-user ID        no JWT: every request is user ID (loopback only)      TK_COMPANION_DEV_USER
  --json               print one JSON line {"url"} once listening            TK_COMPANION_JSON=1
  --help               show this help`;

function fail(message: string): never {
  process.stderr.write(`tk-companion: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const env = process.env;
let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: env.TK_COMPANION_PORT ?? '4020' },
      host: { type: 'string', default: env.TK_COMPANION_HOST ?? '127.0.0.1' },
      'api-base': { type: 'string', default: env.TK_COMPANION_API_BASE ?? DEFAULT_API_BASE },
      app: { type: 'string', default: env.TK_COMPANION_APP },
      'app-key': { type: 'string', default: env.TK_COMPANION_APP_KEY },
      origin: { type: 'string', multiple: true, default: (env.TK_COMPANION_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean) },
      store: { type: 'string', default: env.TK_COMPANION_STORE ?? 'tk-companion.db' },
      mode: { type: 'string', default: env.TK_COMPANION_MODE ?? 'relay' },
      'jwt-secret': { type: 'string', default: env.TK_COMPANION_JWT_SECRET },
      'dev-user': { type: 'string', default: env.TK_COMPANION_DEV_USER },
      json: { type: 'boolean', default: ['1', 'true'].includes(env.TK_COMPANION_JSON ?? '') },
      help: { type: 'boolean', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}

const port = Number(args.port);
if (!/^\d+$/.test(args.port) || port > 65535) fail(`--port must be 0–65535, not "${args.port}"`);
const loopback = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(args.host);
const jwtSecret = args['jwt-secret'];
const devUser = args['dev-user'];
if ((jwtSecret === undefined) === (devUser === undefined)) fail('give exactly one of --jwt-secret (production) and --dev-user (local development)');
if (jwtSecret !== undefined && jwtSecret.length < 32) fail('--jwt-secret must be at least 32 characters');
if (devUser !== undefined && (devUser === '' || !loopback)) fail('--dev-user needs a user id and a loopback --host: it signs everybody in as that user');
if (args.mode !== 'direct' && args.mode !== 'relay') fail(`--mode must be relay or direct, not "${args.mode}"`);

let store: SqliteStore;
try {
  store = sqliteStore(args.store);
} catch (error) {
  fail(`cannot open the store ${args.store}: ${(error as Error).message}`);
}

const log = args.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
let companion;
try {
  companion = createCompanion({
    apiBase: args['api-base'],
    app: args.app!,
    appKey: args['app-key']!,
    allowedOrigins: args.origin,
    mode: args.mode,
    store,
    secret: store.secret(),
    authenticate: devUser !== undefined ? () => devUser : jwtAuthenticator(jwtSecret!),
    log,
  });
} catch (error) {
  // The message lists every bad option; it never contains the key or the secrets.
  fail((error as Error).message.replace(/^tk-companion: /, ''));
}

const server = createServer(toNodeHandler(companion));
server.keepAliveTimeout = 5_000;
server.once('error', (error: NodeJS.ErrnoException) =>
  fail(error.code === 'EADDRINUSE' ? `port ${port} is already in use; pass --port 0 for a free one` : error.message),
);
server.listen(port, args.host, () => {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}`;
  if (args.json) process.stdout.write(`${JSON.stringify({ url })}\n`);
  else {
    process.stdout.write(
      `tk-companion listening at ${url} (${args.mode} mode, Timekit ${args['api-base']}, store ${args.store}, ` +
        `${devUser !== undefined ? `dev user "${devUser}"` : 'JWT users'}; origins ${args.origin.join(', ')})\n`,
    );
  }
});

function stop() {
  server.closeAllConnections();
  server.close(() => {
    store.close();
    process.exit(0);
  });
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
