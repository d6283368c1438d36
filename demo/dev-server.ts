/**
 * The demo's server side, as a Vite plugin: it plays the host app. It mounts the companion at
 * `/timekit` the way a host would, simulates the host's own login (a cookie naming one of a few
 * demo users, each with their own companion record) and exposes the server-side plain-resource
 * helper (guide step 1a) as a small route. Resource tokens stay in the companion's store; the
 * page only ever gets short-lived widget credentials.
 *
 * Timekit: the embedded emulator by default. With TIMEKIT_APP and TIMEKIT_APP_KEY set (and
 * optionally TIMEKIT_API_BASE), the real Timekit instead; the fake consent identities do not apply.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Plugin } from 'vite';
import { CompanionError, createCompanion, DEFAULT_API_BASE, loginCookie, type Companion, type CompanionStore, type TimekitRecord } from '../src/companion/index.js';
import { toNodeHandler } from '../src/companion/node.js';
import { ALL_SWITCHES, GOOGLE_IDENTITIES, MICROSOFT_IDENTITIES, startEmulator, type Emulator, type FidelitySwitches } from '../src/emulator/index.js';

/** The host app's users. Signing in is a cookie; a real host has its own login. */
export const DEMO_USERS = [
  { id: 'ada', name: 'Ada Lovelace', role: 'Physiotherapist' },
  { id: 'ben', name: 'Ben Okafor', role: 'Maths tutor' },
  { id: 'carmen', name: 'Carmen Ruiz', role: 'Hair stylist' },
] as const;

export const USER_COOKIE = 'tk_demo_user';

interface Backend {
  kind: 'emulator' | 'timekit';
  apiBase: string;
  app: string;
  appKey: string;
}

function userOf(cookieHeader: string | null | undefined): string | null {
  const id = loginCookie(cookieHeader, USER_COOKIE);
  return DEMO_USERS.some((u) => u.id === id) ? id : null;
}

/**
 * A store in memory with the one thing the demo needs beyond the companion's: "start over".
 * No `consumeNonce`: one process, so the companion's own nonce memory is enough.
 */
function demoStore(): CompanionStore & { forget(userId: string): void } {
  const records = new Map<string, TimekitRecord>();
  return {
    get: (userId) => records.get(userId) ?? null,
    put: (userId, record) => void records.set(userId, structuredClone(record)),
    forget: (userId) => void records.delete(userId),
  };
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 10_000) throw new Error('body too large');
  }
  return text === '' ? {} : JSON.parse(text);
}

export function tkDemo(): Plugin {
  let emulator: Emulator | undefined;
  // Created once the server listens: the companion allows exactly the page origins of that port.
  let companion: Companion | undefined;
  const store = demoStore();

  /** `TK_EMULATOR_SWITCHES=secondSignupAttaches,…`: which side of a doubt the demo's emulator plays (docs/emulator.md). */
  function switchesFromEnv(list = ''): Partial<FidelitySwitches> {
    const names = list.split(',').map((name) => name.trim()).filter(Boolean);
    const unknown = names.filter((name) => !(ALL_SWITCHES as readonly string[]).includes(name));
    if (unknown.length > 0) throw new Error(`TK_EMULATOR_SWITCHES: unknown switch ${unknown.join(', ')}; known: ${ALL_SWITCHES.join(', ')}`);
    return Object.fromEntries(names.map((name) => [name, true]));
  }

  return {
    name: 'tk-demo',
    async configureServer(server) {
      let backend: Backend;
      const { TIMEKIT_APP: app, TIMEKIT_APP_KEY: appKey } = process.env;
      if (app && appKey) {
        backend = { kind: 'timekit', apiBase: process.env.TIMEKIT_API_BASE || DEFAULT_API_BASE, app, appKey };
      } else {
        // `optimistic` until the kit passes on `evidence` (docs/emulator.md, the switches).
        emulator = await startEmulator({ port: Number(process.env.TK_EMULATOR_PORT ?? 0), switches: switchesFromEnv(process.env.TK_EMULATOR_SWITCHES) });
        server.httpServer?.once('close', () => void emulator?.close());
        backend = { kind: 'emulator', apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey };
      }

      server.httpServer?.once('listening', () => {
        const { port } = server.httpServer!.address() as AddressInfo;
        const { host } = server.config.server;
        const hosts = new Set(['127.0.0.1', 'localhost', ...(typeof host === 'string' ? [host] : [])]);
        companion = createCompanion({
          apiBase: backend.apiBase,
          app: backend.app,
          appKey: backend.appKey,
          secret: randomBytes(32).toString('hex'),
          allowedOrigins: [...hosts].map((h) => `http://${h}:${port}`),
          basePath: '/timekit',
          authenticate: (request) => userOf(request.headers.get('cookie')),
          store,
        });
        const log = server.config.logger;
        log.info(
          backend.kind === 'emulator'
            ? `\n  Timekit emulator  ${backend.apiBase}  (app "${backend.app}")`
            : `\n  Timekit           ${backend.apiBase}  (app "${backend.app}", from TIMEKIT_APP)`,
        );
        log.info(`  Companion         /timekit on this server; demo users: ${DEMO_USERS.map((u) => u.id).join(', ')}`);
        if (backend.kind === 'emulator') {
          log.info(`  Fake Google identities: ${GOOGLE_IDENTITIES.map((i) => i.email).join(', ')}`);
          log.info(`  Fake Microsoft identities: ${MICROSOFT_IDENTITIES.map((i) => i.email).join(', ')}\n`);
        }
      });

      server.middlewares.use('/timekit', (req, res, next) => {
        if (!companion) return next();
        return toNodeHandler(companion)(req, res);
      });

      // The host app's own routes. Every POST must come from this page (a simple CSRF check).
      server.middlewares.use('/demo', (req, res, next) => {
        const user = userOf(req.headers.cookie);
        const path = (req.url ?? '/').split('?')[0];
        if (req.method === 'GET' && path === '/info') {
          send(res, 200, {
            backend: backend.kind,
            apiBase: backend.apiBase,
            app: backend.app,
            users: DEMO_USERS,
            user,
            identities:
              backend.kind === 'emulator'
                ? [
                    ...GOOGLE_IDENTITIES.map(({ email, name, summary }) => ({ provider: 'Google', email, name, summary })),
                    ...MICROSOFT_IDENTITIES.map(({ email, name, summary }) => ({ provider: 'Microsoft', email, name, summary })),
                  ]
                : [],
          });
          return;
        }
        if (req.method !== 'POST') return next();
        if (req.headers.origin !== `http://${req.headers.host}`) {
          send(res, 403, { error: { code: 'origin-not-allowed', message: 'Demo routes take POSTs from the demo page only' } });
          return;
        }
        void (async () => {
          const body = (await readJson(req).catch(() => null)) as Record<string, unknown> | null;
          if (body === null || typeof body !== 'object') {
            send(res, 400, { error: { code: 'invalid', message: 'Send a JSON object' } });
            return;
          }
          if (path === '/sign-in') {
            const id = DEMO_USERS.find((u) => u.id === body.user)?.id;
            if (!id) return send(res, 400, { error: { code: 'invalid', message: 'Unknown demo user' } });
            return send(res, 204, undefined, { 'set-cookie': `${USER_COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax` });
          }
          if (path === '/sign-out') {
            return send(res, 204, undefined, { 'set-cookie': `${USER_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0` });
          }
          if (!user) return send(res, 401, { error: { code: 'unauthenticated', message: 'Sign in first' } });
          if (path === '/start-over') {
            // Forgets which resource this host user has; the resource itself stays in Timekit.
            store.forget(user);
            return send(res, 204);
          }
          if (path === '/resources' && companion) {
            const { name, email, timezone } = body;
            if (typeof name !== 'string' || typeof email !== 'string' || typeof timezone !== 'string') {
              return send(res, 400, { error: { code: 'invalid', message: 'name, email and timezone are required' } });
            }
            try {
              return send(res, 201, await companion.provisionResource(user, { name, email, timezone }));
            } catch (error) {
              if (error instanceof CompanionError) return send(res, error.status, { error: { code: error.code, message: error.message } });
              if (error instanceof TypeError) return send(res, 400, { error: { code: 'invalid', message: error.message } });
              return send(res, 500, { error: { code: 'internal', message: (error as Error).message } });
            }
          }
          next();
        })();
      });
    },
  };
}
