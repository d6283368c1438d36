/**
 * The node:http adapter: `http.createServer(toNodeHandler(companion))`, or Express's
 * `app.use('/timekit', toNodeHandler(companion))`. It reads headers straight from the
 * IncomingMessage and writes the answer with one `writeHead` + `end`: no `Request`/`Response`
 * objects on the hot path. `authenticate` gets a lightweight request (`method`, `url`,
 * `headers.get`) and `{req, res}` as its context, so a hook can read `req.session` and the like.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { readLimited, type CompanionRequest, type Incoming } from './http.js';
import { HANDLE } from './core.js';
import type { Companion } from './index.js';

/** What the node:http adapter hands `authenticate` as its context. */
export interface NodeContext {
  req: IncomingMessage;
  res: ServerResponse;
}

const SAFE_HOST = /^[A-Za-z0-9.\-:[\]]+$/;

class NodeIncoming implements Incoming {
  readonly method: string;
  readonly target: string;
  readonly context: NodeContext;
  private lightRequest: CompanionRequest | undefined;

  constructor(
    private readonly req: IncomingMessage,
    res: ServerResponse,
  ) {
    this.method = req.method ?? 'GET';
    this.target = req.url ?? '/';
    this.context = { req, res };
  }

  header(name: string): string | null {
    const value = this.req.headers[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value;
  }

  selfOrigin(): string {
    const host = this.req.headers.host;
    const scheme = (this.req.socket as TLSSocket).encrypted ? 'https' : 'http';
    return `${scheme}://${host && SAFE_HOST.test(host) ? host : 'localhost'}`;
  }

  text(limit: number): Promise<string> {
    return readLimited(this.req, limit, this.header('content-length'));
  }

  /** Built only when the host's hook asks for it. */
  get request(): CompanionRequest {
    if (this.lightRequest === undefined) {
      // Express rewrites req.url under a mount path and keeps the original.
      const original = (this.req as IncomingMessage & { originalUrl?: string }).originalUrl ?? this.target;
      this.lightRequest = {
        method: this.method,
        url: `${this.selfOrigin()}${original}`,
        headers: { get: (name: string) => this.header(name.toLowerCase()) },
      };
    }
    return this.lightRequest;
  }
}

/** A `(req, res) => void` for node:http, Express, Connect, Fastify's `raw` routes and the like. */
export function toNodeHandler(companion: Companion<NodeContext>): (req: IncomingMessage, res: ServerResponse) => void {
  const handle = companion[HANDLE];
  return (req, res) => {
    handle(new NodeIncoming(req, res)).then(
      (out) => {
        if (res.headersSent) return;
        // A known length spares the socket chunked encoding.
        if (out.body !== null) out.headers['content-length'] = String(Buffer.byteLength(out.body));
        res.writeHead(out.status, out.headers);
        res.end(out.body ?? undefined);
      },
      (error: unknown) => res.destroy(error as Error),
    );
  };
}
