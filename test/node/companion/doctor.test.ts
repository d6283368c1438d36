/**
 * `tk-companion doctor` against the real emulator over HTTP: on both fidelity profiles and with each
 * switch alone it must name every switch it claims to settle as the emulator plays it; the command
 * never prints a secret (not the keys, not the resource token, not a token Timekit answered); it
 * reads the secrets as `tk-companion` does (`TK_COMPANION_*`, `*_FILE`; the old `TIMEKIT_*` with a
 * warning); and a wrong app key exits non-zero. The command runs as a process once, else in process.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { run as runCompanionCommand } from '../../../src/companion/cli.js';
import { DOCTOR_DOUBTS, runDoctor, type DoctorDoubt } from '../../../src/companion/doctor/index.js';
import { FIDELITY_SWITCHES, startEmulator, type Emulator, type FidelityProfile, type FidelitySwitches } from '../../../src/emulator/index.js';
import { captureIo } from '../cli-io.js';

const CLI = fileURLToPath(new URL('../../../src/companion/cli.ts', import.meta.url));

/** What no harmless call can settle (they need a Google consent or a lasting write). */
const NOT_ASKED: DoctorDoubt[] = ['callbackAsText', 'importOnlySynced', 'bookingFieldsRequired', 'denyWithoutError'];
const SETTLED = DOCTOR_DOUBTS.filter((name) => !NOT_ASKED.includes(name));

const appAuth = (emulator: Emulator) => `Basic ${Buffer.from(`:${emulator.appKey}`).toString('base64')}`;

/** A plain resource and its full token, found with the app key (the create answer may have none). */
async function newResource(emulator: Emulator): Promise<{ email: string; token: string }> {
  const email = `provider-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const headers = { authorization: appAuth(emulator), 'content-type': 'application/json' };
  const created = await fetch(`${emulator.url}/resources`, { method: 'POST', headers, body: JSON.stringify({ name: 'Provider', email, timezone: 'Europe/Berlin' }) });
  assert.equal(created.status, 201);
  const { data } = (await created.json()) as { data: { id: string } };
  const read = await fetch(`${emulator.url}/resources/${data.id}?include=credentials`, { headers });
  const { data: resource } = (await read.json()) as { data: { credentials: { token: string; scopes: string[] }[] } };
  return { email, token: resource.credentials.find((c) => c.scopes.includes('global'))!.token };
}

async function withEmulator<T>(options: { profile: FidelityProfile; switches?: Partial<FidelitySwitches> }, use: (emulator: Emulator) => Promise<T>) {
  const emulator = await startEmulator({ port: 0, ...options });
  try {
    return await use(emulator);
  } finally {
    await emulator.close();
  }
}

describe('tk-companion doctor', () => {
  it('has one row for every fidelity switch, in the same order', () => {
    assert.deepEqual([...DOCTOR_DOUBTS], [...FIDELITY_SWITCHES]);
  });

  const cases: { label: string; profile: FidelityProfile; switches?: Partial<FidelitySwitches> }[] = [
    { label: 'the optimistic profile', profile: 'optimistic' },
    { label: 'the evidence profile', profile: 'evidence' },
    ...FIDELITY_SWITCHES.map((name) => ({ label: `${name} alone`, profile: 'optimistic' as const, switches: { [name]: true } })),
  ];
  for (const { label, profile, switches } of cases) {
    it(`names every switch it settles as the emulator plays it: ${label}`, () =>
      withEmulator({ profile, switches }, async (emulator) => {
        const resource = await newResource(emulator);
        const report = await runDoctor({ apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey, resource, createTestResource: true });
        assert.deepEqual(report.problems, []);
        assert.equal(report.ok, true);
        assert.deepEqual(Object.keys(report.switches).sort(), [...SETTLED].sort(), 'settles exactly these');
        for (const name of SETTLED) assert.equal(report.switches[name], emulator.fidelity[name], name);
        for (const name of NOT_ASKED) assert.equal(report.rows.find((row) => row.name === name)?.answer, 'not-asked', name);
        // The throwaway resource keeps the working hours the doctor writes on it.
        assert.equal(report.rows.find((row) => row.name === 'resource rules')?.answer, 'ok');
        // Harmless: the probe credentials are gone again, and the calendar kept its provider_sync.
        assert.equal(report.rows.some((row) => row.name === 'cleanup'), false);
        const left = [...emulator.state.credentials.values()].filter((c) => c.description.startsWith('tk-companion doctor'));
        assert.deepEqual(left, []);
      }));
  }

  it('with the app key alone asks only what the app key can answer', () =>
    withEmulator({ profile: 'evidence' }, async (emulator) => {
      const report = await runDoctor({ apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey });
      assert.equal(report.ok, true);
      assert.deepEqual(report.switches, { searchIgnoresUnknown: true, bodyIgnoresUnknown: true, retryAfterHidden: true });
      const unasked = ['widgetOnlyScope', 'noTokenOnCreate', 'credentialArraysRefused', 'expiresIgnored', 'refererOnly', 'putNoContent', 'availabilityWidgetRefused', 'lowercaseDayIgnored', 'resource rules'] as const;
      for (const name of unasked) {
        assert.equal(report.rows.find((row) => row.name === name)?.answer, 'not-asked', name);
      }
    }));

  it('fails on a resource token Timekit refuses, and on an unknown app slug', () =>
    withEmulator({ profile: 'evidence' }, async (emulator) => {
      const resource = await newResource(emulator);
      const badToken = await runDoctor({ apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey, resource: { ...resource, token: 'not-the-token' } });
      assert.equal(badToken.ok, false);
      assert.match(badToken.problems.join('\n'), /refused the resource's email and token \(401\)/);
      const badSlug = await runDoctor({ apiBase: emulator.url, app: 'no-such-app', appKey: emulator.appKey });
      assert.equal(badSlug.ok, false);
      assert.match(badSlug.problems.join('\n'), /knows no app "no-such-app"/);
    }));

  it('asks whether the app accepts Microsoft 365 signup: a redirect is ok; a 404 for Microsoft alone fails that row, not the kit', () =>
    withEmulator({ profile: 'evidence' }, async (emulator) => {
      const accepted = await runDoctor({ apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey });
      assert.deepEqual(
        accepted.rows.filter((row) => row.name === 'app slug' || row.name === 'microsoft signup').map((row) => [row.name, row.answer]),
        [['app slug', 'ok'], ['microsoft signup', 'ok']],
      );
      // An app without Microsoft 365: Timekit's Microsoft signup answers 404, Google's still redirects.
      const front = createServer((req, res) => {
        if (req.url?.includes('/accounts/microsoft/signup')) {
          res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
        } else emulator.handler(req, res);
      });
      await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
      try {
        const apiBase = `http://127.0.0.1:${(front.address() as AddressInfo).port}${new URL(emulator.url).pathname}`;
        const without = await runDoctor({ apiBase, app: emulator.app, appKey: emulator.appKey });
        const row = without.rows.find((r) => r.name === 'microsoft signup')!;
        assert.deepEqual([row.answer, row.app], ['failed', 'signup answered 404']);
        assert.match(row.kit, /tk-microsoft-connect> cannot start/);
        assert.equal(without.ok, true, 'Google and everything else still work');
      } finally {
        front.closeAllConnections();
        await new Promise<void>((resolve) => front.close(() => resolve()));
      }
    }));

  it('asks the signup links as nobody: no Authorization header reaches /accounts/*/signup', () =>
    withEmulator({ profile: 'evidence' }, async (emulator) => {
      const signupAuthorizations: (string | undefined)[] = [];
      const front = createServer((req, res) => {
        if (req.url?.includes('/signup')) signupAuthorizations.push(req.headers.authorization);
        emulator.handler(req, res);
      });
      await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
      try {
        const apiBase = `http://127.0.0.1:${(front.address() as AddressInfo).port}${new URL(emulator.url).pathname}`;
        const report = await runDoctor({ apiBase, app: emulator.app, appKey: emulator.appKey });
        assert.equal(report.rows.find((row) => row.name === 'app slug')?.answer, 'ok');
        assert.deepEqual(signupAuthorizations, [undefined, undefined], 'Google and Microsoft, both without');
      } finally {
        front.closeAllConnections();
        await new Promise<void>((resolve) => front.close(() => resolve()));
      }
    }));

  it('fails when PUT /resources/:id does not keep availability_constraints (working hours could not be saved)', () =>
    withEmulator({ profile: 'evidence' }, async (emulator) => {
      // A Timekit that accepts the write but drops the constraints.
      const update = emulator.state.updateResource.bind(emulator.state);
      emulator.state.updateResource = (resource, changes) => update(resource, { ...changes, availability_constraints: resource.availability_constraints });
      const report = await runDoctor({ apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey, createTestResource: true });
      assert.equal(report.ok, false);
      assert.equal(report.rows.find((row) => row.name === 'resource rules')?.answer, 'failed');
      assert.match(report.problems.join('\n'), /does not keep availability_constraints/);
    }));

  it('fails when nothing answers at the API base', async () => {
    const report = await runDoctor({ apiBase: 'http://127.0.0.1:9/v2', app: 'tk-demo', appKey: 'key', timeoutMs: 2_000 });
    assert.equal(report.ok, false);
    assert.match(report.problems[0]!, /does not answer/);
  });

  it('refuses a plain-http API base off loopback before sending the app key there', async () => {
    const authorizations: string[] = [];
    const listener = createServer((req, res) => {
      authorizations.push(req.headers.authorization ?? '');
      res.end();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    try {
      // 0.0.0.0 reaches this machine's listener, but it is no loopback name: it stands for any host.
      const apiBase = `http://0.0.0.0:${(listener.address() as AddressInfo).port}/v2`;
      await assert.rejects(runDoctor({ apiBase, app: 'tk-demo', appKey: 'key', timeoutMs: 2_000 }), /apiBase must be https \(plain http only on loopback/);
      assert.deepEqual(authorizations, []);
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  describe('the command', () => {
    let emulator: Emulator;
    let proxy: Server;
    let proxyBase: string;
    /** How many requests reached Timekit through the proxy. */
    let proxied = 0;
    /** Every token Timekit put in an answer the doctor received (the proxy reads them). */
    const answeredTokens = new Set<string>();
    const dir = mkdtempSync(join(tmpdir(), 'tk-doctor-'));

    before(async () => {
      emulator = await startEmulator({ port: 0, profile: 'evidence' });
      // Between the doctor and the emulator: forwards each call and keeps the tokens in its answer.
      proxy = createServer(async (req, res) => {
        proxied++;
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => name !== 'host' && name !== 'connection')) as Record<string, string>;
        const answer = await fetch(`${emulator.origin}${req.url}`, {
          method: req.method,
          headers,
          body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
          redirect: 'manual',
        });
        const body = await answer.text();
        for (const match of body.matchAll(/"(?:api_)?token"\s*:\s*"([^"]+)"/g)) answeredTokens.add(match[1]!);
        const out = Object.fromEntries([...answer.headers].filter(([name]) => !['content-length', 'content-encoding', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)));
        res.writeHead(answer.status, out);
        res.end(body);
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyBase = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/v2`;
    });
    after(async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** The command in process, with only the environment given; its output is stdout and stderr together. */
    async function doctor(args: string[], env: Record<string, string>): Promise<{ code: number; output: string; stderr: string }> {
      const captured = captureIo();
      const code = await runCompanionCommand(['doctor', ...args], env, captured.io);
      return { code, output: captured.stdout() + captured.stderr(), stderr: captured.stderr() };
    }

    function doctorProcess(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
      // Only what the test gives: no TIMEKIT_* of the machine running the tests.
      const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(TIMEKIT_|TK_COMPANION_)/.test(name)));
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'doctor', ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
    }

    function assertNoSecret(output: string, secrets: string[]) {
      assert.ok(answeredTokens.size >= 2, 'the proxy saw the throwaway resource\'s token and a probe credential');
      for (const secret of [...secrets, ...answeredTokens]) {
        assert.ok(secret.length >= 8);
        assert.equal(output.includes(secret), false, `a secret (${secret.length} characters) is in the output`);
      }
    }

    it('prints one table, on the evidence profile, and no secret (table and --json)', async () => {
      const resource = await newResource(emulator);
      const secrets = [emulator.appKey, emulator.testAppKey, resource.token, Buffer.from(`:${emulator.appKey}`).toString('base64'), Buffer.from(`${resource.email}:${resource.token}`).toString('base64')];
      const env = { TK_COMPANION_APP_KEY: emulator.appKey, TK_COMPANION_RESOURCE_TOKEN: resource.token };
      const args = ['--api-base', proxyBase, '--app', emulator.app, '--resource-email', resource.email, '--create-test-resource'];

      const table = await doctorProcess(args, env);
      assert.equal(table.code, 0, table.output);
      assert.match(table.output, /^doubt +\| side +\| this app +\| the kit$/m);
      assert.match(table.output, /^widgetOnlyScope: .*\| evidence +\| /m);
      assert.match(table.output, /^callbackAsText: .*\| - +\| not asked: needs a Google consent/m);
      assert.match(table.output, /The kit can work with this app\.\n$/);
      assertNoSecret(table.output, secrets);

      const json = await doctorProcess([...args, '--json'], env);
      assert.equal(json.code, 0, json.output);
      const report = JSON.parse(json.output) as { ok: boolean; switches: Record<string, boolean> };
      assert.equal(report.ok, true);
      assert.equal(report.switches.widgetOnlyScope, true);
      assert.equal(report.switches.putNoContent, true);
      assertNoSecret(json.output, secrets);
    });

    it('reads the secrets from files too', async () => {
      const resource = await newResource(emulator);
      writeFileSync(join(dir, 'app-key'), `${emulator.appKey}\n`);
      writeFileSync(join(dir, 'token'), resource.token);
      const { code, output } = await doctor(
        ['--api-base', proxyBase, '--app', emulator.app, '--app-key-file', join(dir, 'app-key'), '--resource-email', resource.email, '--resource-token-file', join(dir, 'token'), '--json'],
        {},
      );
      assert.equal(code, 0, output);
      assert.equal((JSON.parse(output) as { switches: Record<string, boolean> }).switches.refererOnly, false);
      assertNoSecret(output, [emulator.appKey, resource.token]);
    });

    it('reads TK_COMPANION_APP_KEY_FILE and TK_COMPANION_RESOURCE_TOKEN_FILE, as tk-companion does', async () => {
      const resource = await newResource(emulator);
      writeFileSync(join(dir, 'env-app-key'), `${emulator.appKey}\n`);
      writeFileSync(join(dir, 'env-token'), `${resource.token}\n`);
      const env = { TK_COMPANION_APP_KEY_FILE: join(dir, 'env-app-key'), TK_COMPANION_RESOURCE_TOKEN_FILE: join(dir, 'env-token') };
      const { code, output } = await doctor(['--api-base', proxyBase, '--app', emulator.app, '--resource-email', resource.email, '--json'], env);
      assert.equal(code, 0, output);
      assert.equal((JSON.parse(output) as { rows: { name: string; answer: string }[] }).rows.find((row) => row.name === 'resource')?.answer, 'ok');
      assertNoSecret(output, [emulator.appKey, resource.token]);
    });

    it('still reads TIMEKIT_APP_KEY and TIMEKIT_RESOURCE_TOKEN, with a deprecation warning naming the new variables', async () => {
      const resource = await newResource(emulator);
      const { code, output, stderr } = await doctor(
        ['--api-base', proxyBase, '--app', emulator.app, '--resource-email', resource.email],
        { TIMEKIT_APP_KEY: emulator.appKey, TIMEKIT_RESOURCE_TOKEN: resource.token },
      );
      assert.equal(code, 0, output);
      assert.match(stderr, /warning: TIMEKIT_APP_KEY is deprecated .*use TK_COMPANION_APP_KEY or TK_COMPANION_APP_KEY_FILE/);
      assert.match(stderr, /warning: TIMEKIT_RESOURCE_TOKEN is deprecated .*use TK_COMPANION_RESOURCE_TOKEN or TK_COMPANION_RESOURCE_TOKEN_FILE/);
      assertNoSecret(output, [emulator.appKey, resource.token]);
      const current = await doctor(['--api-base', proxyBase, '--app', emulator.app], { TK_COMPANION_APP_KEY: emulator.appKey });
      assert.equal(current.stderr.includes('deprecated'), false, 'no warning for the current names');
    });

    it('exits 1 on a wrong app key, without printing it', async () => {
      const wrongKey = 'wrong-app-key-0123456789abcdef';
      const { code, output } = await doctor(['--api-base', proxyBase, '--app', emulator.app], { TK_COMPANION_APP_KEY: wrongKey });
      assert.equal(code, 1);
      assert.match(output, /Timekit refused the app key/);
      assert.equal(output.includes(wrongKey), false);
      assert.equal(output.includes(Buffer.from(`:${wrongKey}`).toString('base64')), false);
    });

    it('exits 2 on a plain-http --api-base off loopback, and sends nothing there', async () => {
      const before = proxied;
      const offLoopback = proxyBase.replace('//127.0.0.1:', '//0.0.0.0:');
      const { code, output } = await doctor(['--api-base', offLoopback, '--app', emulator.app], { TK_COMPANION_APP_KEY: emulator.appKey });
      assert.equal(code, 2, output);
      assert.match(output, /--api-base must be https \(plain http only on loopback/);
      assert.equal(proxied, before);
      assert.equal(output.includes(emulator.appKey), false);
    });

    it('exits 2 without an app key, or with a token but no email', async () => {
      const noKey = await doctor(['--api-base', proxyBase, '--app', emulator.app], {});
      assert.equal(noKey.code, 2);
      assert.match(noKey.output, /give the app key in TK_COMPANION_APP_KEY/);
      writeFileSync(join(dir, 'lonely-token'), 'some-token-value');
      const noEmail = await doctor(['--app', emulator.app, '--resource-token-file', join(dir, 'lonely-token')], { TK_COMPANION_APP_KEY: 'key-value-123' });
      assert.equal(noEmail.code, 2);
      assert.match(noEmail.output, /needs --resource-email/);
      assert.equal(noEmail.output.includes('some-token-value'), false);
    });
  });
});
