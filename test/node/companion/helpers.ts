/**
 * Test rig: the real emulator and a companion, both over real HTTP on loopback, a shared movable
 * clock, a log that keeps every line, and a recorder of every answer the browser could see.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCompanion, memoryStore, toNodeHandler, type CompanionOptions } from '../../../src/companion/index.js';
import type { CompanionStore } from '../../../src/companion/stores/contract.js';
import { answerConsent, startEmulator, type Emulator, type EmulatorOptions } from '../../../src/emulator/index.js';

export const PAGE = 'http://app.test:3000';
export const OTHER_PAGE = 'http://evil.test:6666';
export const SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const BASE_PATH = '/timekit';

/** Everything a browser can see of one answer: status, headers (incl. redirects) and body. */
export interface Seen {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface Rig {
  emulator: Emulator;
  companion: ReturnType<typeof createCompanion>;
  store: CompanionStore & { records: Map<string, unknown> };
  /** The companion's mount URL, e.g. `http://127.0.0.1:P/timekit`. */
  url: string;
  logs: string[];
  seen: Seen[];
  /** Moves the companion's and the emulator's clocks together. */
  advance(duration: string): Promise<void>;
  /**
   * fetch against the companion, recording what the browser would see. `user` is the host login
   * the request carries; `browser` names the cookie jar that keeps the companion's cookies (by
   * default each user has a browser of their own, and requests without a user share one). A
   * `cookie` header given in `headers` is sent first, as a browser sends cookies of longer paths.
   */
  fetch(path: string, init?: RequestInit & { user?: string; browser?: string; origin?: string | null; referer?: string }): Promise<Seen>;
  /** Counts the emulator's recorded API calls matching method and path pattern. */
  count(method: string, path: RegExp): number;
  close(): Promise<void>;
}

/** A companion's options on `emulator`, for the page PAGE, with SECRET and a fresh memory store; `overrides` win. */
export function companionOptions<Context = unknown>(
  emulator: Emulator,
  overrides: Partial<CompanionOptions<Context>> & Pick<CompanionOptions<Context>, 'authenticate'>,
): CompanionOptions<Context> {
  return { apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey, allowedOrigins: [PAGE], secret: SECRET, store: memoryStore(), ...overrides };
}

type RigOverrides = Partial<CompanionOptions<unknown>>;

/**
 * `emulatorOptions`: which side of each Timekit doubt the emulator plays; the `evidence` profile by
 * default. `overrides` may be made from the emulator (to put something in front of it).
 */
export async function startRig(
  overrides: RigOverrides | ((emulator: Emulator) => Promise<RigOverrides>) = {},
  emulatorOptions: EmulatorOptions = {},
): Promise<Rig> {
  const emulator = await startEmulator({ port: 0, ...emulatorOptions });
  if (typeof overrides === 'function') overrides = await overrides(emulator);
  let offsetMs = 0;
  const logs: string[] = [];
  const seen: Seen[] = [];
  const jars = new Map<string, Map<string, string>>();
  const store = memoryStore();
  const companion = createCompanion(
    companionOptions(emulator, {
      store,
      basePath: BASE_PATH,
      // The host's login: a session cookie naming the user.
      authenticate: (request) => /(?:^|;\s*)sid=([^;]+)/.exec(request.headers.get('cookie') ?? '')?.[1] ?? null,
      log: (line) => logs.push(line),
      now: () => new Date(Date.now() + offsetMs),
      ...overrides,
    }),
  );
  const server: Server = createServer(toNodeHandler(companion));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE_PATH}`;

  return {
    emulator,
    companion,
    store,
    url,
    logs,
    seen,
    async advance(duration) {
      const response = await fetch(`${emulator.origin}/_emulator/clock`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${emulator.controlToken}` },
        body: JSON.stringify({ advance: duration }),
      });
      const { data } = (await response.json()) as { data: { now: string } };
      offsetMs = Date.parse(data.now) - Date.now();
    },
    async fetch(path, init = {}) {
      const { user, browser = user ?? '', origin = PAGE, referer, ...rest } = init;
      const target = path.startsWith('http') ? path : `${url}${path}`;
      const toCompanion = target.startsWith(url);
      const jar = jars.get(browser) ?? new Map<string, string>();
      jars.set(browser, jar);
      const headers = new Headers(rest.headers);
      const cookies = [
        ...(headers.has('cookie') ? [headers.get('cookie')!] : []),
        ...(user === undefined ? [] : [`sid=${user}`]),
        ...(toCompanion ? [...jar].map(([name, value]) => `${name}=${value}`) : []),
      ];
      if (cookies.length > 0) headers.set('cookie', cookies.join('; '));
      if (origin !== null) headers.set('origin', origin);
      if (referer !== undefined) headers.set('referer', referer);
      const response = await fetch(target, { redirect: 'manual', ...rest, headers });
      if (toCompanion) {
        for (const cookie of response.headers.getSetCookie()) {
          const [pair = ''] = cookie.split(';');
          const eq = pair.indexOf('=');
          if (/;\s*Max-Age=0\b/i.test(cookie)) jar.delete(pair.slice(0, eq));
          else jar.set(pair.slice(0, eq), pair.slice(eq + 1));
        }
      }
      const result: Seen = { url: target, status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
      seen.push(result);
      return result;
    },
    count(method, path) {
      return emulator.requests.filter((r) => r.method === method && path.test(r.path)).length;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await emulator.close();
    },
  };
}

/**
 * Follows a callback's 303 to the popup's result page (its URL carries no token), as the popup
 * would; a redirect-mode answer (to return_to on the page) is returned as it is.
 */
export async function follow(rig: Rig, answer: Seen): Promise<Seen> {
  const location = answer.headers.location;
  if (answer.status !== 303 || location === undefined || !location.startsWith('../done/')) return answer;
  return rig.fetch(new URL(location, answer.url).href, { origin: null });
}

/** The JSON data block of a connect result page: `{target, message}`. */
export function resultOf(page: Seen): { target: string; message: Record<string, unknown> } {
  const match = /<script type="application\/json" id="tk-result">(.*?)<\/script>/s.exec(page.body);
  if (!match) throw new Error(`no result block in: ${page.body.slice(0, 200)}`);
  return JSON.parse(match[1]!) as { target: string; message: Record<string, unknown> };
}

export const errorCode = (seen: Seen) => (JSON.parse(seen.body) as { error: { code: string } }).error.code;

/**
 * Walks the connect round trip (Google's unless `provider` says) as a browser would: start (as `user`, from the page), Timekit's
 * signup redirect, the fake consent form (`identity`, allow or deny), and returns Timekit's
 * redirect to the callback without following it. The start's binding cookie stays in the user's
 * browser (or `browser`).
 */
export async function consent(
  rig: Rig,
  user: string,
  {
    identity = 'yuki.tanaka@example.jp',
    decision = 'allow',
    query = '',
    browser,
    provider = 'google',
    emulatorCookies,
  }: {
    identity?: string;
    decision?: 'allow' | 'deny';
    query?: string;
    browser?: string;
    provider?: 'google' | 'microsoft';
    /** The browser's cookies at the emulator, kept across consents (the `secondSignupAttaches` switch). */
    emulatorCookies?: Map<string, string>;
  } = {},
): Promise<string> {
  const start = await rig.fetch(`/${provider}/start${query}`, { user, browser, origin: null, referer: `${PAGE}/settings` });
  if (start.status !== 302) throw new Error(`start answered ${start.status}: ${start.body}`);
  return answerConsent(start.headers.location!, { identity, decision, cookies: emulatorCookies });
}

/** The whole round trip through the callback, in the user's own browser; answers the result page (or the redirect back). */
export async function connect(rig: Rig, user: string, identity?: string, decision: 'allow' | 'deny' = 'allow'): Promise<Seen> {
  const callback = await consent(rig, user, { identity, decision });
  return follow(rig, await rig.fetch(callback, { user, origin: null }));
}

export const postSession = (rig: Rig, user: string | undefined, init: RequestInit & { origin?: string | null } = {}) =>
  rig.fetch('/session', { method: 'POST', user, ...init });

/**
 * A plain resource made with the app key, and its own token, read the way Timekit documents
 * (`include=credentials`): the create answer may carry none (docs/timekit-api.md).
 */
export async function plainResource(rig: Rig, input: { name: string; email: string; timezone: string }): Promise<{ id: string; token: string }> {
  const authorization = `Basic ${Buffer.from(`:${rig.emulator.appKey}`).toString('base64')}`;
  const made = await fetch(`${rig.emulator.url}/resources`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  if (made.status !== 201) throw new Error(`POST /resources answered ${made.status}: ${await made.text()}`);
  const { id } = ((await made.json()) as { data: { id: string } }).data;
  const read = await fetch(`${rig.emulator.url}/resources/${id}?include=credentials`, { headers: { authorization } });
  const { credentials } = ((await read.json()) as { data: { credentials: Array<{ type: string; token: string }> } }).data;
  return { id, token: credentials.find((c) => c.type === 'server-token')!.token };
}


/** A server of its own in front of the emulator: how many requests it holds unanswered now, and the most at once. */
export interface CountingFront {
  /** Its API base, to use as the companion's `apiBase`. */
  url: string;
  held(): number;
  peak(): number;
  /** Starts counting the peak again from what is held now. */
  resetPeak(): void;
  close(): Promise<void>;
}

/**
 * The emulator's handler behind a counting server: a request is held from its arrival until its
 * answer is sent or its socket closes, so a `timeout` fault shows how many sockets callers keep open.
 */
export async function countingFront(emulator: Emulator): Promise<CountingFront> {
  let held = 0;
  let peak = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    held += 1;
    peak = Math.max(peak, held);
    res.once('close', () => (held -= 1));
    emulator.handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${new URL(emulator.url).pathname}`,
    held: () => held,
    peak: () => peak,
    resetPeak: () => void (peak = held),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves once `condition` holds, checking every 20 ms; rejects after `timeoutMs` (generous: the machine may be loaded). */
export async function waitFor(condition: () => boolean, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('waitFor: the condition never held');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
