/**
 * The `tk-emulator` CLI: as a process, `--port 0 --json` prints one JSON line once listening, the
 * API answers through it, SIGTERM stops it; the profile, switch, key and control flags; the bin
 * runs it. In process (`run`): `--help`, bad flags exit 2 with the usage, the signal stops it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run as runEmulatorCommand } from '../../../src/emulator/cli.js';
import { ALL_SWITCHES, FIDELITY_SWITCH_HELP } from '../../../src/emulator/index.js';
import { captureIo, firstLineOf } from '../cli-io.js';

const CLI = fileURLToPath(new URL('../../../src/emulator/cli.ts', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/tk-emulator.js', import.meta.url));

function run(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

/** Runs the command in process to its end and collects its output. */
async function runToEnd(args: string[]) {
  const captured = captureIo();
  const code = await runEmulatorCommand(args, {}, captured.io);
  return { code, stdout: captured.stdout(), stderr: captured.stderr() };
}

/** Runs the bin as a process to its end and collects its output. */
async function runBinToEnd(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

/** Starts the CLI with `--port 0 --json` and `args`; resolves with the JSON line, stderr so far, and a stop function. */
async function listening(args: string[], env: Record<string, string> = {}) {
  const child = run(['--port', '0', '--json', ...args], env);
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const [line] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(([code]) => Promise.reject(new Error(`exited ${code}: ${stderr}`))),
  ])) as [string];
  return {
    info: JSON.parse(line) as Record<string, string>,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

const appBasic = (key: string) => `Basic ${Buffer.from(`:${key}`).toString('base64')}`;
const createResource = (info: Record<string, string>) =>
  fetch(`${info.url}/resources`, {
    method: 'POST',
    headers: { authorization: appBasic(info.appKey!), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Via the CLI', timezone: 'UTC' }),
  }).then(async (response) => ({ status: response.status, body: await response.json() }));

describe('tk-emulator', () => {
  it('prints {url, app, appKey, testAppKey} once listening, serves the API, and stops on SIGTERM', async () => {
    const child = run(['--port', '0', '--json']);
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await Promise.race([
        once(lines, 'line'),
        once(child, 'exit').then(([code]) => Promise.reject(new Error(`exited ${code}: ${stderr}`))),
      ])) as [string];
      const info = JSON.parse(line);
      assert.deepEqual(Object.keys(info).sort(), ['app', 'appKey', 'testAppKey', 'url']);
      assert.match(info.url, /^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      assert.notEqual(new URL(info.url).port, '0');

      const authorization = `Basic ${Buffer.from(`:${info.appKey}`).toString('base64')}`;
      const created = await fetch(`${info.url}/resources`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Via the CLI', timezone: 'UTC' }),
      });
      assert.equal(created.status, 201);
      const listed = await fetch(`${info.url}/resources`, {
        headers: { authorization: `Basic ${Buffer.from(`:${info.testAppKey}`).toString('base64')}` },
      });
      assert.equal(listed.status, 200);
      assert.equal(listed.headers.get('timekit-testmode'), 'true');
      assert.equal((await listed.json()).data[0].name, 'Via the CLI');
      const signup = await fetch(`${info.url}/accounts/google/signup?Timekit-App=${info.app}&callback=${encodeURIComponent('http://localhost/cb')}`, {
        redirect: 'manual',
      });
      assert.equal(signup.status, 302);

      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      assert.equal(code, 0, stderr);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });

  it('plays evidence with a random app key and no control API by default', async () => {
    const cli = await listening([]);
    try {
      assert.match(cli.info.appKey!, /^live_api_key_[A-Za-z0-9_-]{32}$/);
      const created = await createResource(cli.info);
      assert.equal(created.status, 201);
      assert.equal('api_token' in created.body.data, false, 'noTokenOnCreate, as on evidence');
      assert.equal((await fetch(`${new URL(cli.info.url!).origin}/_emulator`)).status, 404);
    } finally {
      await cli.stop();
    }
  });

  it('takes the profile from TK_EMULATOR_PROFILE, switches from --switch, and prints the control token with --control', async () => {
    const cli = await listening(['--switch', 'putNoContent', '--switch', 'refererOnly=on', '--switch', 'widgetOnlyScope=off', '--control-token', 'cli-token-1'], {
      TK_EMULATOR_PROFILE: 'optimistic',
      TK_EMULATOR_APP_KEY: 'live_api_key_from_env',
    });
    try {
      assert.deepEqual(Object.keys(cli.info).sort(), ['app', 'appKey', 'controlToken', 'testAppKey', 'url']);
      assert.equal(cli.info.controlToken, 'cli-token-1');
      assert.equal(cli.info.appKey, 'live_api_key_from_env');
      const info = await fetch(`${new URL(cli.info.url!).origin}/_emulator`, { headers: { authorization: 'Bearer cli-token-1' } });
      const { data } = await info.json();
      assert.equal(data.profile, 'optimistic');
      assert.deepEqual(
        Object.entries(data.switches).filter(([, on]) => on).map(([name]) => name),
        ['putNoContent', 'refererOnly'],
      );
      assert.equal('api_token' in (await createResource(cli.info)).body.data, true, 'optimistic');
    } finally {
      await cli.stop();
    }
  });

  it('--profile optimistic with --host 0.0.0.0: serves, and warns that it is off loopback', async () => {
    const cli = await listening(['--profile', 'optimistic', '--host', '0.0.0.0']);
    try {
      const url = cli.info.url!.replace('0.0.0.0', '127.0.0.1');
      assert.equal('api_token' in (await createResource({ ...cli.info, url })).body.data, true);
      assert.match(cli.stderr(), /listening on 0\.0\.0\.0, off loopback/);
    } finally {
      await cli.stop();
    }
  });

  it('--help lists every flag and every switch with its meaning', async () => {
    const help = await runToEnd(['--help']);
    assert.equal(help.code, 0);
    for (const flag of ['--profile', '--switch', '--app-key', '--test-app-key', '--cors-origin', '--callback-origin', '--control', '--control-token', '--state-file']) {
      assert.ok(help.stdout.includes(flag), flag);
    }
    const lines = help.stdout.split('\n').map((line) => line.trim());
    for (const name of ALL_SWITCHES) {
      const line = lines.find((l) => l.startsWith(`${name} `));
      assert.ok(line?.endsWith(FIDELITY_SWITCH_HELP[name]), `${name}: ${line}`);
    }
  });

  it('exits 2 with the usage on an unknown flag and on a bad value', async () => {
    const bad = await Promise.all(
      [['--bogus'], ['--port', 'eighty'], ['--profile', 'pessimistic'], ['--switch', 'putNoContnet'], ['--switch', 'putNoContent=maybe'], ['--cors-origin', 'app.test']].map(runToEnd),
    );
    for (const answer of bad) {
      assert.equal(answer.code, 2, answer.stderr);
      assert.match(answer.stderr, /Usage: tk-emulator/);
      assert.equal(answer.stdout, '');
    }
    const [unknown, port, profile, name, value, origin] = bad.map((answer) => answer.stderr);
    assert.match(unknown!, /bogus/);
    assert.match(port!, /--port/);
    assert.match(profile!, /--profile must be evidence or optimistic/);
    assert.match(name!, /unknown switch "putNoContnet"/);
    assert.match(value!, /must be on or off/);
    assert.match(origin!, /A CORS origin must be an origin/);
  });

  it('in process, resolves 0 once its signal aborts, and no longer answers', async () => {
    const captured = captureIo();
    const running = runEmulatorCommand(['--port', '0', '--json'], {}, captured.io);
    const info = JSON.parse(await firstLineOf(running, captured)) as Record<string, string>;
    assert.equal((await createResource(info)).status, 201);
    captured.stop();
    assert.equal(await running, 0);
    await assert.rejects(fetch(`${info.url}/resources`), 'the port is closed');
  });

  it('the bin runs the command: a bad flag exits 2 with the usage', async () => {
    const answer = await runBinToEnd(['--bogus']);
    assert.equal(answer.code, 2, answer.stderr);
    assert.match(answer.stderr, /^tk-emulator: Unknown option '--bogus'[\s\S]*Usage: tk-emulator/);
  });
});
