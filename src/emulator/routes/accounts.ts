/** `/accounts`: the Google signup redirect, sync, and the connected accounts list. */
import { invalidField, notFound, type Reply } from '../http.js';
import { syncGoogleAccounts } from '../google.js';
import { isLoopbackHost } from '../secrets.js';
import { actingResource, ok, type Ctx, type Route } from './common.js';

/**
 * A callback must be an absolute http(s) URL on this machine (a loopback host) or on one of the
 * `allowedOrigins`: the browser is sent there with a resource token, so a consent link must not
 * be able to send it anywhere else.
 */
export function checkCallback(callback: string | null, allowedOrigins: readonly string[]): string {
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
  if (!isLoopbackHost(url.hostname) && !allowedOrigins.includes(url.origin)) {
    throw invalidField('callback', `The callback origin ${url.origin} is not allowed; start the emulator with --callback-origin ${url.origin}`);
  }
  return url.toString();
}

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
