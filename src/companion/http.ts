/**
 * The companion's own lean request/response shapes. The routes work on these so the same code
 * serves a web-standard `Request` (fetch hosts) and a raw `node:http` request (no `Request` object
 * is built on that hot path), and the helpers that build and read them.
 */
import type { TkCompanionErrorBody, TkCompanionErrorCode } from '../shared/companion-protocol.js';
import { readBody } from '../shared/server/read-body.js';
import { CompanionError } from './errors.js';

/**
 * What the host's `authenticate` hook sees. A web `Request` is one; the node:http adapter passes a
 * lightweight stand-in with the same three members (and the raw `req`/`res` as the hook's context).
 */
export interface CompanionRequest {
  readonly method: string;
  /** Absolute URL as the client addressed it. */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
}

/** One incoming request, whichever host it came from. */
export interface Incoming {
  readonly method: string;
  /** Path and query as received, e.g. `/timekit/session?x=1`. */
  readonly target: string;
  /** Header value by lower-case name; repeated headers joined. */
  header(name: string): string | null;
  /** `scheme://host[:port]` as the client addressed this server. */
  selfOrigin(): string;
  /** The path the host mounted the companion under and stripped from `target` (Express's `baseUrl`), else `''`. */
  mountPath(): string;
  /** The body as text, at most `limit` bytes (throws `payload-too-large` past it). */
  text(limit: number): Promise<string>;
  /** Aborted once the client's request is gone (it hung up), so calls made for it can stop. */
  readonly signal?: AbortSignal;
  /** Handed to the host's `authenticate` hook. */
  readonly request: CompanionRequest;
  readonly context: unknown;
}

export interface Outgoing {
  status: number;
  /** May be shared between answers: never mutate. */
  headers: Readonly<Record<string, string>>;
  body: string | null;
  /** A refusal's error code, for the log line. */
  code?: TkCompanionErrorCode;
}

export const invalid = (message: string) => new CompanionError('invalid', message);
export const originNotAllowed = (message: string) => new CompanionError('origin-not-allowed', message);
export const unauthenticated = (message: string) => new CompanionError('unauthenticated', message);
const tooLarge = (limit: number) =>
  new CompanionError('payload-too-large', `The body must be at most ${limit} bytes`, { connection: 'close' });

/** Headers every JSON answer carries: never cached, never sniffed. */
export const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
} as const;

function json(status: number, body: unknown, headers: Record<string, string> = {}): Outgoing {
  return { status, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(body) };
}

export function errorResponse(error: CompanionError, headers: Record<string, string> = {}): Outgoing {
  const body: TkCompanionErrorBody = { error: { code: error.code, message: error.message } };
  return { ...json(error.status, body, { ...headers, ...error.headers }), code: error.code };
}

/**
 * The calling page's origin: `Origin`, else the origin of `Referer` (navigations and same-origin
 * GETs carry no `Origin`). `null` when neither says.
 */
export function pageOrigin(incoming: Incoming): string | null {
  const origin = incoming.header('origin');
  if (origin && origin !== 'null') return origin;
  const referer = incoming.header('referer');
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/** Reads a JSON object body of at most `limit` bytes; `{}` when there is none. */
export async function readJsonObject(incoming: Incoming, limit: number): Promise<Record<string, unknown>> {
  const type = incoming.header('content-type');
  const text = await incoming.text(limit);
  if (text === '') return {};
  if (type && !/^application\/json\s*(;|$)/i.test(type)) throw invalid('Send the body as application/json');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalid('The body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid('The body must be a JSON object');
  return value as Record<string, unknown>;
}

/** True when the request announces a body (so body-less requests never touch the stream). */
export function hasBody(incoming: Incoming): boolean {
  const length = incoming.header('content-length');
  if (length !== null) return length !== '0';
  return incoming.header('transfer-encoding') !== null;
}

/** Reads a byte stream into text, refusing more than `limit` bytes with `payload-too-large`. */
export function readLimited(chunks: AsyncIterable<Uint8Array>, limit: number, declaredLength: string | null): Promise<string> {
  return readBody(chunks, declaredLength, {
    bytes: limit,
    tooLarge: () => tooLarge(limit),
    // The stream only fails when the client hangs up or garbles the framing mid-body: its
    // mistake, not ours, so it must not be logged (and alerted on) as an internal error.
    cutOff: () => invalid('The body was cut off'),
  });
}
