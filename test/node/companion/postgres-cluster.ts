/**
 * A throwaway PostgreSQL cluster for the tests: `initdb` in a temporary folder, `postgres` on a
 * free loopback port (no system service), stopped by its pid at the end. As root the server
 * binaries refuse to run, so they run as the `postgres` system user.
 *
 * Where PostgreSQL is not installed the tests that need it skip with a loud message, except
 * under CI (CI=true), where its absence is a failure: `.ci/run` installs Debian's `postgresql`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Cluster {
  url: string;
  /** A fresh database in the cluster, for one suite. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server as a restart does (open connections are ended), and starts it again on the same data and port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function findBinaries(): string | null {
  // TK_PG_BIN names the folder of the server binaries, when not Debian's.
  const fromEnv = process.env.TK_PG_BIN;
  if (fromEnv !== undefined) return existsSync(join(fromEnv, 'postgres')) ? fromEnv : null;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0]!, 'bin') : null;
}

const BIN = findBinaries();
const IS_ROOT = process.getuid?.() === 0;

/**
 * Why the PostgreSQL tests cannot run here, or null when they can. Under CI a missing PostgreSQL
 * throws instead, so the run fails rather than passing without the tests.
 */
export function postgresMissing(): string | null {
  if (BIN !== null) return null;
  const message = 'PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/postgres, or none in TK_PG_BIN; apt-get install postgresql)';
  if (process.env.CI) throw new Error(`${message}: CI must run the PostgreSQL tests`);
  process.stderr.write(`\n*** SKIPPING the PostgreSQL tests: ${message} ***\n\n`);
  return message;
}

/** Runs a server binary, as the postgres user when we are root. */
function command(binary: string, args: string[]): [string, string[]] {
  const path = join(BIN!, binary);
  return IS_ROOT ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startCluster(): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'tk-pg-'));
  // The postgres user must write the folder (mkdtemp makes it 0700 for us).
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const [initdb, initArgs] = command('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const init = spawnSync(initdb, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);

  const port = await freePort();
  const url = `postgres://postgres@127.0.0.1:${port}`;
  const pg = (await import('pg')).default;

  /** Starts the server on the data folder and port, and resolves once it accepts connections. */
  async function launch(): Promise<ChildProcess> {
    const [postgres, args] = command('postgres', [
      '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=200',
    ]);
    let log = '';
    const server: ChildProcess = spawn(postgres, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    server.stderr!.on('data', (chunk) => (log += chunk));
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`postgres exited ${server.exitCode}: ${log}`);
      const client = new pg.Client({ connectionString: `${url}/postgres` });
      try {
        await client.connect();
        await client.end();
        return server;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`postgres did not accept connections: ${(error as Error).message}\n${log}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /**
   * Stops the server by the postmaster's own pid (the child may be runuser). SIGTERM is its
   * "smart" shutdown, which lets closing clients finish; SIGINT, the "fast" one, ends any
   * connection left open at once.
   */
  async function shutdown(server: ChildProcess, signal: 'SIGTERM' | 'SIGINT') {
    if (server.exitCode !== null) return;
    const gone = new Promise((resolve) => server.once('exit', resolve));
    const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, signal);
    const fast = setTimeout(() => process.kill(postmaster, 'SIGINT'), 3_000);
    await gone;
    clearTimeout(fast);
  }

  let server = await launch();
  return {
    url: `${url}/postgres`,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: `${url}/postgres` });
      await client.connect();
      await client.query(`CREATE DATABASE ${name}`);
      await client.end();
      return `${url}/${name}`;
    },
    async restart() {
      await shutdown(server, 'SIGINT');
      server = await launch();
    },
    async stop() {
      await shutdown(server, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
