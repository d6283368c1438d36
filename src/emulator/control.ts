/**
 * The control API (`/_emulator/*`) that tests and the demo use to steer the emulator: read its
 * settings, add and clear faults, read and clear the recorded requests, move the clock, revoke an
 * account's grant, reset.
 * Every call needs `Authorization: Bearer <controlToken>`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatorClock } from './clock.js';
import type { CorsHeaders } from './cors.js';
import { HttpError, invalid, notFound } from './errors.js';
import { validateFaultRule, type Faults } from './faults.js';
import type { FidelityProfile, FidelitySwitches } from './fidelity.js';
import { errorReply, readJsonBody, sendReply, type Reply } from './http.js';
import type { RecordedRequest } from './pipeline.js';
import { sameSecret } from './secrets.js';
import { revokeGrant } from './calendar-accounts.js';
import { IDENTITIES, type Provider, type SeedApp } from './seed.js';
import type { EmulatorState } from './state.js';
import { parseDuration } from './time.js';

export interface ControlOptions {
  /** Null when the control API is off: every call is then 404. */
  controlToken: string | null;
  app: SeedApp;
  profile: FidelityProfile;
  fidelity: FidelitySwitches;
  widgetScope?: 'standard' | 'strict';
  state: EmulatorState;
  faults: Faults;
  requests: RecordedRequest[];
  clock: EmulatorClock;
  cors: CorsHeaders;
}

interface ControlRoute {
  method: string;
  /** The exact path: the control API has no parameters in its paths. */
  path: string;
  handler: (req: IncomingMessage) => Reply | Promise<Reply>;
}

export type ControlHandler = (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;

export function createControlHandler(options: ControlOptions): ControlHandler {
  const { controlToken, app, fidelity, state, faults, requests, clock } = options;

  const routes: ControlRoute[] = [
    {
      method: 'GET',
      path: '/_emulator',
      handler: () => ({
        status: 200,
        body: {
          data: {
            app: app.slug,
            profile: options.profile,
            switches: fidelity,
            widget_scope: options.widgetScope ?? 'standard',
            identities: (Object.keys(IDENTITIES) as Provider[]).flatMap((provider) =>
              IDENTITIES[provider].map((i) => ({ provider, email: i.email, name: i.name, summary: i.summary, calendars: i.calendars.length })),
            ),
            faults: faults.list(),
          },
        },
      }),
    },
    { method: 'GET', path: '/_emulator/faults', handler: () => ({ status: 200, body: { data: faults.list() } }) },
    {
      method: 'DELETE',
      path: '/_emulator/faults',
      handler() {
        faults.clear();
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/_emulator/faults',
      async handler(req) {
        const { rule, errors } = validateFaultRule(await readJsonBody(req));
        if (!rule) throw invalid(errors);
        return { status: 201, body: { data: faults.add(rule) } };
      },
    },
    { method: 'GET', path: '/_emulator/requests', handler: () => ({ status: 200, body: { data: requests } }) },
    {
      method: 'DELETE',
      path: '/_emulator/requests',
      handler() {
        requests.length = 0;
        return { status: 204 };
      },
    },
    {
      method: 'POST',
      path: '/_emulator/clock',
      async handler(req) {
        const body = (await readJsonBody(req)) as { advance?: unknown };
        const ms = parseDuration(body?.advance);
        if (ms === null) throw invalid({ advance: ['advance must be a relative time such as "2 hours"'] });
        clock.advance(ms);
        return { status: 200, body: { data: { now: clock.now().toISOString() } } };
      },
    },
    {
      method: 'POST',
      path: '/_emulator/revoke',
      async handler(req) {
        const body = (await readJsonBody(req)) as { email?: unknown; provider?: unknown } | null;
        const errors: Record<string, string[]> = {};
        if (typeof body?.email !== 'string' || body.email === '') errors.email = ['email must be the connected account’s email'];
        if (body?.provider !== 'google' && body?.provider !== 'microsoft') errors.provider = ['provider must be google or microsoft'];
        if (Object.keys(errors).length > 0) throw invalid(errors);
        const revoked = revokeGrant(state, body!.provider as Provider, body!.email as string);
        if (revoked === 0) throw notFound('Account', `No resource has a connected ${String(body!.provider)} account ${String(body!.email)}`);
        return { status: 200, body: { data: { revoked } } };
      },
    },
    {
      method: 'POST',
      path: '/_emulator/reset',
      handler() {
        state.clear();
        faults.clear();
        requests.length = 0;
        clock.reset();
        return { status: 204 };
      },
    },
  ];

  /** 404 when the API is off, 401 without the right bearer token. */
  function checkToken(req: IncomingMessage): void {
    if (controlToken === null) throw notFound('Route', 'The control API is off; start the emulator with --control');
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer === undefined || !sameSecret(bearer, controlToken)) {
      throw new HttpError(401, { error: 'The control API needs Authorization: Bearer <control token> (printed at start)' });
    }
  }

  return async function handleControl(req, res, path) {
    const method = req.method ?? 'GET';
    const reply = (r: Reply) => sendReply(res, r, { ...options.cors(req), 'cache-control': 'no-store' });
    try {
      checkToken(req);
      const route = routes.find((r) => r.method === method && r.path === path);
      if (!route) throw notFound('Route', `No emulator control endpoint at ${method} ${path}`);
      reply(await route.handler(req));
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      reply(errorReply(error));
    }
  };
}
