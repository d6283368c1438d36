/**
 * Several `tk-companion` processes on one PostgreSQL store behind a small round-robin proxy, the
 * way a host runs them behind a load balancer: every instance has the proxy's address as its
 * `--public-url`, so a connect's callback can land on any of them. The proxy tags each answer
 * with the instance that served it (`x-served-by`) and answers 502 when that instance is gone,
 * as a load balancer does for the requests in flight; an instance that refuses connections is
 * taken out of the rotation.
 *
 * Used by scale-out.test.ts, test/e2e/scale-out.test.ts and `npm run bench -- scale-out`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';

const CLI = fileURLToPath(new URL('../../../src/companion/cli.ts', import.meta.url));
const JWT_SECRET = 'scale-out-jwt-secret-0123456789-abcdefghijkl';
const COMPANION_SECRET = 'scale-out-companion-secret-0123456789-abcdef';

interface Instance {
  url: string;
  port: number;
  child: ChildProcess;
  /** SIGKILL: the instance dies mid-request, as a crashed or evicted process does. */
  kill(): Promise<void>;
}

/** One request as the proxy passed it on. */
interface Proxied {
  method: string;
  /** Without the query (which may carry a token). */
  path: string;
  instance: number;
}

export interface ScaleOut {
  proxyUrl: string;
  instances: Instance[];
  /** Every request the proxy passed on, in order. */
  proxied: Proxied[];
  close(): Promise<void>;
}

export interface ScaleOutOptions {
  instances: number;
  databaseUrl: string;
  apiBase: string;
  app: string;
  appKey: string;
  origins: string[];
}

/** A host user's login as the standalone server expects it: an HS256 JWT in the `tk_companion_jwt` cookie. */
export async function loginCookie(user: string): Promise<string> {
  const jwt = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(user).setIssuedAt().setExpirationTime('30m').sign(new TextEncoder().encode(JWT_SECRET));
  return `tk_companion_jwt=${jwt}`;
}

async function startInstance(options: ScaleOutOptions, publicUrl: string): Promise<Instance> {
  const args = ['--import', 'tsx', CLI, '--port', '0', '--json', '--public-url', publicUrl, '--api-base', options.apiBase, '--app', options.app];
  for (const origin of options.origins) args.push('--origin', origin);
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      TK_COMPANION_APP_KEY: options.appKey,
      TK_COMPANION_STORE: options.databaseUrl,
      TK_COMPANION_SECRET: COMPANION_SECRET,
      TK_COMPANION_JWT_SECRET: JWT_SECRET,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const line = await Promise.race([
    new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve)),
    new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`tk-companion exited ${code}: ${stderr}`)))),
  ]);
  const url = (JSON.parse(line) as { url: string }).url;
  const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
  return {
    url,
    port: Number(new URL(url).port),
    child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

async function stopInstance(instance: Instance) {
  const { child } = instance;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await gone;
}

export async function startScaleOut(options: ScaleOutOptions): Promise<ScaleOut> {
  const instances: Instance[] = [];
  const proxied: Proxied[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let next = 0;
  /** Instances that refused a connection: out of the rotation, as a load balancer's passive health check does. */
  const down = new Set<number>();
  const proxy = createServer((req, res) => {
    let index = next++ % instances.length;
    while (down.has(index) && down.size < instances.length) index = next++ % instances.length;
    proxied.push({ method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0]!, instance: index });
    const upstream = request(
      { host: '127.0.0.1', port: instances[index]!.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode!, { ...answer.headers, 'x-served-by': String(index) });
        answer.pipe(res);
      },
    );
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED') down.add(index);
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'content-type': 'text/plain', 'x-served-by': String(index) });
      res.end('the instance behind the proxy is gone');
    });
    req.pipe(upstream);
  });
  proxy.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  try {
    // One at a time: the first creates the schema, and two cores start three processes no faster together.
    for (let i = 0; i < options.instances; i++) instances.push(await startInstance(options, proxyUrl));
  } catch (error) {
    await Promise.all(instances.map(stopInstance));
    proxy.close();
    throw error;
  }
  return {
    proxyUrl,
    instances,
    proxied,
    async close() {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      agent.destroy();
      await Promise.all(instances.map(stopInstance));
    },
  };
}
