/**
 * The PostgreSQL store against someone who can write to its database without the secret (the
 * plain columns are bound to the encrypted token), and a secret rotation rolled out instance by
 * instance (an instance not yet restarted keeps reading everything until the explicit re-encryption).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createCipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { postgresStore, type PostgresStore, type PostgresStoreOptions } from '../../../src/companion/stores/postgres.js';
import type { CachedCredential } from '../../../src/companion/stores/contract.js';
import { connect, PAGE, postSession, startRig } from './helpers.js';
import { postgresMissing, startCluster, type Cluster } from './postgres-cluster.js';

const OLD_SECRET = 'old-store-secret-0123456789-abcdefghijklmnop';
const NEW_SECRET = 'new-store-secret-0123456789-abcdefghijklmnop';
const ORIGIN = 'https://app.example.com';
const record = (name: string) => ({
  resourceId: `6f1b7c1e-0000-4000-8000-00000000000${name.length}`,
  email: `${name}@example.com`,
  token: `resource-token-of-${name}`,
  accounts: [],
});
const credential = (id: string): CachedCredential => ({ id, token: `widget-token-${id}`, expiresAt: Date.now() + 60_000, renewAt: Date.now() + 45_000 });

const CLI = fileURLToPath(new URL('../../../src/companion/cli.ts', import.meta.url));

/** Runs `tk-companion` with `args` and the secrets in the environment: resolves with its first stdout line, or its exit. */
function runCli(args: string[], env: Record<string, string>): { firstLine: Promise<string>; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const firstLine = Promise.race([
    new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
    exit.then((code) => Promise.reject(new Error(`tk-companion exited ${code}: ${stderr}`))),
  ]);
  firstLine.catch(() => {});
  return {
    firstLine,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exit;
    },
  };
}

const missing = postgresMissing();

describe('postgresStore', { skip: missing ?? false }, () => {
  let cluster: Cluster;
  const closers: (() => Promise<void>)[] = [];
  before(async () => {
    cluster = await startCluster();
  });
  after(async () => {
    for (const close of closers.reverse()) await close();
    await cluster?.stop();
  });

  function open(url: string, options: PostgresStoreOptions): PostgresStore {
    const store = postgresStore(url, options);
    closers.push(() => store.close());
    return store;
  }

  async function sql(url: string, text: string, values: unknown[] = []) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await client.query(text, values);
    } finally {
      await client.end();
    }
  }

  for (const column of ['resource_id', 'email'] as const) {
    it(`a row whose ${column} was pointed at another provider's hands out nothing of hers: that user reads as not connected, and it is logged`, async () => {
      const url = await cluster.createDatabase(`tampered_${column}`);
      const store = open(url, { secret: OLD_SECRET });
      const rig = await startRig({ store, mode: 'direct' });
      closers.push(() => rig.close());
      await connect(rig, 'bob', 'yuki.tanaka@example.jp');
      await connect(rig, 'mallory', 'jordan.reed@example.com');
      const bob = JSON.parse((await postSession(rig, 'bob')).body) as { resourceId: string; email: string; token: string };

      await sql(url, `UPDATE tk_companion_records SET ${column} = $1 WHERE user_id = 'mallory'`, [column === 'resource_id' ? bob.resourceId : bob.email]);
      const mallory = await postSession(rig, 'mallory');
      assert.equal(mallory.status, 200);
      assert.deepEqual(JSON.parse(mallory.body), { status: 'signed-out' }, "no session, so none of bob's credentials");
      assert.ok(
        rig.logs.some((line) => line.includes('"mallory"') && line.includes('integrity check')),
        'the log says which user has a tampered row',
      );
      assert.equal((JSON.parse((await postSession(rig, 'bob')).body) as { token: string }).token, bob.token, 'bob is served as before');
    });
  }

  it('reads rows written before resource and email were bound to the token, and reencrypt() binds them', async () => {
    const url = await cluster.createDatabase('legacy_rows');
    const store = open(url, { secret: OLD_SECRET });
    await store.put('ana', record('ana'));
    // What the earlier release wrote: `v1.` tokens authenticated with `record <userId>` only.
    const legacy = (await sql(url, "SELECT token FROM tk_companion_records WHERE user_id = 'ana'")).rows[0]!.token as string;
    assert.match(legacy, /^v2\./);
    const older = legacyRecordToken(OLD_SECRET, 'ana', 'resource-token-of-ana');
    await sql(url, "UPDATE tk_companion_records SET token = $1 WHERE user_id = 'ana'", [older]);
    assert.deepEqual(await store.get('ana'), record('ana'));
    assert.equal(await store.reencrypt(), 1);
    assert.match((await sql(url, "SELECT token FROM tk_companion_records WHERE user_id = 'ana'")).rows[0]!.token as string, /^v2\./);
    assert.deepEqual(await store.get('ana'), record('ana'));
  });

  it('rotates the secret instance by instance: one still on the old secret reads every row until reencrypt() switches the key', async () => {
    const url = await cluster.createDatabase('rotation');
    const notYetRestarted = open(url, { secret: OLD_SECRET });
    await notYetRestarted.put('ana', record('ana'));

    // The rollout: an instance restarted with the new secret and the old one, writing as usual.
    const restarted = open(url, { secret: NEW_SECRET, previousSecrets: [OLD_SECRET] });
    assert.deepEqual(await restarted.get('ana'), record('ana'));
    await restarted.put('ben', record('ben'));
    await restarted.writeCredential!('res-1', ORIGIN, credential('c1'));
    assert.deepEqual(await notYetRestarted.get('ben'), record('ben'), 'the old instance reads what the new one wrote');
    assert.deepEqual(await notYetRestarted.readCredential!('res-1', ORIGIN), await restarted.readCredential!('res-1', ORIGIN));

    // Every instance runs with both secrets: the explicit re-encryption switches to the new key.
    const alsoRestarted = open(url, { secret: NEW_SECRET, previousSecrets: [OLD_SECRET] });
    assert.equal(await alsoRestarted.reencrypt(), 3);
    assert.equal(await alsoRestarted.reencrypt(), 0, 'nothing left under the old key');
    await restarted.put('cara', record('cara'));

    // The old secret dropped: everything reads with the new one alone.
    const afterwards = open(url, { secret: NEW_SECRET });
    for (const name of ['ana', 'ben', 'cara']) assert.deepEqual(await afterwards.get(name), record(name));
    assert.equal((await afterwards.readCredential!('res-1', ORIGIN))?.token, 'widget-token-c1');
  });

  it('tk-companion starts with the new secret without re-encrypting (instances on the old one keep reading); `tk-companion reencrypt` does it', async () => {
    const url = await cluster.createDatabase('rotation_cli');
    const notYetRestarted = open(url, { secret: OLD_SECRET });
    await notYetRestarted.put('ana', record('ana'));
    const rotating = { TK_COMPANION_STORE: url, TK_COMPANION_SECRET: NEW_SECRET, TK_COMPANION_PREVIOUS_SECRET: OLD_SECRET };

    const restarted = runCli(['--port', '0', '--app', 'tk-demo', '--origin', PAGE, '--dev-user', 'ana'], { ...rotating, TK_COMPANION_APP_KEY: 'unused-app-key' });
    try {
      assert.match(await restarted.firstLine, /listening/);
      assert.deepEqual(await notYetRestarted.get('ana'), record('ana'), 'the row is still under the old key');
    } finally {
      await restarted.stop();
    }

    const reencrypt = runCli(['reencrypt'], rotating);
    assert.match(await reencrypt.firstLine, /re-encrypted 1 tokens/);
    await reencrypt.stop();
    assert.deepEqual(await open(url, { secret: NEW_SECRET }).get('ana'), record('ana'));
  });
});

/** A record token as the release before the binding wrote it (AES-256-GCM, AAD `record <userId>`). */
function legacyRecordToken(secret: string, userId: string, token: string): string {
  const key = Buffer.from(hkdfSync('sha256', secret, 'tk-companion', 'postgres-store token encryption v1', 32));
  const keyId = createHash('sha256').update(key).digest('base64url').slice(0, 8);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(`record ${userId}`));
  const sealed = Buffer.concat([cipher.update(token, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `v1.${keyId}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}
