/**
 * Replies and request bodies: what a handler returns and how it is written, the client-facing
 * origin, and the bounded JSON and form body readers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, type BodyLimit } from '../shared/server/read-body.js';
import { originFromHost } from '../shared/server/safe-origin.js';
import { badRequest, HttpError } from './errors.js';

export interface Reply {
  status: number;
  /** JSON-serialisable body, or a string sent as is (HTML pages). Undefined for empty bodies. */
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Writes `reply` with the `extra` headers under its own. A JSON body gets its content type; a
 * string body is an HTML page unless the reply says otherwise. Does nothing once the answer has
 * started or the client has gone.
 */
export function sendReply(res: ServerResponse, reply: Reply, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...extra, ...reply.headers };
  let payload: string | undefined;
  if (typeof reply.body === 'string') {
    payload = reply.body;
    headers['content-type'] ??= 'text/html; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** The reply an `HttpError` stands for. */
export const errorReply = (error: HttpError): Reply => ({ status: error.status, body: error.body, headers: error.headers });

/** The origin as the client addressed it (the Host header), so links work through any mount. */
export function originOf(req: IncomingMessage): string {
  return originFromHost('http', req.headers.host, '127.0.0.1');
}

const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Timekit's reference: "character limit of 64000 characters of JSON in requests". It names no
 * status; the emulator answers 413, as for a body past its byte limit.
 */
const MAX_JSON_CHARACTERS = 64_000;
/**
 * How deep a JSON body may nest. A `meta` nested 10,000 levels deep used to be stored, and every
 * later JSON.stringify of its resource overflowed the stack: a 500 on every list, for good.
 */
const MAX_BODY_DEPTH = 32;

/** The consent form is a few hidden fields and a choice. */
const MAX_FORM_BYTES = 64 * 1024;

interface TextLimit extends BodyLimit {
  /** Read on past the limit (discarding it), so the client gets to read the refusal. */
  drain: boolean;
}

/** Reads the whole body as UTF-8, refusing it once it passes the limit. */
async function readText(req: IncomingMessage, limit: TextLimit): Promise<string> {
  try {
    return await readBody(req, req.headers['content-length'] ?? null, limit);
  } catch (error) {
    if (limit.drain && error instanceof HttpError) req.resume();
    throw error;
  }
}

function nestedDeeperThan(value: unknown, limit: number): boolean {
  // Iterative, so the check cannot overflow the stack itself.
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (item === null || typeof item !== 'object') continue;
    if (depth > limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Reads and parses a JSON body. Empty → `{}`. Refuses oversized, non-JSON and malformed bodies. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const tooLarge = () => new HttpError(413, { error: `Request body is larger than ${MAX_BODY_BYTES} bytes` });
  const text = await readText(req, { bytes: MAX_BODY_BYTES, tooLarge, drain: true });
  if (text.trim() === '') return {};
  if (text.length > MAX_JSON_CHARACTERS) {
    throw new HttpError(413, { error: `The JSON request is longer than ${MAX_JSON_CHARACTERS} characters` });
  }
  const type = String(req.headers['content-type'] ?? 'application/json').toLowerCase();
  if (!type.includes('json') && !type.startsWith('text/plain')) {
    throw new HttpError(415, { error: 'Request bodies must be JSON (Content-Type: application/json)' });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('The request body is not valid JSON');
  }
  if (nestedDeeperThan(body, MAX_BODY_DEPTH)) throw badRequest(`The request body is nested deeper than ${MAX_BODY_DEPTH} levels`);
  return body;
}

/** Reads an `application/x-www-form-urlencoded` body (the fake consent form). */
export async function readFormBody(req: IncomingMessage): Promise<URLSearchParams> {
  const tooLarge = () => new HttpError(413, { error: 'Form body is too large' });
  const text = await readText(req, { bytes: MAX_FORM_BYTES, tooLarge, drain: false });
  return new URLSearchParams(text);
}

/** Requires the body to be a JSON object (not an array, string or null). */
export function asObject(body: unknown): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object');
  }
  return body as Record<string, unknown>;
}
