/**
 * The demo's server side, as a Vite plugin: starts the embedded Timekit emulator next to the
 * Vite dev server and plays the host app's back end for the Google connect round trip. The
 * resource token Timekit hands back stays here, in server memory; the page only learns the email.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Plugin } from 'vite';
import { GOOGLE_IDENTITIES, startEmulator, type Emulator } from '../src/emulator/index.js';
import type { TimekitCalendar } from '../src/shared/timekit.js';

interface Connection {
  email: string;
  token: string;
}

const COOKIE = 'tk_demo_session';

function sessionId(req: IncomingMessage): string | undefined {
  return /(?:^|;\s*)tk_demo_session=([\w-]+)/.exec(req.headers.cookie ?? '')?.[1];
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The page Timekit's callback lands on: tells the opener (same origin only) and closes. */
function callbackPage(origin: string, message: { ok: boolean; email?: string; error?: string }): string {
  const payload = JSON.stringify({ type: 'tk-demo-connect', ...message }).replace(/</g, '\\u003c');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>Connecting…</title>
<p>${message.ok ? 'Connected. You can close this window.' : 'Google access was declined. You can close this window.'}</p>
<script>
  if (window.opener) { window.opener.postMessage(${payload}, ${JSON.stringify(origin)}); window.close(); }
  else { location.replace('/?connect=' + (${JSON.stringify(message.ok)} ? 'ok' : 'declined')); }
</script></html>`;
}

export function tkDemo(): Plugin {
  let emulator: Emulator | undefined;
  const connections = new Map<string, Connection>();

  async function timekit<T>(connection: Connection, method: string, path: string): Promise<T> {
    const response = await fetch(`${emulator!.url}${path}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${connection.email}:${connection.token}`).toString('base64')}`,
        'timekit-app': emulator!.app,
      },
    });
    if (!response.ok) throw new Error(`Timekit answered ${response.status} to ${method} ${path}`);
    return ((await response.json()) as { data: T }).data;
  }

  return {
    name: 'tk-demo',
    async configureServer(server) {
      emulator = await startEmulator({ port: Number(process.env.TK_EMULATOR_PORT ?? 0) });
      server.httpServer?.once('close', () => void emulator?.close());
      server.httpServer?.once('listening', () => {
        server.config.logger.info(`\n  Timekit emulator  ${emulator!.url}  (app "${emulator!.app}")`);
        server.config.logger.info(`  Fake Google identities: ${GOOGLE_IDENTITIES.map((i) => i.email).join(', ')}\n`);
      });

      server.middlewares.use(async (req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://demo.invalid');
        const origin = `http://${req.headers.host}`;
        try {
          if (url.pathname === '/demo/info') {
            const identities = GOOGLE_IDENTITIES.map(({ email, name, summary, calendars }) => ({
              email,
              name,
              summary,
              calendars: calendars.length,
            }));
            return json(res, 200, { apiBase: emulator!.url, app: emulator!.app, identities });
          }
          if (url.pathname === '/demo/connect') {
            const callback = `${origin}/demo/callback`;
            const signup = new URL(`${emulator!.url}/accounts/google/signup`);
            signup.searchParams.set('Timekit-App', emulator!.app);
            signup.searchParams.set('callback', callback);
            res.writeHead(302, { location: signup.toString() });
            return res.end();
          }
          if (url.pathname === '/demo/callback') {
            const email = url.searchParams.get('email');
            const token = url.searchParams.get('token');
            res.setHeader('content-type', 'text/html; charset=utf-8');
            res.setHeader('cache-control', 'no-store');
            if (!email || !token) return res.end(callbackPage(origin, { ok: false, error: url.searchParams.get('error') ?? 'unknown' }));
            const id = randomUUID();
            connections.set(id, { email, token });
            res.setHeader('set-cookie', `${COOKIE}=${id}; Path=/; HttpOnly; SameSite=Lax`);
            return res.end(callbackPage(origin, { ok: true, email }));
          }
          if (url.pathname === '/demo/calendars') {
            const connection = connections.get(sessionId(req) ?? '');
            if (!connection) return json(res, 401, { error: 'Connect a Google account first' });
            await timekit(connection, 'POST', '/accounts/sync');
            const calendars = await timekit<TimekitCalendar[]>(connection, 'GET', '/calendars?limit=1000');
            return json(res, 200, { email: connection.email, calendars });
          }
        } catch (error) {
          return json(res, 502, { error: (error as Error).message });
        }
        next();
      });
    },
  };
}
