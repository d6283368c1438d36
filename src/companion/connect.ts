/**
 * The Google connect round trip. Timekit's signup URL carries no `state`, so the companion binds
 * the trip itself: `/google/start` signs a one-time nonce (user, page origin, expiry, return_to)
 * into the callback URL; `/google/callback` verifies and burns it, stores the resource token
 * through the store, syncs, and answers a tiny page that posts the outcome to the opener at the
 * exact page origin (popup mode), or redirects back to `return_to` (redirect mode).
 */
import { createHash, randomBytes } from 'node:crypto';
import { TK_CONNECT_RESULT_PARAM, type TkConnectMessage } from '../shared/session.js';
import type { TimekitAccount } from '../shared/timekit.js';
import { currentUser, selfBase, type Core } from './core.js';
import { CompanionError, invalid, originNotAllowed, pageOrigin, type Incoming, type Outgoing } from './http.js';

const NONCE_TTL_MS = 10 * 60_000;
const EMAIL = /^[^\s@;,]+@[^\s@;,]+$/;

/** Where the outcome goes: the opener at `origin` (popup), or `returnTo` (redirect). */
interface Flow {
  origin: string;
  returnTo: string | null;
}

type Outcome = { ok: true; email: string } | { ok: false; error: CompanionError };

// The page's only script is constant, so the CSP can allow exactly it by hash; the data it posts
// travels in an inert JSON block.
const SCRIPT =
  "const d=JSON.parse(document.getElementById('tk-result').textContent);" +
  'if(window.opener){window.opener.postMessage(d.message,d.target);window.close();}';
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
  // The callback URL carries Timekit's token in its query: never send it on as a Referer.
  'referrer-policy': 'no-referrer',
} as const;

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(status: number, title: string, text: string, data: object | null): Outgoing {
  const block = data === null ? '' : `<script type="application/json" id="tk-result">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>\n<script>${SCRIPT}</script>\n`;
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main>
${block}</body>
</html>`;
  return { status, headers: { ...PAGE_HEADERS }, body };
}

/** Ends a round trip: a page posting to the opener, or a redirect to `return_to`. */
function finish(flow: Flow, outcome: Outcome): Outgoing {
  if (flow.returnTo !== null) {
    const back = new URL(flow.returnTo);
    back.searchParams.set(TK_CONNECT_RESULT_PARAM, outcome.ok ? 'ok' : outcome.error.code);
    return { status: 303, headers: { location: back.href, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }, body: null };
  }
  const message: TkConnectMessage = outcome.ok
    ? { source: 'tk-companion', type: 'connect', ok: true, email: outcome.email }
    : { source: 'tk-companion', type: 'connect', ok: false, code: outcome.error.code, message: outcome.error.message };
  const data = { target: flow.origin, message };
  return outcome.ok
    ? page(200, 'Google Calendar connected', `Connected as ${outcome.email}. You can close this window.`, data)
    : page(outcome.error.status, 'Google Calendar not connected', `${outcome.error.message}. You can close this window.`, data);
}

/** `GET /google/start[?return_to=URL]`: popup mode without `return_to`, redirect mode with it. */
export async function googleStart(core: Core, incoming: Incoming, query: URLSearchParams): Promise<Outgoing> {
  // A navigation carries no Origin; the opener's Referer (an origin at least, by default) says
  // which page asked, and a page on another site cannot start a round trip for our users.
  const origin = pageOrigin(incoming);
  if (origin === null || !core.options.allowedOrigins.has(origin)) {
    throw originNotAllowed('Open /google/start from a page on an allowed origin');
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
  const flow: Flow = { origin, returnTo };

  const userId = await currentUser(core, incoming);
  if (userId === null) return finish(flow, { ok: false, error: new CompanionError(401, 'unauthenticated', 'Sign in first') });
  const limited = await core.limits.connectStart(userId);
  if (limited !== null) return finish(flow, { ok: false, error: limited });

  const claims = { n: randomBytes(16).toString('base64url'), u: userId, o: origin, r: returnTo, e: core.options.now() + NONCE_TTL_MS };
  const callback = `${selfBase(core, incoming)}/google/callback?nonce=${core.signer.sign('nonce', claims)}`;
  const signup = new URL(`${core.options.apiBase}/accounts/google/signup`);
  signup.searchParams.set('Timekit-App', core.options.app);
  signup.searchParams.set('callback', callback);
  return { status: 302, headers: { location: signup.href, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }, body: null };
}

/** `GET /google/callback?nonce=…&email=…&token=…` (or `&error=access_denied`), from Timekit. */
export async function googleCallback(core: Core, query: URLSearchParams): Promise<Outgoing> {
  const claims = core.signer.verify('nonce', query.get('nonce') ?? '');
  const { n: id, u: userId, o: origin, r: returnTo, e: expiresAt } = claims ?? {};
  if (
    typeof id !== 'string' ||
    typeof userId !== 'string' ||
    typeof origin !== 'string' ||
    typeof expiresAt !== 'number' ||
    (returnTo !== null && typeof returnTo !== 'string') ||
    !core.options.allowedOrigins.has(origin)
  ) {
    // Forged or garbled: nothing in it can be trusted, not even where to report.
    throw new CompanionError(400, 'nonce-invalid', 'This connect link is not valid; start again');
  }
  const flow: Flow = { origin, returnTo };
  try {
    if (core.options.now() >= expiresAt) {
      throw new CompanionError(400, 'nonce-expired', 'This connect link has expired; start again');
    }
    const store = core.options.store;
    const fresh = store.consumeNonce ? await store.consumeNonce(id, expiresAt) : core.nonces.consume(id, expiresAt, core.options.now());
    if (!fresh) throw new CompanionError(400, 'nonce-used', 'This connect link was already used; start again');

    if (query.has('error')) {
      throw new CompanionError(403, 'consent-denied', 'Google Calendar access was declined');
    }
    const email = query.get('email') ?? '';
    const token = query.get('token') ?? '';
    // The email goes into Timekit's `search=email:…`, where `;` would add conditions: anything
    // but a plain address is a forged callback, refused before Timekit sees it.
    if (!EMAIL.test(email) || token === '' || email.length > 320 || token.length > 1024) {
      throw invalid('Timekit sent the callback without a valid email and token');
    }
    const resource = await core.timekit.findResourceByEmail(email);
    // Timekit's own callback names the resource it has just created; one it does not know was
    // made up by whoever holds the link, so it is a bad request, not a Timekit failure.
    if (resource === null) throw invalid('The callback names no Timekit resource');

    const auth = { email, token };
    let accounts: TimekitAccount[] = [];
    try {
      await core.timekit.sync(auth);
      accounts = await core.timekit.accounts(auth);
    } catch (error) {
      // Timekit refusing the resource's own calls means the token is not this resource's: the
      // callback was made up by whoever holds the link (the nonce only binds the host user), and
      // storing it would pair another provider's resource with a token that does not work.
      if (error instanceof CompanionError && error.code === 'timekit-rejected') throw invalid('The callback carries a token Timekit does not accept');
      // Timekit unavailable or limiting: the connection itself worked and the elements can sync later.
      core.options.log?.(`sync after connect failed: ${(error as Error).message}`);
    }
    await store.put(userId, { resourceId: resource.id, email, token, accounts });
    return finish(flow, { ok: true, email });
  } catch (error) {
    if (error instanceof CompanionError) return finish(flow, { ok: false, error });
    throw error;
  }
}
