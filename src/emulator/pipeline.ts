/**
 * The way of one Timekit API request (`/v2/*`) through the emulator, in order: record it, add
 * the configured latency, play an injected fault, find the route, authenticate and authorise the
 * caller, read the body, run the route's handler, answer and log one line.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticate, type Caller } from './auth.js';
import type { CorsHeaders } from './cors.js';
import { HttpError, notFound } from './errors.js';
import { faultBody, parseFaultHeader, type Faults, type FaultRule } from './faults.js';
import type { FidelitySwitches } from './fidelity.js';
import { errorReply, originOf, readJsonBody, sendReply, type Reply } from './http.js';
import { Router } from '../shared/server/router.js';
import { accountRoutes } from './routes/accounts.js';
import { bookingRoutes } from './routes/bookings.js';
import { calendarRoutes } from './routes/calendars.js';
import type { Route } from './routes/common.js';
import { credentialRoutes } from './routes/credentials.js';
import { findtimeRoutes } from './routes/findtime.js';
import { resourceRoutes } from './routes/resources.js';
import type { SeedApp } from './seed.js';
import type { EmulatorState } from './state.js';

export interface RecordedRequest {
  method: string;
  /** Path under `/v2`, without the query string. */
  path: string;
  status: number;
  origin: string | null;
}

/** What the pipeline serves from: the emulator's world and its settings. */
export interface ApiPipelineOptions {
  app: SeedApp;
  state: EmulatorState;
  now: () => Date;
  fidelity: FidelitySwitches;
  faults: Faults;
  /** Grows by one per request; the control API reads and clears it. */
  requests: RecordedRequest[];
  cors: CorsHeaders;
  callbackOrigins: readonly string[];
  widgetScope?: 'standard' | 'strict';
  latencyMs?: number;
  log?: (line: string) => void;
}

/** Answers one API request; `path` starts with `/v2`, `query` is its parsed query string. */
export type ApiHandler = (req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams) => Promise<void>;

/** Every Timekit endpoint the emulator serves, one file of `routes/` per resource. */
const router = new Router<Route>([
  ...resourceRoutes,
  ...calendarRoutes,
  ...accountRoutes,
  ...credentialRoutes,
  ...findtimeRoutes,
  ...bookingRoutes,
]);

const RATE_LIMIT_PER_MINUTE = 600;
/** A long-running emulator (npm start) keeps only the newest requests. */
const MAX_RECORDED_REQUESTS = 10_000;

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts requests per wall-clock minute for `X-RateLimit-Remaining` (nothing is refused). */
class RateLimitWindow {
  private minute = 0;
  private used = 0;

  /** Counts one request and says how many the current minute has left. */
  take(): number {
    const minute = Math.floor(Date.now() / 60_000);
    if (this.minute !== minute) {
      this.minute = minute;
      this.used = 0;
    }
    this.used++;
    return Math.max(0, RATE_LIMIT_PER_MINUTE - this.used);
  }
}

export function createApiPipeline(options: ApiPipelineOptions): ApiHandler {
  const { app, state, now, fidelity, faults, requests, cors } = options;
  const rateLimit = new RateLimitWindow();

  function record(entry: RecordedRequest): RecordedRequest {
    requests.push(entry);
    if (requests.length > MAX_RECORDED_REQUESTS) requests.splice(0, requests.length - MAX_RECORDED_REQUESTS);
    return entry;
  }

  /** The request's own `Tk-Emulator-Fault` header wins over the rules set for the run. */
  function faultFor(req: IncomingMessage, method: string, apiPath: string): FaultRule | undefined {
    const header = req.headers['tk-emulator-fault'];
    return (typeof header === 'string' ? parseFaultHeader(header, apiPath) : null) ?? faults.take(method, apiPath);
  }

  /**
   * Plays a fault: a reply to send instead of the real one, `answered` when the fault dealt with
   * the socket itself (or withholds the answer), `serve` to go on with the request.
   */
  async function playFault(
    fault: FaultRule,
    req: IncomingMessage,
    res: ServerResponse,
    entry: RecordedRequest,
    headers: Record<string, string>,
  ): Promise<Reply | 'answered' | 'serve'> {
    switch (fault.kind) {
      case 'drop':
        entry.status = -1;
        req.socket.destroy();
        return 'answered';
      case 'timeout':
        entry.status = -1;
        return 'answered'; // never answers; the client's own timeout must give up
      case 'malformed':
        entry.status = 200;
        res.writeHead(200, { ...headers, 'content-type': 'application/json; charset=utf-8' });
        res.end('{"data": [{"id": "');
        return 'answered';
      case 'latency':
        await delay(fault.latencyMs ?? 0);
        return 'serve';
      case 'expired-credential':
        return { status: 401, body: { error: 'The credential has expired' } };
      case 'status': {
        const status = fault.status ?? 500;
        const retry = fault.retryAfter ?? (status === 429 || status === 503 ? 1 : undefined);
        return { status, body: faultBody(status), headers: retry === undefined ? {} : { 'retry-after': String(retry) } };
      }
    }
  }

  /** Which widget routes a widget credential reaches in this emulator's scope (see `Route.widget`). */
  function widgetReaches(reach: Route['widget']): boolean {
    if (reach === 'booking') return true;
    if (fidelity.widgetOnlyScope || reach === undefined) return false;
    return reach === 'read' || options.widgetScope !== 'strict';
  }

  /** Refuses with 403 a caller whose credential may not call the route. */
  function authorise(caller: Caller, method: string, route: Route): void {
    if (!route.auth.includes(caller.kind) || (caller.kind === 'widget' && !widgetReaches(route.widget))) {
      throw new HttpError(403, {
        error: `This ${caller.kind === 'widget' ? 'widget credential' : `${caller.kind} credential`} may not call ${method} /v2${route.pattern}`,
      });
    }
  }

  return async function handleApi(req, res, path, query) {
    const method = req.method ?? 'GET';
    const started = Date.now();
    const apiPath = path.slice('/v2'.length) || '/';
    const headers: Record<string, string> = {
      ...cors(req),
      'cache-control': 'no-cache',
      'timekit-request-id': randomUUID(),
      'x-ratelimit-remaining': String(rateLimit.take()),
    };
    const entry = record({ method, path: apiPath, status: 0, origin: req.headers.origin ?? null });
    const finish = (reply: Reply) => {
      entry.status = reply.status;
      sendReply(res, reply, headers);
      options.log?.(`${method} /v2${apiPath} ${reply.status} ${Date.now() - started}ms`);
    };

    try {
      if (options.latencyMs) await delay(options.latencyMs);
      const fault = faultFor(req, method, apiPath);
      if (fault) {
        const outcome = await playFault(fault, req, res, entry, headers);
        if (outcome === 'answered') return;
        if (outcome !== 'serve') return finish(outcome);
      }

      const match = router.match(method, apiPath);
      if (!match) throw notFound('Route', `No Timekit endpoint at ${method} /v2${apiPath}`);
      if ('allowed' in match) {
        throw new HttpError(405, { error: `Method ${method} is not allowed here` }, { allow: match.allowed.join(', ') });
      }
      const { route, params } = match;
      let caller: Caller | undefined;
      if (route.auth !== 'none') {
        // 401 when the credentials are missing or wrong.
        caller = authenticate(req, app, state, now(), fidelity);
        // Before authorising: a test key's refusals are marked as test mode too.
        if (caller.kind === 'app' && caller.test) headers['timekit-testmode'] = 'true';
        authorise(caller, method, route);
      }
      const body = ['POST', 'PUT', 'PATCH'].includes(method) ? await readJsonBody(req) : undefined;
      const origin = originOf(req);
      finish(
        await route.handler({
          req,
          params,
          query,
          caller,
          body,
          state,
          app,
          now: now(),
          apiBase: `${origin}/v2`,
          origin,
          fidelity,
          callbackOrigins: options.callbackOrigins,
        }),
      );
    } catch (error) {
      if (error instanceof HttpError) return finish(errorReply(error));
      // A bug in the emulator, never something a client can cause: say so without details.
      console.error('[tk-emulator] internal error', error);
      finish({ status: 500, body: { error: 'Internal emulator error' } });
    }
  };
}
