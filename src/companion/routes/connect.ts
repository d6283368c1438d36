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
 *
 * The nonce and the outcome are signed claims (signing.ts); the cookie, the callback's query and
 * the result page have files of their own in connect/.
 */
import { randomBytes } from 'node:crypto';
import { TK_CONNECT_RESULT_PARAM, TK_CONNECT_STATE_PARAM, type TkConnectMessage } from '../../shared/companion-protocol.js';
import { SIGNUP_SIGNATURE_PARAM, signupSignature } from '../../shared/emulator-signup.js';
import type { TimekitAccount } from '../../shared/timekit.js';
import { carriesBindingCookie, clearBindingCookie, setBindingCookie } from '../connect/binding-cookie.js';
import { callbackParams } from '../connect/callback-params.js';
import { expiredResultPage, providerName, resultPage } from '../connect/result-page.js';
import { callbackBase, currentUser, type CompanionServices } from '../core.js';
import { CompanionError } from '../errors.js';
import { invalid, originNotAllowed, pageOrigin, type Incoming, type Outgoing } from '../http.js';
import { onLoopback } from '../options.js';
import { signNonce, signResult, verifyNonce, verifyResult, type ConnectProvider } from '../signing.js';
import { saveConnected } from './pending.js';

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

const REDIRECT_HEADERS = { 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } as const;

function messageOf(flow: Flow, outcome: Outcome): TkConnectMessage {
  const state = flow.state === null ? {} : { state: flow.state };
  return outcome.ok
    ? { source: 'tk-companion', type: 'connect', ok: true, email: outcome.email, ...state }
    : { source: 'tk-companion', type: 'connect', ok: false, code: outcome.error.code, message: outcome.error.message, ...state };
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
function finishAtCallback(core: CompanionServices, provider: ConnectProvider, base: string, id: string, flow: Flow, outcome: Outcome): Outgoing {
  const clear = { 'set-cookie': clearBindingCookie(base, id) };
  if (flow.returnTo !== null) return backTo(flow.returnTo, flow, outcome, clear);
  const result = signResult(core.signer, {
    target: flow.origin,
    provider,
    message: messageOf(flow, outcome),
    status: outcome.ok ? 200 : outcome.error.status,
    expiresAt: core.options.now() + RESULT_TTL_MS,
  });
  return { status: 303, headers: { ...REDIRECT_HEADERS, ...clear, location: `../done/${result}` }, body: null };
}

/**
 * `GET /<provider>/start[?state=S][&endpoint=URL][&return_to=URL]`: popup mode without `return_to`,
 * redirect mode with it. `endpoint` is the companion's absolute URL as the element reaches it
 * (see `callbackBase`).
 */
export async function connectStart(core: CompanionServices, provider: ConnectProvider, incoming: Incoming, query: URLSearchParams): Promise<Outgoing> {
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
  const nonce = signNonce(core.signer, { id, userId, origin, returnTo, state, base, provider, expiresAt: core.options.now() + NONCE_TTL_MS });
  const signup = new URL(`${core.options.apiBase}/accounts/${provider}/signup`);
  signup.searchParams.set('Timekit-App', core.options.app);
  // Nothing in a query of ours: Timekit may append `?email=…&token=…` to the callback as plain
  // text, which would garble any query already there (docs/timekit-api.md, the callback doubt).
  const callback = `${base}/${provider}/callback/${nonce}`;
  signup.searchParams.set('callback', callback);
  if (onLoopback(core.options.apiBase)) {
    // The emulator shows its fake consent only for signups signed with the app key (docs/emulator.md).
    signup.searchParams.set(SIGNUP_SIGNATURE_PARAM, await signupSignature(core.options.appKey, core.options.app, callback));
  }
  return {
    status: 302,
    headers: { ...REDIRECT_HEADERS, location: signup.href, 'set-cookie': setBindingCookie(base, id, NONCE_TTL_MS / 1000) },
    body: null,
  };
}

/** `GET /<provider>/callback/<nonce>?email=…&token=…` (or `?error=access_denied`, or nothing on a decline), from Timekit. */
export async function connectCallback(core: CompanionServices, provider: ConnectProvider, incoming: Incoming, nonce: string, rawQuery: string): Promise<Outgoing> {
  const claims = verifyNonce(core.signer, nonce);
  // A nonce for another provider's callback path is not this one's.
  if (claims === null || claims.provider !== provider || !core.options.allowedOrigins.has(claims.origin)) {
    // Forged or garbled: nothing in it can be trusted, not even where to report.
    throw new CompanionError('nonce-invalid', 'This connect link is not valid; start again');
  }
  const { id, userId, origin, returnTo, state, base, expiresAt } = claims;
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
    if (!carriesBindingCookie(incoming.header('cookie'), base, id) || (await currentUser(core, incoming)) !== userId) {
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
      throw new CompanionError('consent-denied', `${providerName(provider)} access was declined`);
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
export function connectDone(core: CompanionServices, provider: ConnectProvider, signed: string): Outgoing {
  const result = verifyResult(core.signer, signed);
  if (result === null || result.provider !== provider) throw new CompanionError('invalid', 'This connect result is not valid');
  if (core.options.now() >= result.expiresAt) return expiredResultPage();
  return resultPage(provider, result.status, result.target, result.message);
}
