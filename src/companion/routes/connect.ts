/**
 * The connect round trip, the same for each calendar provider Timekit connects (`google`,
 * `microsoft`; `<provider>` below). Timekit's signup URL carries no `state`, so the companion
 * binds the trip itself:
 *
 * - `/<provider>/start` signs a one-time nonce (random id, user, page origin, the element's `state`,
 *   return_to, the callback base, expiry) into the callback URL as a path segment,
 *   `<base>/<provider>/callback/<nonce>`, and sets a short-lived HttpOnly cookie holding a hash of the
 *   nonce's id in the browser that started (one cookie per round trip).
 * - `/<provider>/callback/<nonce>?email=…&token=…` (Timekit's redirect) verifies and burns the nonce,
 *   requires that cookie and that the host's login names the nonce's user, stores the resource
 *   token through the store and syncs. It never answers with a page at the URL that carries the
 *   token: popup mode goes on (303) to `/<provider>/done/<signed outcome>`, a tiny page that answers
 *   the element's ping with the outcome at the exact page origin; redirect mode goes back (303) to
 *   `return_to` with the outcome and the state.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TK_CONNECT_RESULT_PARAM, TK_CONNECT_STATE_PARAM, type TkConnectMessage } from '../../shared/companion-protocol.js';
import { SIGNUP_SIGNATURE_PARAM, signupSignature } from '../../shared/emulator-signup.js';
import type { TimekitAccount } from '../../shared/timekit.js';
import { callbackBase, currentUser, type Core } from '../core.js';
import { CompanionError } from '../errors.js';
import { invalid, originNotAllowed, pageOrigin, type Incoming, type Outgoing } from '../http.js';
import { onLoopback } from '../options.js';
import { saveConnected } from './pending.js';

/** The calendar providers Timekit connects, as they appear in its signup paths and ours. */
export type ConnectProvider = TimekitAccount['provider'];

const PROVIDER_NAMES: Record<ConnectProvider, string> = { google: 'Google Calendar', microsoft: 'Microsoft 365 calendar' };

const NONCE_TTL_MS = 10 * 60_000;
/** How long a result page URL shows its outcome: the element pings it within a second. */
const RESULT_TTL_MS = 2 * 60_000;
const EMAIL = /^[^\s@;,]+@[^\s@;,]+$/;
/** The element's one-time `state`, echoed as it came: its randomness is the element's business (see google-connect.ts). */
const STATE = /^[A-Za-z0-9_-]{1,128}$/;

/** Where the outcome goes: the pinging element at `origin` (popup), or `returnTo` (redirect). */
interface Flow {
  origin: string;
  returnTo: string | null;
  state: string | null;
}

type Outcome = { ok: true; email: string } | { ok: false; error: CompanionError };

// The page's only script is constant, so the CSP can allow exactly it by hash; the data it posts
// travels in an inert JSON block. It answers only a ping from the page origin the nonce names,
// through the ping's own source: the popup has no opener to post to (see TkConnectPing).
const SCRIPT =
  "const d=JSON.parse(document.getElementById('tk-result').textContent);" +
  "addEventListener('message',(e)=>{if(e.origin===d.target&&e.source&&e.data&&e.data.type==='connect-ping'){" +
  'e.source.postMessage(d.message,d.target);close();}});';
const CSP = [
  "default-src 'none'",
  `script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

const REDIRECT_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The cookie that binds a round trip to the browser that started it: one per round trip, named
 * after the start of its hash (so connects in several tabs do not undo each other), holding the
 * whole hash of the nonce's id. On https it is `__Host-tk_connect_…` (Secure, Path=/, no Domain),
 * so no sibling subdomain can plant or overwrite it. The `__Host-` prefix requires `Secure`, and on
 * plain http browsers differ on whether a Secure cookie may be set at all (Chromium and Firefox
 * allow it on localhost only, WebKit not even there; 127.0.0.1 varies), so on http (loopback
 * development, the tests, the demo) the same cookie goes without the prefix or `Secure`.
 */
function bindingCookieName(base: string, hash: string): string {
  return `${base.startsWith('https:') ? '__Host-' : ''}tk_connect_${hash.slice(0, 16)}`;
}

function bindingCookie(base: string, hash: string, value: string, maxAgeSeconds: number): string {
  const secure = base.startsWith('https:') ? '; Secure' : '';
  return `${bindingCookieName(base, hash)}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; SameSite=Lax${secure}`;
}

const nonceHash = (id: string) => createHash('sha256').update(id).digest('base64url');

/** True when the request carries the binding cookie of nonce `id` (any of several same-named ones). */
function carriesBinding(incoming: Incoming, base: string, id: string): boolean {
  const hash = nonceHash(id);
  const name = bindingCookieName(base, hash);
  const expected = Buffer.from(hash);
  for (const pair of (incoming.header('cookie') ?? '').split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 1 || pair.slice(0, eq).trim() !== name) continue;
    const given = Buffer.from(pair.slice(eq + 1).trim());
    if (given.length === expected.length && timingSafeEqual(given, expected)) return true;
  }
  return false;
}

function page(status: number, title: string, text: string, data: object | null): Outgoing {
  const block = data === null ? '' : `<script type="application/json" id="tk-result">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>\n<script>${SCRIPT}</script>\n`;
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main>
${block}</body>
</html>`;
  return { status, headers: PAGE_HEADERS, body };
}

function messageOf(flow: Flow, outcome: Outcome): TkConnectMessage {
  const state = flow.state === null ? {} : { state: flow.state };
  return outcome.ok
    ? { source: 'tk-companion', type: 'connect', ok: true, email: outcome.email, ...state }
    : { source: 'tk-companion', type: 'connect', ok: false, code: outcome.error.code, message: outcome.error.message, ...state };
}

/** The page that shows an outcome and answers the element's ping with it. */
function resultPage(provider: ConnectProvider, status: number, target: string, message: TkConnectMessage): Outgoing {
  const name = PROVIDER_NAMES[provider];
  return message.ok
    ? page(status, `${name} connected`, `Connected as ${message.email}. You can close this window.`, { target, message })
    : page(status, `${name} not connected`, `${message.message}. You can close this window.`, { target, message });
}

/** Sends a redirect-mode browser back to `return_to` with the outcome and the element's state. */
function backTo(returnTo: string, flow: Flow, outcome: Outcome, headers: Record<string, string> = {}): Outgoing {
  const back = new URL(returnTo);
  back.searchParams.set(TK_CONNECT_RESULT_PARAM, outcome.ok ? 'ok' : outcome.error.code);
  if (flow.state !== null) back.searchParams.set(TK_CONNECT_STATE_PARAM, flow.state);
  return { status: 303, headers: { ...REDIRECT_HEADERS, ...headers, location: back.href }, body: null };
}

/** Ends a round trip at `/<provider>/start` (nothing secret in that URL): the result page itself, or back to `return_to`. */
function finishAtStart(provider: ConnectProvider, flow: Flow, outcome: Outcome & { ok: false }): Outgoing {
  if (flow.returnTo !== null) return backTo(flow.returnTo, flow, outcome);
  return resultPage(provider, outcome.error.status, flow.origin, messageOf(flow, outcome));
}

/**
 * Ends a round trip at the callback, whose URL carries the resource token: never a page there
 * (history, session restore and extensions would keep it), a 303 on instead, and the binding
 * cookie cleared. The result page URL is relative, so it stays on whatever origin and path the
 * browser used, proxies included.
 */
function finishAtCallback(core: Core, provider: ConnectProvider, base: string, id: string, flow: Flow, outcome: Outcome): Outgoing {
  const clear = { 'set-cookie': bindingCookie(base, nonceHash(id), '', 0) };
  if (flow.returnTo !== null) return backTo(flow.returnTo, flow, outcome, clear);
  const result = core.signer.sign('result', {
    t: flow.origin,
    p: provider,
    m: messageOf(flow, outcome),
    s: outcome.ok ? 200 : outcome.error.status,
    e: core.options.now() + RESULT_TTL_MS,
  });
  return { status: 303, headers: { ...REDIRECT_HEADERS, ...clear, location: `../done/${result}` }, body: null };
}

/**
 * `GET /<provider>/start[?state=S][&endpoint=URL][&return_to=URL]`: popup mode without `return_to`,
 * redirect mode with it. `endpoint` is the companion's absolute URL as the element reaches it
 * (see `callbackBase`).
 */
export async function connectStart(core: Core, provider: ConnectProvider, incoming: Incoming, query: URLSearchParams): Promise<Outgoing> {
  // A navigation carries no Origin; the opener's Referer (an origin at least, by default) says
  // which page asked, and a page on another site cannot start a round trip for our users.
  const origin = pageOrigin(incoming);
  if (origin === null || !core.options.allowedOrigins.has(origin)) {
    throw originNotAllowed(`Open /${provider}/start from a page on an allowed origin`);
  }
  let returnTo: string | null = null;
  const rawReturnTo = query.get('return_to');
  if (rawReturnTo !== null) {
    let url: URL;
    try {
      url = new URL(rawReturnTo, origin);
    } catch {
      throw invalid('return_to must be a URL');
    }
    if (url.origin !== origin) throw originNotAllowed('return_to must be on the origin of the page that started the connect');
    returnTo = url.href;
  }
  const state = query.get('state');
  if (state !== null && !STATE.test(state)) throw invalid('state must be 1 to 128 characters of base64url');
  const flow: Flow = { origin, returnTo, state };

  const userId = await currentUser(core, incoming);
  if (userId === null) return finishAtStart(provider, flow, { ok: false, error: new CompanionError('unauthenticated', 'Sign in first') });
  const limited = await core.limits.connectStart(userId);
  if (limited !== null) return finishAtStart(provider, flow, { ok: false, error: limited });
  let base: string;
  try {
    base = callbackBase(core, incoming, query.get('endpoint'), origin);
  } catch (error) {
    if (error instanceof CompanionError) return finishAtStart(provider, flow, { ok: false, error });
    throw error;
  }

  const id = randomBytes(16).toString('base64url');
  const hash = nonceHash(id);
  const claims = { n: id, u: userId, o: origin, r: returnTo, s: state, b: base, p: provider, e: core.options.now() + NONCE_TTL_MS };
  const signup = new URL(`${core.options.apiBase}/accounts/${provider}/signup`);
  signup.searchParams.set('Timekit-App', core.options.app);
  // Nothing in a query of ours: Timekit may append `?email=…&token=…` to the callback as plain
  // text, which would garble any query already there (docs/timekit-api.md, the callback doubt).
  const callback = `${base}/${provider}/callback/${core.signer.sign('nonce', claims)}`;
  signup.searchParams.set('callback', callback);
  if (onLoopback(core.options.apiBase)) {
    // The emulator shows its fake consent only for signups signed with the app key (docs/emulator.md).
    signup.searchParams.set(SIGNUP_SIGNATURE_PARAM, await signupSignature(core.options.appKey, core.options.app, callback));
  }
  return {
    status: 302,
    headers: { ...REDIRECT_HEADERS, location: signup.href, 'set-cookie': bindingCookie(base, hash, hash, NONCE_TTL_MS / 1000) },
    body: null,
  };
}

/**
 * The callback's query as Timekit may send it: appended as text (so a second `?` can separate
 * parameters) and not percent-encoded (so `+` is a plus, never a space). The first of each name wins.
 */
export function callbackParams(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of rawQuery.split(/[?&]/)) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name === '' || params.has(name)) continue;
    const raw = eq < 0 ? '' : part.slice(eq + 1);
    try {
      params.set(name, decodeURIComponent(raw));
    } catch {
      params.set(name, raw); // a stray `%`: kept as sent, and refused below if it matters
    }
  }
  return params;
}

/** `GET /<provider>/callback/<nonce>?email=…&token=…` (or `?error=access_denied`, or nothing on a decline), from Timekit. */
export async function connectCallback(core: Core, provider: ConnectProvider, incoming: Incoming, nonce: string, rawQuery: string): Promise<Outgoing> {
  const claims = core.signer.verify('nonce', nonce);
  const { n: id, u: userId, o: origin, r: returnTo, s: state, b: base, p: startedFor = 'google', e: expiresAt } = claims ?? {};
  if (
    typeof id !== 'string' ||
    typeof userId !== 'string' ||
    typeof origin !== 'string' ||
    typeof base !== 'string' ||
    typeof expiresAt !== 'number' ||
    (returnTo !== null && typeof returnTo !== 'string') ||
    (state !== null && typeof state !== 'string') ||
    // A nonce signed before the provider was (Google's only) names none; one for another provider's callback path is not this one's.
    startedFor !== provider ||
    !core.options.allowedOrigins.has(origin)
  ) {
    // Forged or garbled: nothing in it can be trusted, not even where to report.
    throw new CompanionError('nonce-invalid', 'This connect link is not valid; start again');
  }
  const flow: Flow = { origin, returnTo, state };
  try {
    if (core.options.now() >= expiresAt) {
      throw new CompanionError('nonce-expired', 'This connect link has expired; start again');
    }
    const store = core.options.store;
    const fresh = store.consumeNonce ? await store.consumeNonce(id, expiresAt) : core.nonces.consume(id, expiresAt, core.options.now());
    if (!fresh) throw new CompanionError('nonce-used', 'This connect link was already used; start again');

    // The nonce says who started; only that user, in the browser that started, may finish. A link
    // someone else started (sent to a provider to click Allow on) would otherwise pair that
    // provider's calendars with the other user.
    if (!carriesBinding(incoming, base, id) || (await currentUser(core, incoming)) !== userId) {
      throw new CompanionError(
        'connect-elsewhere',
        'This connect was started in another browser or by another account; start again from the page where you clicked Connect',
      );
    }

    const params = callbackParams(rawQuery);
    const email = params.get('email') ?? '';
    const token = params.get('token') ?? '';
    // Declining may come back with `error=…` or with nothing at all (docs/timekit-api.md).
    if (params.has('error') || (email === '' && token === '')) {
      throw new CompanionError('consent-denied', `${PROVIDER_NAMES[provider]} access was declined`);
    }
    // The email goes into Timekit's `search=email:…`, where `;` would add conditions: anything
    // but a plain address is a forged callback, refused before Timekit sees it.
    if (!EMAIL.test(email) || token === '' || email.length > 320 || token.length > 1024) {
      throw invalid('Timekit sent the callback without a valid email and token');
    }
    const resource = await core.timekit.findResourceByEmail(email);
    // Timekit's own callback names the resource it has just created; one it does not know was
    // made up by whoever holds the link, so it is a bad request, not a Timekit failure.
    if (resource === null) throw invalid(`Timekit lists no resource with the email ${email}`);

    const auth = { email, token };
    let accounts: TimekitAccount[] = [];
    try {
      await core.timekit.sync(auth);
      accounts = await core.timekit.accounts(auth);
    } catch (error) {
      // Timekit refusing the resource's own calls means the token is not this resource's: the
      // callback was made up, and storing it would pair the resource with a token that does not work.
      if (error instanceof CompanionError && error.code === 'timekit-rejected') throw invalid('The callback carries a token Timekit does not accept');
      // Timekit unavailable or limiting: the connection itself worked and the elements can sync later.
      core.options.log?.(`sync after connect failed: ${(error as Error).message}`);
    }
    // Another resource than the user's waits for the provider's yes (pending.ts); the round trip still ends ok.
    await saveConnected(core, userId, { resourceId: resource.id, email, token, accounts, provider });
    return finishAtCallback(core, provider, base, id, flow, { ok: true, email });
  } catch (error) {
    if (error instanceof CompanionError) return finishAtCallback(core, provider, base, id, flow, { ok: false, error });
    throw error;
  }
}

/** `GET /<provider>/done/<signed outcome>`: the popup's result page, at a URL without the token. */
export function connectDone(core: Core, provider: ConnectProvider, signed: string): Outgoing {
  const claims = core.signer.verify('result', signed);
  const { t: target, p: signedFor = 'google', m: message, s: status, e: expiresAt } = claims ?? {};
  if (
    typeof target !== 'string' ||
    signedFor !== provider ||
    typeof status !== 'number' ||
    typeof expiresAt !== 'number' ||
    typeof message !== 'object' ||
    message === null
  ) {
    throw new CompanionError('invalid', 'This connect result is not valid');
  }
  if (core.options.now() >= expiresAt) return page(410, 'Connect result expired', 'This page is out of date. You can close this window.', null);
  return resultPage(provider, status, target, message as TkConnectMessage);
}
