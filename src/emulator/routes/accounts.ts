/** `/accounts`: the Google signup redirect (to the consent page), sync, and the connected accounts list. */
import { SIGNUP_SIGNATURE_PARAM } from '../../shared/emulator-signup.js';
import { checkCallback } from '../callback.js';
import { invalidField, notFound } from '../errors.js';
import { syncGoogleAccounts } from '../google.js';
import type { Reply } from '../http.js';
import { actingResource, ok, type Ctx, type Route } from './common.js';

function sync(ctx: Ctx): Reply {
  const { calendars, events } = syncGoogleAccounts(ctx.state, actingResource(ctx), ctx.now, ctx.fidelity.importOnlySynced);
  return ok({ description: `Synced ${calendars} calendars and ${events} events`, count: events });
}

export const accountRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/accounts/google/signup',
    auth: 'none',
    handler(ctx) {
      const slug = ctx.query.get('Timekit-App');
      if (!slug) throw invalidField('Timekit-App', 'The Timekit-App query parameter is required');
      if (slug !== ctx.app.slug) throw notFound('App', 'No Timekit app has this slug');
      const callback = checkCallback(ctx.query.get('callback'), ctx.callbackOrigins);
      const consent = new URL('/_google/consent', ctx.origin);
      consent.searchParams.set('app', slug);
      consent.searchParams.set('callback', callback);
      // The consent page checks it: without the app key's signature it shows no form.
      const signature = ctx.query.get(SIGNUP_SIGNATURE_PARAM);
      if (signature !== null) consent.searchParams.set(SIGNUP_SIGNATURE_PARAM, signature);
      return { status: 302, headers: { location: consent.toString() } };
    },
  },
  { method: 'GET', pattern: '/accounts/sync', auth: ['resource', 'widget'], widget: 'write', handler: sync },
  { method: 'POST', pattern: '/accounts/sync', auth: ['resource', 'widget'], widget: 'write', handler: sync },
  {
    method: 'GET',
    pattern: '/accounts',
    auth: ['resource', 'widget'],
    widget: 'write',
    handler(ctx) {
      return ok(actingResource(ctx).accounts.map((account) => ({ ...account })));
    },
  },
];
