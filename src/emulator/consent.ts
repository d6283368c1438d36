/**
 * `/_google/consent` and `/_microsoft/consent`: a provider's fake consent screen (GET) and its
 * form (POST), which signs the chosen identity in and sends the browser back to the callback with
 * its email and token (a personal Microsoft account instead ends on Microsoft's AADSTS50020 page,
 * with no way back). The page shows only for a signup link signed with the app key, and each form
 * answers once: anyone who can open a socket to the port could otherwise sign in as any identity
 * and take its token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SIGNUP_SIGNATURE_PARAM, signupSignature } from '../shared/emulator-signup.js';
import { callbackWith, checkCallback } from './callback.js';
import { signIn } from './calendar-accounts.js';
import { consentPage, personalAccountPage } from './consent-page.js';
import { HttpError, forbidden, invalid, notFound } from './errors.js';
import type { FidelitySwitches } from './fidelity.js';
import { errorReply, readFormBody, sendReply } from './http.js';
import { isLoopbackHost, sameSecret, type ConsentTokens } from './secrets.js';
import { findIdentity, type Provider, type SeedApp } from './seed.js';
import type { EmulatorState } from './state.js';

export interface ConsentOptions {
  /** Whose consent screen this is: its identities, its page, its accounts. */
  provider: Provider;
  app: SeedApp;
  state: EmulatorState;
  now: () => Date;
  fidelity: FidelitySwitches;
  /** Origins besides loopback ones that the callback may point at. */
  callbackOrigins: readonly string[];
  /** Issues the form's CSRF token and checks it when the form comes back (one per provider: a token answers only its own page). */
  consentTokens: ConsentTokens;
}

/**
 * The cookie that remembers, in this browser, which resource the consent pages signed in last,
 * as a provider's own session would: the `secondSignupAttaches` switch attaches the next signup
 * there. HttpOnly and on the emulator's origin only.
 */
const SIGNED_IN_COOKIE = 'tk_emulator_resource';

const signedInCookie = (resourceId: string) => `${SIGNED_IN_COOKIE}=${encodeURIComponent(resourceId)}; Path=/; HttpOnly; SameSite=Lax`;

function signedInResource(req: IncomingMessage): string | null {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const [name, value = ''] = pair.trim().split('=');
    if (name === SIGNED_IN_COOKIE) return decodeURIComponent(value);
  }
  return null;
}

/** The consent page may not be framed (no clickjacking of Allow) nor cached. */
const PAGE_HEADERS = { 'cache-control': 'no-store', 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" };

export type ConsentHandler = (req: IncomingMessage, res: ServerResponse, query: URLSearchParams) => Promise<void>;

export function createConsentHandler(options: ConsentOptions): ConsentHandler {
  const { provider, app, state, now, fidelity, callbackOrigins, consentTokens } = options;

  const callbackHosts = new Set(callbackOrigins.map((origin) => new URL(origin).hostname));

  /**
   * The name the browser reached the emulator by must be this machine's or a callback origin's
   * host: after DNS rebinding, another site's name points here and its pages could read the form.
   */
  function checkHost(req: IncomingMessage): void {
    let hostname = '';
    try {
      hostname = new URL(`http://${req.headers.host ?? ''}`).hostname;
    } catch {
      // not a host name at all: refused below
    }
    if (!isLoopbackHost(hostname) && !callbackHosts.has(hostname)) {
      throw forbidden('The consent page answers only on loopback names (localhost, 127.0.0.1) and the hosts of the callback origins');
    }
  }

  /** Whether `signature` is the app key's (live or test) for this signup: only the app's own links get a consent form. */
  async function signedByApp(signature: string | null, callback: string): Promise<boolean> {
    if (signature === null) return false;
    for (const key of [app.appKey, app.testAppKey]) {
      if (sameSecret(signature, await signupSignature(key, app.slug, callback))) return true;
    }
    return false;
  }

  async function showPage(res: ServerResponse, query: URLSearchParams): Promise<void> {
    if (query.get('app') !== app.slug) throw notFound('App', 'No Timekit app has this slug');
    const callback = checkCallback(query.get('callback'), callbackOrigins);
    if (!(await signedByApp(query.get(SIGNUP_SIGNATURE_PARAM), callback))) {
      throw forbidden(
        `This emulator shows its consent only for signup links signed with the app key (${SIGNUP_SIGNATURE_PARAM}): ` +
          'connect through the companion, which signs its own, or sign the link with signedSignupUrl (docs/emulator.md)',
      );
    }
    sendReply(res, { status: 200, body: consentPage(provider, app, callback, consentTokens.issue(app.slug, callback, now())) }, PAGE_HEADERS);
  }

  async function answerForm(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readFormBody(req);
    if (form.get('app') !== app.slug) throw notFound('App', 'No Timekit app has this slug');
    const callback = checkCallback(form.get('callback'), callbackOrigins);
    // A form another site posts cannot carry the token: it cannot read the consent page.
    if (!consentTokens.check(form.get('csrf'), app.slug, callback, now())) {
      throw new HttpError(403, { error: 'The consent form has expired or did not come from this consent page; open the signup link again' });
    }
    const decision = form.get('decision');
    if (decision === 'deny') {
      consentTokens.spend(form.get('csrf')!, now());
      const location = fidelity.denyWithoutError ? callback : callbackWith(callback, { error: 'access_denied' }, fidelity.callbackAsText);
      return sendReply(res, { status: 302, headers: { location } });
    }
    const identity = findIdentity(provider, form.get('identity') ?? '');
    if (decision !== 'allow' || !identity) {
      throw invalid({ identity: ['Choose one of the listed accounts, then Allow or Deny'] });
    }
    consentTokens.spend(form.get('csrf')!, now());
    // Microsoft refuses a personal account on its own screen: Timekit never hears of it.
    if (identity.personal) return sendReply(res, { status: 200, body: personalAccountPage(app, identity) }, PAGE_HEADERS);
    const signedInHere = fidelity.secondSignupAttaches ? state.resources.get(signedInResource(req) ?? '') : undefined;
    const { resource, token } = signIn(state, provider, identity, signedInHere);
    const location = callbackWith(callback, { email: resource.email!, token }, fidelity.callbackAsText);
    sendReply(res, { status: 302, headers: { location, 'set-cookie': signedInCookie(resource.id) } });
  }

  return async function handleConsent(req, res, query) {
    try {
      checkHost(req);
      if (req.method === 'GET') return await showPage(res, query);
      if (req.method !== 'POST') throw new HttpError(405, { error: 'Use GET or POST' }, { allow: 'GET, POST' });
      await answerForm(req, res);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      sendReply(res, errorReply(error), PAGE_HEADERS);
    }
  };
}
