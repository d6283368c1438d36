/**
 * `tk-companion`: the companion as a sidecar process, with a durable store (a SQLite file, or
 * PostgreSQL for several instances) and host users authenticated by a short-lived HS256 JWT (see
 * jwt.ts). Routes at the root: `/session`, `/<provider>/start`, `/<provider>/callback`, `/api/v2/...`.
 * `tk-companion doctor` checks a Timekit app instead (doctor-cli.ts); `tk-companion reencrypt`
 * finishes a rotation of the secret on PostgreSQL.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { createCompanion, toNodeHandler } from './index.js';
import { jwtAuthenticator } from './jwt.js';
import { DEFAULT_API_BASE } from './options.js';
import { postgresStore } from './stores/postgres.js';
import { sqliteStore } from './stores/sqlite.js';
import type { CompanionStore } from './stores/contract.js';

if (process.argv[2] === 'doctor') {
  const { doctorCommand } = await import('./doctor-cli.js');
  process.exit(await doctorCommand(process.argv.slice(3)));
}

const USAGE = `Usage: tk-companion [options]
       tk-companion doctor --help     (what a Timekit app allows, and what the kit does with it)
       tk-companion reencrypt         (postgres://, the last step of a rotation: switches every
                                      instance to --secret and rewrites the tokens under it)

Each option can also come from the environment variable beside it (flags win). Secrets (marked *)
also come from a file named by <VARIABLE>_FILE, e.g. TK_COMPANION_APP_KEY_FILE=/run/secrets/key;
on the command line they show in \`ps\`, and the companion warns.

  --port N             port to listen on (default 4020; 0 picks a free one)   TK_COMPANION_PORT
  --host H             interface to listen on (default 127.0.0.1); off
                       loopback it needs an https --public-url               TK_COMPANION_HOST
  --public-url URL     the companion's address as browsers reach it, behind
                       a proxy or TLS terminator (https://app.example.com/tk) TK_COMPANION_PUBLIC_URL
  --api-base URL       Timekit API base (default ${DEFAULT_API_BASE})   TK_COMPANION_API_BASE
  --app SLUG           Timekit app slug (required)                           TK_COMPANION_APP
  --app-key KEY      * Timekit app key (required)                            TK_COMPANION_APP_KEY
  --origin ORIGIN      an allowed page origin; repeat for more (required)    TK_COMPANION_ORIGINS (comma-separated)
  --store STORE      * a SQLite file (default tk-companion.db), :memory:, or
                       postgres://user:password@host/db for several instances TK_COMPANION_STORE
  --secret SECRET    * signs nonces and relay tokens, and encrypts tokens in
                       PostgreSQL (≥ 32 characters, the same on every
                       instance; required with postgres://, else kept in the
                       SQLite file)                                          TK_COMPANION_SECRET
                       To rotate it with postgres://, restart every instance with
                       the new one and the old one in TK_COMPANION_PREVIOUS_SECRET
                       (or _FILE), then run \`tk-companion reencrypt\` once with the
                       same two, then restart without the old one.
  --mode MODE          relay (default) or direct                             TK_COMPANION_MODE
  --jwt-secret SECRET* verifies host users' HS256 JWTs (sub = user id), sent TK_COMPANION_JWT_SECRET
                       as Authorization: Bearer or in the __Host-tk_companion_jwt
                       cookie (Secure; Path=/; no Domain; tk_companion_jwt on
                       plain-http development); a login cookie sent twice
                       signs nobody in
  --jwt-audience AUD   also require the JWTs' aud to name AUD                TK_COMPANION_JWT_AUDIENCE
  --jwt-issuer ISS     also require the JWTs' iss to be ISS                  TK_COMPANION_JWT_ISSUER
  --dev-user ID        no JWT: every request is user ID (loopback only)      TK_COMPANION_DEV_USER
  --json               print one JSON line {"url"} once listening            TK_COMPANION_JSON=1
  --help               show this help`;

function fail(message: string): never {
  process.stderr.write(`tk-companion: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const env = process.env;

/** A secret's value from `NAME`, or from the file `NAME_FILE` names (without its final newline). */
function secretFromEnv(name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file === undefined || file === '') return env[name];
  if (env[name] !== undefined) fail(`set ${name} or ${name}_FILE, not both`);
  try {
    return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    fail(`cannot read ${name}_FILE (${file}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

const SECRET_FLAGS = ['app-key', 'secret', 'jwt-secret'] as const;
const reencryptOnly = process.argv[2] === 'reencrypt';
const argv = process.argv.slice(reencryptOnly ? 3 : 2);
const onCommandLine = (flag: string) => argv.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));

let args;
try {
  args = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: env.TK_COMPANION_PORT ?? '4020' },
      host: { type: 'string', default: env.TK_COMPANION_HOST ?? '127.0.0.1' },
      'public-url': { type: 'string', default: env.TK_COMPANION_PUBLIC_URL },
      'api-base': { type: 'string', default: env.TK_COMPANION_API_BASE ?? DEFAULT_API_BASE },
      app: { type: 'string', default: env.TK_COMPANION_APP },
      'app-key': { type: 'string', default: secretFromEnv('TK_COMPANION_APP_KEY') },
      origin: { type: 'string', multiple: true, default: (env.TK_COMPANION_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean) },
      store: { type: 'string', default: secretFromEnv('TK_COMPANION_STORE') ?? 'tk-companion.db' },
      secret: { type: 'string', default: secretFromEnv('TK_COMPANION_SECRET') },
      mode: { type: 'string', default: env.TK_COMPANION_MODE ?? 'relay' },
      'jwt-secret': { type: 'string', default: secretFromEnv('TK_COMPANION_JWT_SECRET') },
      'jwt-audience': { type: 'string', default: env.TK_COMPANION_JWT_AUDIENCE },
      'jwt-issuer': { type: 'string', default: env.TK_COMPANION_JWT_ISSUER },
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
if (reencryptOnly) process.exit(await reencrypt(args.store, args.secret));

/**
 * `tk-companion reencrypt`: run once every instance runs with the new secret and the old one (an
 * instance still on the old one alone could no longer read what it rewrites). Separate from the
 * start, so restarting instances one by one never locks out those not yet restarted.
 */
async function reencrypt(storeUrl: string, secret: string | undefined): Promise<number> {
  if (!/^postgres(ql)?:\/\//.test(storeUrl)) fail('reencrypt is for a postgres:// store (SQLite keeps no encrypted tokens)');
  if (secret === undefined) fail('reencrypt needs --secret (or TK_COMPANION_SECRET / _FILE): the new secret');
  const previous = secretFromEnv('TK_COMPANION_PREVIOUS_SECRET');
  const pgStore = postgresStore(storeUrl, { secret, previousSecrets: previous === undefined ? [] : [previous] });
  try {
    await pgStore.migrate();
    process.stdout.write(`tk-companion: re-encrypted ${await pgStore.reencrypt()} tokens; every instance now encrypts with the new secret\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`tk-companion: reencrypt failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await pgStore.close();
  }
}

const port = Number(args.port);
if (!/^\d+$/.test(args.port) || port > 65535) fail(`--port must be 0–65535, not "${args.port}"`);
const loopback = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(args.host);
const publicUrl = args['public-url'];
if (publicUrl !== undefined && !/^https?:\/\//.test(publicUrl)) fail(`--public-url must be an absolute http(s) URL, not "${publicUrl}"`);
const jwtSecret = args['jwt-secret'];
const devUser = args['dev-user'];
if ((jwtSecret === undefined) === (devUser === undefined)) fail('give exactly one of --jwt-secret (production) and --dev-user (local development)');
if (jwtSecret !== undefined && jwtSecret.length < 32) fail('--jwt-secret must be at least 32 characters');
if (devUser !== undefined && (devUser === '' || !loopback)) fail('--dev-user needs a user id and a loopback --host: it signs everybody in as that user');
if (!loopback && !publicUrl?.startsWith('https://')) {
  fail(
    `--host ${args.host} is off loopback: give --public-url https://… (the address browsers and Timekit use, through your TLS proxy), ` +
      'or Timekit would send resource tokens to a plain-http callback',
  );
}
if (args.mode !== 'direct' && args.mode !== 'relay') fail(`--mode must be relay or direct, not "${args.mode}"`);

const postgres = /^postgres(ql)?:\/\//.test(args.store);
for (const flag of SECRET_FLAGS) {
  if (onCommandLine(flag)) {
    const variable = `TK_COMPANION_${flag.replace('-', '_').toUpperCase()}`;
    process.stderr.write(`tk-companion: warning: --${flag} on the command line is visible to every local user (ps); use ${variable} or ${variable}_FILE\n`);
  }
}
if (postgres && onCommandLine('store') && /^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(args.store)) {
  process.stderr.write('tk-companion: warning: --store carries a database password on the command line (ps); use TK_COMPANION_STORE or TK_COMPANION_STORE_FILE\n');
}

const log = args.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
let store: CompanionStore & { close(): unknown };
let secret: string;
/** The store as the startup line shows it: never a database password. */
const storeLabel = postgres ? args.store.replace(/\/\/[^/@]*@/, '//…@') : args.store;
try {
  if (postgres) {
    if (args.secret === undefined) fail('a postgres:// store needs --secret (or TK_COMPANION_SECRET / _FILE), the same on every instance: it also encrypts the tokens in the database');
    secret = args.secret;
    const previous = secretFromEnv('TK_COMPANION_PREVIOUS_SECRET');
    const pgStore = postgresStore(args.store, { secret, previousSecrets: previous === undefined ? [] : [previous] });
    await pgStore.migrate();
    store = pgStore;
  } else {
    const sqlite = sqliteStore(args.store);
    secret = args.secret ?? sqlite.secret();
    store = sqlite;
  }
} catch (error) {
  fail(`cannot open the store ${storeLabel}: ${(error as Error).message}`);
}

let companion;
try {
  companion = createCompanion({
    apiBase: args['api-base'],
    app: args.app!,
    appKey: args['app-key']!,
    allowedOrigins: args.origin,
    mode: args.mode,
    store,
    secret,
    publicUrl,
    authenticate:
      devUser !== undefined
        ? () => devUser
        : jwtAuthenticator(jwtSecret!, Date.now, { audience: args['jwt-audience'], issuer: args['jwt-issuer'] }),
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
      `tk-companion listening at ${url}${publicUrl ? ` (public ${publicUrl})` : ''} (${args.mode} mode, Timekit ${args['api-base']}, store ${storeLabel}, ` +
        `${devUser !== undefined ? `dev user "${devUser}"` : 'JWT users'}; origins ${args.origin.join(', ')})\n`,
    );
  }
});

function stop() {
  server.closeAllConnections();
  server.close(() => {
    void Promise.resolve(store.close()).finally(() => process.exit(0));
  });
}
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
