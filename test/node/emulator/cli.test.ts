/**
 * The `tk-emulator` CLI as a process: `--port 0 --json` prints one JSON line once listening, the
 * API answers through it, SIGTERM stops it; bad flags exit 2 with the usage.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../../src/emulator/cli.ts', import.meta.url));

function run(args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs the CLI to its end and collects its output. */
async function runToEnd(args: string[]) {
  const child = run(args);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

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

  it('exits 2 with the usage on an unknown flag and on a bad value', async () => {
    const [unknown, port] = await Promise.all([runToEnd(['--bogus']), runToEnd(['--port', 'eighty'])]);
    for (const bad of [unknown, port]) {
      assert.equal(bad.code, 2, bad.stderr);
      assert.match(bad.stderr, /Usage: tk-emulator/);
      assert.equal(bad.stdout, '');
    }
    assert.match(unknown.stderr, /bogus/);
    assert.match(port.stderr, /--port/);
  });
});
