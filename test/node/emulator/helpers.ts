/**
 * Shared helpers for the emulator's Node tests: auth headers, a small `fetch` wrapper that
 * returns status, headers and the parsed body, the Google and Microsoft consent walks, and raw `node:http`
 * requests for what `fetch` refuses to send.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { answerConsent, signedSignupUrl, startEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';

export type Headers = Record<string, string>;

/** A fixed Monday noon (UTC), 08:00 in New York: tests that depend on time pin the clock here. */
export const MONDAY_NOON = new Date('2026-06-01T12:00:00Z');

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** RFC 3339 with seconds and a colon in the offset, as the contract says the API writes them. */
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$/;
/** The exact keys of the wire objects, sorted (shared/TIMEKIT-API.md and src/shared/timekit.ts). */
export const RESOURCE_KEYS = [
  'availability_constraints',
  'created_at',
  'email',
  'first_name',
  'id',
  'image',
  'last_name',
  'meta',
  'name',
  'tags',
  'timezone',
  'updated_at',
];
export const CALENDAR_KEYS = [
  'backgroundcolor',
  'created_at',
  'description',
  'foregroundcolor',
  'id',
  'name',
  'provider',
  'provider_access',
  'provider_id',
  'provider_primary',
  'provider_sync',
  'updated_at',
];
export const CREDENTIAL_KEYS = ['description', 'expires', 'id', 'referrer', 'scopes', 'token', 'token_generated_at', 'type'];
export const A_CALLBACK = 'http://localhost:5173/onboarding/done?step=google';
export const ALEX = 'alex.morgan@example.com';
export const MISSING_ID = '00000000-0000-4000-8000-000000000000';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** App-key auth: `Basic base64(":" + key)`. */
export const appAuth = (key: string): Headers => ({ authorization: basic('', key) });

/** Resource or widget auth: `Basic base64(email:token)` plus `Timekit-App`. */
export const userAuth = (email: string, token: string, app = 'tk-demo'): Headers => ({
  authorization: basic(email, token),
  'timekit-app': app,
});

export interface ApiOptions {
  method?: string;
  auth?: Headers;
  /** Sent as JSON unless it is already a string. */
  body?: unknown;
  headers?: Headers;
}

export interface ApiResponse<T = any> {
  status: number;
  headers: globalThis.Headers;
  /** The parsed JSON body, or the raw text when it is not JSON, or undefined when empty. */
  body: T;
  text: string;
}

/** Calls the emulator: `path` is under `/v2` (`/calendars`) or an absolute URL. Never follows redirects. */
export async function api<T = any>(emulator: Emulator, path: string, options: ApiOptions = {}): Promise<ApiResponse<T>> {
  const { method = options.body === undefined ? 'GET' : 'POST', auth = {}, headers = {} } = options;
  const init: RequestInit = { method, headers: { ...auth, ...headers }, redirect: 'manual' };
  if (options.body !== undefined) {
    init.body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    (init.headers as Headers)['content-type'] ??= 'application/json';
  }
  const url = /^https?:/.test(path) ? path : `${emulator.url}${path}`;
  const response = await fetch(url, init);
  const text = await response.text();
  let body: unknown = text === '' ? undefined : text;
  if ((response.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: body as T, text };
}

/** Asserts a refusal: the status, a JSON body with an `error` string (and `model` for 404s). */
export function assertError(response: ApiResponse, status: number, model?: string) {
  assert.equal(response.status, status, `expected ${status}, got ${response.status}: ${response.text}`);
  assert.match(response.headers.get('content-type') ?? '', /application\/json/);
  assert.equal(typeof response.body.error, 'string', response.text);
  assert.ok(response.body.error.length > 0);
  if (model !== undefined) assert.equal(response.body.model, model);
}

/**
 * Asserts a 422 whose `errors` map names (at least) these fields, each with a list of messages. A
 * field inside a list or object may be named Laravel's way, `tags.0` for `tags`.
 */
export function assertInvalid(response: ApiResponse, ...fields: string[]) {
  assert.equal(response.status, 422, `expected 422, got ${response.status}: ${response.text}`);
  const errors = response.body.errors as Record<string, unknown>;
  assert.equal(typeof errors, 'object', response.text);
  for (const [key, messages] of Object.entries(errors)) {
    assert.ok(Array.isArray(messages) && messages.length > 0, `errors.${key} is not a list of messages`);
    for (const message of messages) assert.equal(typeof message, 'string');
  }
  for (const field of fields) {
    const named = Object.keys(errors).some((key) => key === field || key.startsWith(`${field}.`));
    assert.ok(named, `no error for ${field} in ${response.text}`);
  }
}

/**
 * Starts an emulator for one test file; call `.close()` in `after`. The tests of the emulator's
 * own behaviour run on the `optimistic` profile unless they ask for another; the switches have
 * their own tests (fidelity.test.ts).
 */
export function start(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ port: 0, profile: 'optimistic', ...options });
}

/** A plain resource created with the app key; returns its JSON and resource auth headers. */
export async function createResource(emulator: Emulator, fields: Record<string, unknown> = {}) {
  const email = `r-${Math.random().toString(36).slice(2, 10)}@example.test`;
  const response = await api(emulator, '/resources', {
    auth: appAuth(emulator.appKey),
    body: { name: 'Room Orion', timezone: 'Europe/Oslo', email, ...fields },
  });
  assert.equal(response.status, 201, response.text);
  const resource = response.body.data;
  return { resource, auth: userAuth(resource.email, resource.api_token, emulator.app) };
}

export interface GoogleLogin {
  email: string;
  token: string;
  /** Where the browser was sent: the callback with `email` and `token`. */
  location: URL;
  auth: Headers;
}

/**
 * Walks the Google round trip as a browser would: signup → 302 to the fake consent page → the
 * page's form posted with Allow (or Deny) → 302 to the callback.
 */
export async function consent(
  emulator: Emulator,
  identity: string,
  decision: 'allow' | 'deny' = 'allow',
  callback = A_CALLBACK,
): Promise<URL> {
  return new URL(await consentRedirect(emulator, identity, decision, callback));
}

/** The app's own signup link for `callback` (Google's unless told), signed with its app key as the companion signs it. */
export const signupFor = (emulator: Emulator, callback = A_CALLBACK, provider: 'google' | 'microsoft' = 'google') =>
  signedSignupUrl({ apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey, callback, provider });

/** As `consent`, but the `Location` Timekit answered, as text (it need not parse as one URL). */
export async function consentRedirect(
  emulator: Emulator,
  identity: string,
  decision: 'allow' | 'deny' = 'allow',
  callback = A_CALLBACK,
  provider: 'google' | 'microsoft' = 'google',
): Promise<string> {
  const signup = await fetch(await signupFor(emulator, callback, provider), { redirect: 'manual' });
  assert.equal(signup.status, 302);
  return answerConsent(new URL(signup.headers.get('location')!, emulator.origin), { identity, decision });
}

/** The CSRF token of the consent page for `callback`, as a browser showing that page would post it. */
export async function consentCsrf(emulator: Emulator, callback = A_CALLBACK): Promise<string> {
  const page = await fetch(await signupFor(emulator, callback));
  const token = /<input type="hidden" name="csrf" value="([^"]+)">/.exec(await page.text())?.[1];
  assert.ok(token, 'the consent page carries no CSRF token');
  return unescapeHtml(token);
}

/** Signs a seeded Google identity in (Allow) and returns its resource email, token and auth. */
export function googleLogin(emulator: Emulator, identity: string): Promise<GoogleLogin> {
  return providerLogin(emulator, identity, 'google');
}

/** Signs a seeded identity of `provider` in (Allow) and returns its resource email, token and auth. */
export async function providerLogin(emulator: Emulator, identity: string, provider: 'google' | 'microsoft'): Promise<GoogleLogin> {
  const location = new URL(await consentRedirect(emulator, identity, 'allow', A_CALLBACK, provider));
  const email = location.searchParams.get('email')!;
  const token = location.searchParams.get('token')!;
  assert.ok(email && token, `callback without email and token: ${location.href}`);
  return { email, token, location, auth: userAuth(email, token, emulator.app) };
}

/** Google login plus a sync, returning the calendars by name. */
export async function syncedIdentity(emulator: Emulator, identity: string) {
  const login = await googleLogin(emulator, identity);
  const sync = await api(emulator, '/accounts/sync', { method: 'POST', auth: login.auth });
  assert.equal(sync.status, 200, sync.text);
  const list = await api(emulator, '/calendars?limit=1000', { auth: login.auth });
  const byName = new Map<string, any>(list.body.data.map((c: any) => [c.name, c]));
  return { ...login, calendars: list.body.data as any[], byName };
}

/** A widget credential (`client-token`, scope `widget`) minted by the resource itself. */
export async function widgetCredential(emulator: Emulator, owner: Headers, fields: Record<string, unknown> = {}) {
  const response = await api(emulator, '/credentials', {
    auth: owner,
    // Strings, as the only request example sends them: they work on both sides of credentialArraysRefused.
    body: { type: 'client-token', scopes: 'widget', referrer: 'http://localhost:5173', ...fields },
  });
  assert.equal(response.status, 201, response.text);
  return response.body.data as { id: string; token: string; referrer: string[]; expires: string };
}

export function unescapeHtml(text: string): string {
  return text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
}

/** Calls the control API (`/_emulator/...`) with the emulator's control token. */
export async function control(emulator: Emulator, path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') {
  return api(emulator, `${emulator.origin}/_emulator${path}`, { method, body, auth: { authorization: `Bearer ${emulator.controlToken}` } });
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * A request through `node:http`, which sends what `fetch` refuses (any method token, odd paths,
 * bodies on GET). Rejects after `timeoutMs`, so a hung answer fails the test instead of stalling it.
 */
export function rawRequest(
  emulator: Emulator,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
  timeoutMs = 5_000,
): Promise<RawResponse> {
  const { hostname, port } = new URL(emulator.origin);
  const headers = { ...options.headers };
  // node:http sends a GET body without any framing; a Content-Length keeps the bytes one request.
  if (options.body !== undefined) headers['content-length'] = String(Buffer.byteLength(options.body));
  return new Promise((resolve, reject) => {
    const req = request(
      { host: hostname, port, method: options.method, path: options.path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * Writes bytes straight to a socket, for requests `node:http` itself would refuse to build
 * (invalid method tokens, control characters). Resolves with the whole reply once the server
 * closes the connection.
 */
export function rawSocket(emulator: Emulator, bytes: string | Buffer, timeoutMs = 5_000): Promise<RawResponse> {
  const { hostname, port } = new URL(emulator.origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const reply = Buffer.concat(chunks);
      const split = reply.indexOf('\r\n\r\n');
      const head = (split < 0 ? reply : reply.subarray(0, split)).toString('latin1');
      const [statusLine = '', ...lines] = head.split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
      const rest = split < 0 ? Buffer.alloc(0) : reply.subarray(split + 4);
      const body = /chunked/i.test(headers['transfer-encoding'] ?? '') ? unchunk(rest) : rest;
      resolve({ status, headers, text: body.toString('utf8') });
    });
    socket.end(bytes);
  });
}

/** Decodes a `Transfer-Encoding: chunked` body (sizes in hex bytes, each chunk followed by CRLF). */
function unchunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    const size = lineEnd < 0 ? 0 : parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) return Buffer.concat(parts);
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
}
