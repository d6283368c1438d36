/**
 * The node:http adapter: `http.createServer(toNodeHandler(companion))`, or Express's
 * `app.use('/timekit', toNodeHandler(companion))`. It reads headers straight from the
 * IncomingMessage and writes the answer with one `writeHead` + `end`: no `Request`/`Response`
 * objects on the hot path. `authenticate` gets a lightweight request (`method`, `url`,
 * `headers.get`) and `{req, res}` as its context, so a hook can read `req.session` and the like.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { originFromHost } from '../shared/server/safe-origin.js';
import { readLimited, type CompanionRequest, type Incoming } from './http.js';
import { HANDLE } from './core.js';
import type { Companion } from './index.js';

/** What the node:http adapter hands `authenticate` as its context. */
export interface NodeContext {
  req: IncomingMessage;
  res: ServerResponse;
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
}

function originOf(req: IncomingMessage): string {
  return originFromHost((req.socket as TLSSocket).encrypted ? 'https' : 'http', req.headers.host, 'localhost');
}

/** The `CompanionRequest` the host's hook sees: the three members of `Request` it needs, computed on demand. */
class LightRequest implements CompanionRequest {
  constructor(private readonly req: IncomingMessage) {}

  get method() {
    return this.req.method ?? 'GET';
  }

  get url() {
    // Express rewrites req.url under a mount path and keeps the original.
    return `${originOf(this.req)}${(this.req as IncomingMessage & { originalUrl?: string }).originalUrl ?? this.req.url ?? '/'}`;
  }

  get headers() {
    return this;
  }

  get(name: string): string | null {
    return headerOf(this.req, name.toLowerCase());
  }
}

// Classes rather than per-request closures: this runs once per request on the hot path.
class NodeIncoming implements Incoming {
  readonly method: string;
  readonly target: string;
  readonly context: NodeContext;
  readonly request: CompanionRequest;
  private aborter: AbortController | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.method = req.method ?? 'GET';
    this.target = req.url ?? '/';
    this.context = { req, res };
    this.request = new LightRequest(req);
  }

  /** Made on first use only (the relay), so the session hot path pays nothing for it. */
  get signal(): AbortSignal {
    if (this.aborter === undefined) {
      const aborter = (this.aborter = new AbortController());
      // `close` also follows a finished answer; only one not sent means the client left first.
      this.res.once('close', () => {
        if (!this.res.writableFinished) aborter.abort();
      });
    }
    return this.aborter.signal;
  }

  header(name: string): string | null {
    return headerOf(this.req, name);
  }

  selfOrigin(): string {
    return originOf(this.req);
  }

  mountPath(): string {
    // Express says where it mounted us (`baseUrl`); Connect (Vite's server) only keeps the
    // unstripped `originalUrl`, whose extra prefix is the mount.
    const { baseUrl, originalUrl } = this.req as IncomingMessage & { baseUrl?: unknown; originalUrl?: unknown };
    if (typeof baseUrl === 'string') return baseUrl;
    if (typeof originalUrl !== 'string') return '';
    const full = originalUrl.split('?')[0]!;
    const own = this.target.split('?')[0]!;
    return own !== '/' && full.length > own.length && full.endsWith(own) ? full.slice(0, -own.length) : '';
  }

  text(limit: number): Promise<string> {
    return readLimited(this.req, limit, this.header('content-length'));
  }
}

async function serve(handle: Companion[typeof HANDLE], req: IncomingMessage, res: ServerResponse) {
  try {
    const out = await handle(new NodeIncoming(req, res));
    if (res.headersSent) return;
    // A flat list leaves the (shared) header object alone, and a known length spares the socket
    // chunked encoding.
    const headers: string[] = [];
    for (const name in out.headers) headers.push(name, out.headers[name]!);
    if (out.body !== null) headers.push('content-length', String(Buffer.byteLength(out.body)));
    res.writeHead(out.status, headers);
    res.end(out.body ?? undefined);
  } catch (error) {
    res.destroy(error as Error);
  }
}

/** A `(req, res) => void` for node:http, Express, Connect, Fastify's `raw` routes and the like. */
export function toNodeHandler(companion: Companion<NodeContext>): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = companion[HANDLE];
  return (req, res) => void serve(handle, req, res);
}
