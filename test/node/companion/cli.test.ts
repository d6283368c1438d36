/**
 * `tk-companion` as a process: `--json`, JWT users (Bearer and cookie), the SQLite store surviving a
 * restart, options from the environment, `--dev-user`; the bin runs it. Safe to deploy:
 * `--public-url` (required off loopback, https), secrets from `*_FILE` variables, a warning for
 * secrets on the command line. In process (`run`): refusals of bad flags, and the signal stopping
 * it. (The PostgreSQL store through the CLI: scale-out.test.ts.)
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { run as runCompanionCommand } from '../../../src/companion/cli.js';
import { answerConsent, startEmulator, type Emulator } from '../../../src/emulator/index.js';
import { captureIo, firstLineOf } from '../cli-io.js';
import { PAGE } from './helpers.js';

const CLI = fileURLToPath(new URL('../../../src/companion/cli.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/tk-companion.js', import.meta.url));
const JWT_SECRET = 'host-shared-secret-0123456789-abcdefghijkl';

function run(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Starts the CLI and resolves with the URL of its `--json` line. */
async function listening(child: ChildProcess): Promise<string> {
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout! });
  const first = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', resolve)),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`tk-companion exited ${code}: ${stderr}`)))),
  ]);
  return (JSON.parse(first) as { url: string }).url;
}

async function exited(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, stderr };
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await gone;
}

const jwt = (sub: string, key = JWT_SECRET) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(key));

describe('tk-companion CLI', () => {
  let emulator: Emulator;
  const dir = mkdtempSync(join(tmpdir(), 'tk-companion-cli-'));
  const store = join(dir, 'companion.db');

  before(async () => {
    emulator = await startEmulator({ port: 0, profile: 'optimistic' });
  });
  after(async () => {
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--json prints {"url"}, authenticates JWTs, connects, and keeps the record across a restart configured from the environment', async () => {
    const first = run([
      '--port', '0', '--json', '--api-base', emulator.url, '--app', emulator.app, '--app-key', emulator.appKey,
      '--origin', PAGE, '--origin', 'http://second.test:3000', '--store', store, '--jwt-secret', JWT_SECRET,
    ]);
    try {
      const url = await listening(first);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const session = (headers: Record<string, string>) => fetch(`${url}/session`, { method: 'POST', headers: { origin: PAGE, ...headers } });

      assert.deepEqual(await (await session({ authorization: `Bearer ${await jwt('ana')}` })).json(), { status: 'signed-out' });
      assert.equal((await session({ cookie: `tk_companion_jwt=${await jwt('ana')}` })).status, 200);
      assert.equal((await session({})).status, 401);
      assert.equal((await session({ authorization: `Bearer ${await jwt('ana', 'wrong-secret-0123456789-abcdefghijklmnop')}` })).status, 401);
      assert.equal((await session({ authorization: `Bearer ${await jwt('ana')}`, origin: 'http://second.test:3000' })).status, 200, 'repeated --origin');

      // The connect popup is a navigation: the JWT travels as the cookie.
      const start = await fetch(`${url}/google/start`, { redirect: 'manual', headers: { referer: `${PAGE}/`, cookie: `tk_companion_jwt=${await jwt('ana')}` } });
      assert.equal(start.status, 302);
      const callback = new URL(start.headers.get('location')!).searchParams.get('callback')!;
      assert.ok(callback.startsWith(`${url}/google/callback/`), 'routes at the root');
      const binding = start.headers.get('set-cookie')!.split(';')[0]!;
      const consented = await answerConsent(start.headers.get('location')!, { identity: 'alex.morgan@example.com' });
      // The same browser finishes: its binding cookie and its login.
      const finished = await fetch(consented, { redirect: 'manual', headers: { cookie: `${binding}; tk_companion_jwt=${await jwt('ana')}` } });
      assert.equal(finished.status, 303);
      assert.equal((await fetch(new URL(finished.headers.get('location')!, consented))).status, 200);
      const ready = await (await session({ authorization: `Bearer ${await jwt('ana')}` })).json();
      assert.equal(ready.status, 'ready');
      assert.equal(ready.email, 'alex.morgan@example.com');
    } finally {
      await stop(first);
    }

    const second = run(['--json'], {
      TK_COMPANION_PORT: '0',
      TK_COMPANION_API_BASE: emulator.url,
      TK_COMPANION_APP: emulator.app,
      TK_COMPANION_APP_KEY: emulator.appKey,
      TK_COMPANION_ORIGINS: `${PAGE}, http://second.test:3000`,
      TK_COMPANION_STORE: store,
      TK_COMPANION_MODE: 'relay',
      TK_COMPANION_DEV_USER: 'ana',
    });
    try {
      const url = await listening(second);
      const ready = await (await fetch(`${url}/session`, { method: 'POST', headers: { origin: PAGE } })).json();
      assert.equal(ready.status, 'ready', 'the record survived the restart');
      assert.equal(ready.mode, 'relay');
      const calendars = await fetch(`${url}/api/v2/calendars`, { headers: { origin: PAGE, authorization: `Bearer ${ready.token}` } });
      assert.equal(calendars.status, 200);
    } finally {
      await stop(second);
    }
  });

  it('--jwt-audience and --jwt-issuer refuse a JWT for another audience or from another issuer', async () => {
    const child = run([
      '--port', '0', '--json', '--api-base', emulator.url, '--app', emulator.app, '--origin', PAGE, '--store', ':memory:',
      '--jwt-audience', 'tk-companion', '--jwt-issuer', 'https://app.example.com',
    ], { TK_COMPANION_APP_KEY: emulator.appKey, TK_COMPANION_JWT_SECRET: JWT_SECRET });
    try {
      const url = await listening(child);
      const claims = (aud: string, iss: string) =>
        new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('ana').setAudience(aud).setIssuer(iss).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(JWT_SECRET));
      const session = async (token: string) => (await fetch(`${url}/session`, { method: 'POST', headers: { origin: PAGE, authorization: `Bearer ${token}` } })).status;
      assert.equal(await session(await claims('tk-companion', 'https://app.example.com')), 200);
      assert.equal(await session(await claims('another-service', 'https://app.example.com')), 401, 'another audience');
      assert.equal(await session(await claims('tk-companion', 'https://evil.example')), 401, 'another issuer');
      assert.equal(await session(await jwt('ana')), 401, 'neither claim');
    } finally {
      await stop(child);
    }
  });

  it('refuses bad flags with a clear message, never echoing the app key', async () => {
    const base = ['--port', '0', '--store', ':memory:', '--app', 'tk-demo', '--app-key', emulator.appKey];
    const cases: Array<[string[], RegExp]> = [
      [[...base, '--dev-user', 'ana'], /allowedOrigins must list/],
      [[...base, '--origin', PAGE], /exactly one of --jwt-secret/],
      [[...base, '--origin', PAGE, '--dev-user', 'ana', '--host', '0.0.0.0'], /--dev-user needs .* loopback/],
      [[...base, '--origin', PAGE, '--jwt-secret', 'short'], /--jwt-secret must be at least 32/],
      [[...base, '--bogus'], /Unknown option '--bogus'/],
      [[...base, '--origin', PAGE, '--jwt-secret', JWT_SECRET, '--host', '0.0.0.0'], /--host 0\.0\.0\.0 is off loopback: give --public-url https/],
      [[...base, '--origin', PAGE, '--jwt-secret', JWT_SECRET, '--host', '0.0.0.0', '--public-url', 'http://app.example.com'], /--public-url https/],
      [[...base, '--origin', PAGE, '--jwt-secret', JWT_SECRET, '--public-url', 'app.example.com'], /--public-url must be an absolute/],
      [['--port', '0', '--app', 'tk-demo', '--app-key', emulator.appKey, '--origin', PAGE, '--jwt-secret', JWT_SECRET, '--store', 'postgres://127.0.0.1:1/none'], /postgres:\/\/ store needs --secret/],
    ];
    const results = await Promise.all(
      cases.map(async ([args]) => {
        const captured = captureIo();
        return { code: await runCompanionCommand(args, {}, captured.io), stderr: captured.stderr() };
      }),
    );
    results.forEach(({ code, stderr }, i) => {
      assert.equal(code, 2, stderr);
      assert.match(stderr, cases[i]![1]);
      assert.equal(stderr.includes(emulator.appKey), false);
    });
  });

  it('reads secrets from *_FILE variables, serves the --public-url behind a proxy, and warns about secrets on the command line', async () => {
    const file = (name: string, value: string) => {
      const path = join(dir, name);
      writeFileSync(path, `${value}\n`, { mode: 0o600 });
      return path;
    };
    const env = {
      TK_COMPANION_APP_KEY_FILE: file('app-key', emulator.appKey),
      TK_COMPANION_JWT_SECRET_FILE: file('jwt-secret', JWT_SECRET),
      TK_COMPANION_SECRET_FILE: file('secret', 'companion-secret-from-a-file-0123456789-abcdef'),
      TK_COMPANION_PUBLIC_URL: 'https://app.example.com/timekit',
    };
    // Off loopback with an https public URL (a TLS proxy in front): allowed.
    const child = run(['--port', '0', '--json', '--host', '0.0.0.0', '--api-base', emulator.url, '--app', emulator.app, '--origin', PAGE, '--store', ':memory:'], env);
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    try {
      const url = (await listening(child)).replace('0.0.0.0', '127.0.0.1');
      const start = await fetch(`${url}/google/start`, { redirect: 'manual', headers: { referer: `${PAGE}/`, cookie: `tk_companion_jwt=${await jwt('ana')}` } });
      assert.equal(start.status, 302, 'the JWT secret and the app key came from their files');
      const callback = new URL(start.headers.get('location')!).searchParams.get('callback')!;
      assert.ok(callback.startsWith('https://app.example.com/timekit/google/callback/'), callback);
      assert.equal(stderr.includes('warning'), false, 'no warning when no secret is on the command line');
    } finally {
      await stop(child);
    }

    const both = await exited(run(['--port', '0', '--store', ':memory:'], { ...env, TK_COMPANION_APP_KEY: emulator.appKey }));
    assert.equal(both.code, 2);
    assert.match(both.stderr, /set TK_COMPANION_APP_KEY or TK_COMPANION_APP_KEY_FILE, not both/);
    const unreadable = await exited(run(['--port', '0', '--store', ':memory:'], { ...env, TK_COMPANION_APP_KEY_FILE: join(dir, 'missing') }));
    assert.match(unreadable.stderr, /cannot read TK_COMPANION_APP_KEY_FILE .*ENOENT/);

    const argv = run(['--port', '0', '--json', '--api-base', emulator.url, '--app', emulator.app, '--app-key', emulator.appKey, '--jwt-secret', JWT_SECRET, '--origin', PAGE, '--store', ':memory:']);
    let argvStderr = '';
    argv.stderr!.on('data', (chunk) => (argvStderr += chunk));
    try {
      await listening(argv);
      assert.match(argvStderr, /warning: --app-key on the command line .* use TK_COMPANION_APP_KEY or TK_COMPANION_APP_KEY_FILE/);
      assert.match(argvStderr, /warning: --jwt-secret on the command line/);
      assert.equal(argvStderr.includes(emulator.appKey) || argvStderr.includes(JWT_SECRET), false, 'the warning never repeats the secret');
    } finally {
      await stop(argv);
    }
  });

  it('in process, resolves 0 once its signal aborts, and no longer answers', async () => {
    const captured = captureIo();
    const args = ['--port', '0', '--json', '--api-base', emulator.url, '--app', emulator.app, '--origin', PAGE, '--store', ':memory:', '--dev-user', 'ana'];
    const running = runCompanionCommand(args, { TK_COMPANION_APP_KEY: emulator.appKey }, captured.io);
    const { url } = JSON.parse(await firstLineOf(running, captured)) as { url: string };
    assert.equal((await fetch(`${url}/session`, { method: 'POST', headers: { origin: PAGE } })).status, 200);
    captured.stop();
    assert.equal(await running, 0);
    await assert.rejects(fetch(`${url}/session`, { method: 'POST', headers: { origin: PAGE } }), 'the port is closed');
  });

  it('the bin runs the command: a bad flag exits 2 with the usage', async () => {
    const child = spawn(process.execPath, [BIN, '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const { code, stderr } = await exited(child);
    assert.equal(code, 2, stderr);
    assert.match(stderr, /^tk-companion: Unknown option '--bogus'[\s\S]*Usage: tk-companion/);
  });
});
