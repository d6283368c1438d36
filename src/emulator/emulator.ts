/**
 * Assembles one emulator: its clock, data, app keys and faults from the options, and the
 * `node:http` handler that sends each request to its part by path: the Timekit API (`/v2`,
 * `pipeline.ts`), the fake Google and Microsoft consent screens (`/_google/consent`,
 * `/_microsoft/consent`, `consent.ts`) and the
 * control API (`/_emulator`, `control.ts`). `server.ts` puts the handler on a socket.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatorClock } from './clock.js';
import { consentPath } from './consent-page.js';
import { createConsentHandler } from './consent.js';
import { createControlHandler } from './control.js';
import { answerPreflight, corsPolicy } from './cors.js';
import { Faults, type FaultRule } from './faults.js';
import { resolveFidelity, type FidelityProfile, type FidelitySwitches } from './fidelity.js';
import { sendReply } from './http.js';
import { createApiPipeline, type RecordedRequest } from './pipeline.js';
import { ConsentTokens, normaliseOrigin, randomSecret } from './secrets.js';
import { DEFAULT_APP, type SeedApp } from './seed.js';
import { EmulatorState } from './state.js';

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Override the seeded app's slug and keys. Without keys, each run makes random ones (a state file keeps them). */
  app?: Partial<SeedApp>;
  /** Which side of the doubts about Timekit to play (docs/emulator.md): `evidence` (default) or `optimistic`. */
  profile?: FidelityProfile;
  /** Single switches over the profile's. */
  switches?: Partial<FidelitySwitches>;
  /** Origins whose pages may read the answers (CORS); default: every loopback origin, any port. */
  corsOrigins?: string[];
  /** Origins a signup callback may point at, besides loopback ones. */
  callbackOrigins?: string[];
  /** Serve the control API (`/_emulator/*`); default true. Every call must carry `Authorization: Bearer <controlToken>`. */
  control?: boolean;
  /** The control API's token; default random per run. */
  controlToken?: string;
  /** Where warnings go (listening off loopback); default `console.warn`. */
  warn?: (message: string) => void;
  /**
   * `standard` (default): the widget allow-list; `strict`: calendar reads, findtime and bookings
   * only. The `widgetOnlyScope` switch narrows either to the booking.js endpoints.
   */
  widgetScope?: 'standard' | 'strict';
  /** Faults active from the start, as `POST /_emulator/faults` takes them. */
  faults?: FaultRule[];
  /** Milliseconds added to every API answer. */
  latencyMs?: number;
  /** Save the data to this JSON file and load it at start, so a demo survives a restart. */
  stateFile?: string;
  /** The clock (tests pin it). `POST /_emulator/clock` moves it forward. */
  now?: () => Date;
  /** Called with one line per API request: method, path (never the query), status, milliseconds. */
  log?: (line: string) => void;
}

/** Builds the emulator's request handler and state without listening (see `startEmulator`). */
export function createEmulator(options: EmulatorOptions = {}) {
  const profile = options.profile ?? 'evidence';
  const fidelity = resolveFidelity(profile, options.switches);
  const cors = corsPolicy(
    options.corsOrigins?.map((origin) => normaliseOrigin(origin, 'A CORS origin')),
    fidelity,
  );
  const callbackOrigins = (options.callbackOrigins ?? []).map((origin) => normaliseOrigin(origin, 'A callback origin'));
  const controlToken = options.control === false ? null : (options.controlToken ?? randomSecret());
  const clock = new EmulatorClock(options.now);
  const now = clock.now;
  const state = new EmulatorState(now, options.stateFile);
  // Random keys per run, so a page on another site cannot guess them; a state file keeps them.
  const app: SeedApp = {
    slug: options.app?.slug ?? DEFAULT_APP.slug,
    name: options.app?.name ?? DEFAULT_APP.name,
    appKey: options.app?.appKey ?? state.keys?.appKey ?? `live_api_key_${randomSecret()}`,
    testAppKey: options.app?.testAppKey ?? state.keys?.testAppKey ?? `test_api_key_${randomSecret()}`,
  };
  state.keys = { appKey: app.appKey, testAppKey: app.testAppKey };
  const faults = new Faults();
  for (const rule of options.faults ?? []) faults.add(rule);
  const requests: RecordedRequest[] = [];
  const { widgetScope } = options;

  const handleApi = createApiPipeline({
    app,
    state,
    now,
    fidelity,
    faults,
    requests,
    cors,
    callbackOrigins,
    widgetScope,
    latencyMs: options.latencyMs,
    log: options.log,
  });
  // One handler per provider, each with its own CSRF key: a token answers only the page that issued it.
  const consentHandlers = new Map(
    (['google', 'microsoft'] as const).map((provider) => [
      consentPath(provider),
      createConsentHandler({ provider, app, state, now, fidelity, callbackOrigins, consentTokens: new ConsentTokens() }),
    ]),
  );
  const handleControl = createControlHandler({ controlToken, app, profile, fidelity, widgetScope, state, faults, requests, clock, cors });

  function handler(req: IncomingMessage, res: ServerResponse): void {
    const rawUrl = req.url ?? '/';
    const queryAt = rawUrl.indexOf('?');
    const path = (queryAt < 0 ? rawUrl : rawUrl.slice(0, queryAt)).replace(/\/{2,}/g, '/');
    const query = new URLSearchParams(queryAt < 0 ? '' : rawUrl.slice(queryAt + 1));
    // A client that aborts mid-body errors the request; by then `req.socket` may already be
    // detached (after a 413), so destroy through the request itself.
    req.on('error', () => req.destroy());
    if (req.httpVersion === '1.1' && req.headers.host === undefined) {
      sendReply(res, { status: 400, body: { error: 'HTTP/1.1 requests must carry a Host header' } }, cors(req));
      return;
    }

    if (req.method === 'OPTIONS') return answerPreflight(req, res, cors);
    let work: Promise<void>;
    if (path === '/v2' || path.startsWith('/v2/')) work = handleApi(req, res, path, query);
    else if (consentHandlers.has(path)) work = consentHandlers.get(path)!(req, res, query);
    else if (path === '/_emulator' || path.startsWith('/_emulator/')) work = handleControl(req, res, path);
    else {
      const message = path.startsWith('/v1') ? 'API v1 is not available; use /v2' : `Nothing at ${path}; the API lives under /v2`;
      sendReply(res, { status: 404, body: { error: message } }, cors(req));
      return;
    }
    work.catch((error: unknown) => {
      console.error('[tk-emulator] internal error', error);
      sendReply(res, { status: 500, body: { error: 'Internal emulator error' } });
    });
  }

  return { handler, state, faults, requests, app, profile, fidelity, controlToken };
}
