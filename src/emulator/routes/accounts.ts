/** `/accounts`: the Google signup redirect, sync, and the connected accounts list. */
import { invalidField, notFound, type Reply } from '../http.js';
import { syncGoogleAccounts } from '../google.js';
import { actingResource, ok, type Ctx, type Route } from './common.js';

/** A callback must be an absolute http(s) URL; the browser is sent there with `email` and `token`. */
export function checkCallback(callback: string | null): string {
  if (!callback) throw invalidField('callback', 'The callback field is required: this app has no registered callback URL');
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    throw invalidField('callback', 'The callback must be an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidField('callback', 'The callback must be an http or https URL');
  }
  return url.toString();
}

function sync(ctx: Ctx): Reply {
  const { calendars, events } = syncGoogleAccounts(ctx.state, actingResource(ctx), ctx.now);
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
      const callback = checkCallback(ctx.query.get('callback'));
      const consent = new URL('/_google/consent', ctx.origin);
      consent.searchParams.set('app', slug);
      consent.searchParams.set('callback', callback);
      return { status: 302, headers: { location: consent.toString() } };
    },
  },
  { method: 'GET', pattern: '/accounts/sync', auth: ['resource', 'widget'], strictWidget: false, handler: sync },
  { method: 'POST', pattern: '/accounts/sync', auth: ['resource', 'widget'], strictWidget: false, handler: sync },
  {
    method: 'GET',
    pattern: '/accounts',
    auth: ['resource', 'widget'],
    strictWidget: false,
    handler(ctx) {
      return ok(actingResource(ctx).accounts.map((account) => ({ ...account })));
    },
  },
];
