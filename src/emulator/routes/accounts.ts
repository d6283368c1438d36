/**
 * `/accounts`: the Google and Microsoft signup redirects (to the provider's consent page), sync
 * (all accounts, or only the Microsoft ones), and the connected accounts list.
 */
import { SIGNUP_SIGNATURE_PARAM } from '../../shared/emulator-signup.js';
import { syncAccounts } from '../calendar-accounts.js';
import { checkCallback } from '../callback.js';
import { consentPath } from '../consent-page.js';
import { invalidField, notFound } from '../errors.js';
import type { Reply } from '../http.js';
import { accountJson } from '../records.js';
import type { Provider } from '../seed.js';
import { actingResource, ok, type Ctx, type Route } from './common.js';

function sync(ctx: Ctx, provider?: Provider): Reply {
  const { calendars, events } = syncAccounts(ctx.state, actingResource(ctx), ctx.now, { onlySynced: ctx.fidelity.importOnlySynced, provider });
  return ok({ description: `Synced ${calendars} calendars and ${events} events`, count: events });
}

/** `GET /accounts/<provider>/signup`: 302 to the provider's fake consent page, carrying the app key's signature. */
function signupRoute(provider: Provider): Route {
  return {
    method: 'GET',
    pattern: `/accounts/${provider}/signup`,
    auth: 'none',
    handler(ctx) {
      const slug = ctx.query.get('Timekit-App');
      if (!slug) throw invalidField('Timekit-App', 'The Timekit-App query parameter is required');
      if (slug !== ctx.app.slug) throw notFound('App', 'No Timekit app has this slug');
      const callback = checkCallback(ctx.query.get('callback'), ctx.callbackOrigins);
      const consent = new URL(consentPath(provider), ctx.origin);
      consent.searchParams.set('app', slug);
      consent.searchParams.set('callback', callback);
      // The consent page checks it: without the app key's signature it shows no form.
      const signature = ctx.query.get(SIGNUP_SIGNATURE_PARAM);
      if (signature !== null) consent.searchParams.set(SIGNUP_SIGNATURE_PARAM, signature);
      return { status: 302, headers: { location: consent.toString() } };
    },
  };
}

export const accountRoutes: Route[] = [
  signupRoute('google'),
  signupRoute('microsoft'),
  { method: 'GET', pattern: '/accounts/sync', auth: ['resource', 'widget'], widget: 'write', handler: (ctx) => sync(ctx) },
  { method: 'POST', pattern: '/accounts/sync', auth: ['resource', 'widget'], widget: 'write', handler: (ctx) => sync(ctx) },
  // The SDK's accountMicrosoftSync; it has only POST.
  { method: 'POST', pattern: '/accounts/microsoft/sync', auth: ['resource', 'widget'], widget: 'write', handler: (ctx) => sync(ctx, 'microsoft') },
  {
    method: 'GET',
    pattern: '/accounts',
    auth: ['resource', 'widget'],
    widget: 'write',
    handler(ctx) {
      return ok(actingResource(ctx).accounts.map(accountJson));
    },
  },
];
