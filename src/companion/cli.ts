/**
 * `tk-companion`: the companion as a sidecar process, with a durable store (a SQLite file, or
 * PostgreSQL for several instances) and host users authenticated by a short-lived HS256 JWT (see
 * jwt.ts). Routes at the root: `/session`, `/<provider>/start`, `/<provider>/callback`, `/api/v2/...`.
 * `tk-companion doctor` checks a Timekit app instead (doctor/cli.ts); `tk-companion reencrypt`
 * finishes a rotation of the secret on PostgreSQL.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError, isMainModule, parseFlags, runAsProcess, secretFromEnv, untilAborted, withUsage, type CliIo, type Env } from '../node/cli.js';
import type { TkSessionMode } from '../shared/companion-protocol.js';
import { createCompanion, toNodeHandler } from './index.js';
import { jwtAuthenticator } from './jwt.js';
import { DEFAULT_API_BASE } from './options.js';
import { memoryStore } from './stores/memory.js';
import { postgresStore } from './stores/postgres.js';
import { sqliteStore } from './stores/sqlite.js';
import type { CompanionStore } from './stores/contract.js';

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
  --store STORE      * a SQLite file (default tk-companion.db), :memory: (lost
                       on exit; needs no better-sqlite3), or
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

/** `tk-companion [doctor | reencrypt] [flags]`; resolves with the exit code (a server: once `io.signal` stops it). */
export async function run(argv: string[], env: Env, io: CliIo): Promise<number> {
  if (argv[0] === 'doctor') {
    const { doctorCommand } = await import('./doctor/cli.js');
    return doctorCommand(argv.slice(1), env, io);
  }
  return withUsage('tk-companion', USAGE, io, async () => {
    const reencryptOnly = argv[0] === 'reencrypt';
    const flags = reencryptOnly ? argv.slice(1) : argv;
    const args = parseCompanionFlags(flags, env);
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    return reencryptOnly ? reencrypt(args.store, args.secret, env, io) : serve(args, flags, env, io);
  });
}

function parseCompanionFlags(argv: string[], env: Env) {
  return parseFlags(argv, {
    port: { type: 'string', default: env.TK_COMPANION_PORT ?? '4020' },
    host: { type: 'string', default: env.TK_COMPANION_HOST ?? '127.0.0.1' },
    'public-url': { type: 'string', default: env.TK_COMPANION_PUBLIC_URL },
    'api-base': { type: 'string', default: env.TK_COMPANION_API_BASE ?? DEFAULT_API_BASE },
    app: { type: 'string', default: env.TK_COMPANION_APP },
    'app-key': { type: 'string', default: secretFromEnv(env, 'TK_COMPANION_APP_KEY') },
    origin: { type: 'string', multiple: true, default: (env.TK_COMPANION_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean) },
    store: { type: 'string', default: secretFromEnv(env, 'TK_COMPANION_STORE') ?? 'tk-companion.db' },
    secret: { type: 'string', default: secretFromEnv(env, 'TK_COMPANION_SECRET') },
    mode: { type: 'string', default: env.TK_COMPANION_MODE ?? 'relay' },
    'jwt-secret': { type: 'string', default: secretFromEnv(env, 'TK_COMPANION_JWT_SECRET') },
    'jwt-audience': { type: 'string', default: env.TK_COMPANION_JWT_AUDIENCE },
    'jwt-issuer': { type: 'string', default: env.TK_COMPANION_JWT_ISSUER },
    'dev-user': { type: 'string', default: env.TK_COMPANION_DEV_USER },
    json: { type: 'boolean', default: ['1', 'true'].includes(env.TK_COMPANION_JSON ?? '') },
    help: { type: 'boolean', default: false },
  });
}

type CompanionFlags = ReturnType<typeof parseCompanionFlags>;
type ClosableStore = CompanionStore & { close(): unknown };

const isPostgres = (store: string) => /^postgres(ql)?:\/\//.test(store);

/**
 * `tk-companion reencrypt`: run once every instance runs with the new secret and the old one (an
 * instance still on the old one alone could no longer read what it rewrites). Separate from the
 * start, so restarting instances one by one never locks out those not yet restarted.
 */
async function reencrypt(storeUrl: string, secret: string | undefined, env: Env, io: CliIo): Promise<number> {
  if (!isPostgres(storeUrl)) throw new UsageError('reencrypt is for a postgres:// store (SQLite keeps no encrypted tokens)');
  if (secret === undefined) throw new UsageError('reencrypt needs --secret (or TK_COMPANION_SECRET / _FILE): the new secret');
  const previous = secretFromEnv(env, 'TK_COMPANION_PREVIOUS_SECRET');
  const pgStore = postgresStore(storeUrl, { secret, previousSecrets: previous === undefined ? [] : [previous] });
  try {
    await pgStore.migrate();
    io.stdout.write(`tk-companion: re-encrypted ${await pgStore.reencrypt()} tokens; every instance now encrypts with the new secret\n`);
    return 0;
  } catch (error) {
    io.stderr.write(`tk-companion: reencrypt failed: ${(error as Error).message}\n`);
    return 1;
  } finally {
    await pgStore.close();
  }
}

/** The flags that only make sense together, checked before anything is opened. */
function checkServeFlags(args: CompanionFlags) {
  const port = Number(args.port);
  if (!/^\d+$/.test(args.port) || port > 65535) throw new UsageError(`--port must be 0–65535, not "${args.port}"`);
  const loopback = /^(localhost|127\.\d+\.\d+\.\d+|::1)$/.test(args.host);
  const publicUrl = args['public-url'];
  if (publicUrl !== undefined && !/^https?:\/\//.test(publicUrl)) throw new UsageError(`--public-url must be an absolute http(s) URL, not "${publicUrl}"`);
  const jwtSecret = args['jwt-secret'];
  const devUser = args['dev-user'];
  if ((jwtSecret === undefined) === (devUser === undefined)) throw new UsageError('give exactly one of --jwt-secret (production) and --dev-user (local development)');
  if (jwtSecret !== undefined && jwtSecret.length < 32) throw new UsageError('--jwt-secret must be at least 32 characters');
  if (devUser !== undefined && (devUser === '' || !loopback)) throw new UsageError('--dev-user needs a user id and a loopback --host: it signs everybody in as that user');
  if (!loopback && !publicUrl?.startsWith('https://')) {
    throw new UsageError(
      `--host ${args.host} is off loopback: give --public-url https://… (the address browsers and Timekit use, through your TLS proxy), ` +
        'or Timekit would send resource tokens to a plain-http callback',
    );
  }
  const mode: TkSessionMode | null = args.mode === 'direct' || args.mode === 'relay' ? args.mode : null;
  if (mode === null) throw new UsageError(`--mode must be relay or direct, not "${args.mode}"`);
  return { port, publicUrl, mode, jwtSecret, devUser };
}

const SECRET_FLAGS = ['app-key', 'secret', 'jwt-secret'] as const;

/** Secrets given as flags show in `ps`: say so, naming the variable to use instead (never the value). */
function warnAboutCommandLineSecrets(argv: string[], store: string, io: CliIo): void {
  const onCommandLine = (flag: string) => argv.some((arg) => arg === `--${flag}` || arg.startsWith(`--${flag}=`));
  for (const flag of SECRET_FLAGS) {
    if (onCommandLine(flag)) {
      const variable = `TK_COMPANION_${flag.replace('-', '_').toUpperCase()}`;
      io.stderr.write(`tk-companion: warning: --${flag} on the command line is visible to every local user (ps); use ${variable} or ${variable}_FILE\n`);
    }
  }
  if (isPostgres(store) && onCommandLine('store') && /^postgres(ql)?:\/\/[^/@]*:[^/@]*@/.test(store)) {
    io.stderr.write('tk-companion: warning: --store carries a database password on the command line (ps); use TK_COMPANION_STORE or TK_COMPANION_STORE_FILE\n');
  }
}

/** The store as the startup line shows it: never a database password. */
const storeLabel = (store: string) => (isPostgres(store) ? store.replace(/\/\/[^/@]*@/, '//…@') : store);

/**
 * The store and the signing secret: PostgreSQL needs the secret given; SQLite keeps one of its own;
 * `:memory:` is the memory store (no native better-sqlite3 for a throwaway store), whose records
 * and any secret not given last as long as the process.
 */
async function openStore(args: CompanionFlags, env: Env): Promise<{ store: ClosableStore; secret: string }> {
  if (args.store === ':memory:') return { store: { ...memoryStore(), close() {} }, secret: args.secret ?? randomBytes(48).toString('base64') };
  if (isPostgres(args.store) && args.secret === undefined) {
    throw new UsageError('a postgres:// store needs --secret (or TK_COMPANION_SECRET / _FILE), the same on every instance: it also encrypts the tokens in the database');
  }
  try {
    if (isPostgres(args.store)) {
      const previous = secretFromEnv(env, 'TK_COMPANION_PREVIOUS_SECRET');
      const pgStore = postgresStore(args.store, { secret: args.secret!, previousSecrets: previous === undefined ? [] : [previous] });
      await pgStore.migrate();
      return { store: pgStore, secret: args.secret! };
    }
    const sqlite = sqliteStore(args.store);
    return { store: sqlite, secret: args.secret ?? sqlite.secret() };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot open the store ${storeLabel(args.store)}: ${(error as Error).message}`);
  }
}

async function serve(args: CompanionFlags, argv: string[], env: Env, io: CliIo): Promise<number> {
  const { port, publicUrl, mode, jwtSecret, devUser } = checkServeFlags(args);
  warnAboutCommandLineSecrets(argv, args.store, io);
  const { store, secret } = await openStore(args, env);
  let server: Server;
  try {
    const companion = createCompanion({
      apiBase: args['api-base'],
      app: args.app!,
      appKey: args['app-key']!,
      allowedOrigins: args.origin,
      mode,
      store,
      secret,
      publicUrl,
      authenticate: devUser !== undefined ? () => devUser : jwtAuthenticator(jwtSecret!, Date.now, { audience: args['jwt-audience'], issuer: args['jwt-issuer'] }),
      log: args.json ? undefined : (line: string) => io.stderr.write(`${line}\n`),
    });
    server = await listen(createServer(toNodeHandler(companion)), port, args.host);
  } catch (error) {
    await store.close();
    // The message lists every bad option; it never contains the key or the secrets.
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'EADDRINUSE' ? `port ${port} is already in use; pass --port 0 for a free one` : (error as Error).message.replace(/^tk-companion: /, ''));
  }
  const url = addressOf(server);
  if (args.json) io.stdout.write(`${JSON.stringify({ url })}\n`);
  else {
    io.stdout.write(
      `tk-companion listening at ${url}${publicUrl ? ` (public ${publicUrl})` : ''} (${mode} mode, Timekit ${args['api-base']}, store ${storeLabel(args.store)}, ` +
        `${devUser !== undefined ? `dev user "${devUser}"` : 'JWT users'}; origins ${args.origin.join(', ')})\n`,
    );
  }
  await untilAborted(io.signal);
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await store.close();
  return 0;
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}

function addressOf(server: Server): string {
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

// Run as a script too (`tsx src/companion/cli.ts`, as the process tests do); the bin calls `run`.
if (isMainModule(import.meta.url)) await runAsProcess(run);
