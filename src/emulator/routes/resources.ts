/** `/resources` and `/auth`. */
import { z } from 'zod';
import { invalidField, notFound, unauthorized } from '../errors.js';
import { calendarJson, credentialJson, resourceJson, type ResourceRecord } from '../records.js';
import { isTimeZone, zonedParts } from '../time.js';
import { includes, isUuid, ok, paginate, search, validate, type Ctx, type Route } from './common.js';

const createResource = z.strictObject({
  name: z.string().trim().min(1, 'The name field is required').max(255),
  timezone: z.string().refine(isTimeZone, 'The timezone must be a valid IANA time zone'),
  email: z.email('The email must be a valid email address').max(255).optional(),
  first_name: z.string().max(255).optional(),
  last_name: z.string().max(255).optional(),
  password: z.string().min(6, 'The password must be at least 6 characters').max(255).optional(),
  image: z.url('The image must be a URL').max(2048).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
  tags: z.array(z.string().max(255)).max(100).optional(),
});

const login = z.strictObject({
  email: z.string().min(1, 'The email field is required'),
  password: z.string().min(1, 'The password field is required'),
});

function withIncludes(ctx: Ctx, resource: ResourceRecord, wanted: Set<string>) {
  const json = resourceJson(resource);
  if (wanted.has('calendars')) json.calendars = ctx.state.calendarsOf(resource.id).map(calendarJson);
  if (wanted.has('credentials')) {
    json.credentials = [...ctx.state.credentials.values()]
      .filter((c) => c.resource_id === resource.id)
      .map(credentialJson);
  }
  return json;
}

const RESOURCE_INCLUDES = ['calendars', 'credentials'];

/** Hours from UTC (e.g. -4, 5.5) of `zone` at `now`. */
function utcOffsetHours(zone: string, now: Date): number {
  const p = zonedParts(now, zone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
  return Math.round((wall - Math.floor(now.getTime() / 60_000) * 60_000) / 60_000) / 60;
}

export const resourceRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/resources',
    auth: ['app'],
    handler(ctx) {
      const input = validate(ctx, createResource);
      if (input.email && ctx.state.resourceByEmail(input.email)) {
        throw invalidField('email', 'The email has already been taken');
      }
      const { resource, token } = ctx.state.createResource(input);
      const json = withIncludes(ctx, resource, new Set(['calendars']));
      // Optimistic side: the onboarding guide says to save the token from here. Doubt #3: the v2
      // examples show none; the app key finds it with ?include=credentials.
      if (!ctx.fidelity.noTokenOnCreate) json.api_token = token;
      return ok(json, 201);
    },
  },
  {
    method: 'GET',
    pattern: '/resources',
    auth: ['app'],
    handler(ctx) {
      const wanted = includes(ctx, RESOURCE_INCLUDES);
      // No public source documents a searchable resource field (doubt #4 in docs/emulator.md): not even email.
      const found = search(ctx, [...ctx.state.resources.values()], {
        id: { match: (r, v) => r.id === v },
        email: { match: (r, v) => r.email?.toLowerCase() === v.toLowerCase() },
        name: { match: (r, v) => r.name === v },
        tags: { match: (r, v) => r.tags.includes(v) },
      });
      return paginate(ctx, found, (r) => withIncludes(ctx, r, wanted));
    },
  },
  {
    method: 'GET',
    pattern: '/resources/:id',
    auth: ['app'],
    handler(ctx) {
      const wanted = includes(ctx, RESOURCE_INCLUDES);
      const resource = isUuid(ctx.params.id) ? ctx.state.resources.get(ctx.params.id) : undefined;
      if (!resource) throw notFound('Resource');
      return ok(withIncludes(ctx, resource, wanted));
    },
  },
  {
    // booking.js 1.x calls this on load for its time-zone line, with the widget credential.
    method: 'GET',
    pattern: '/users/timezone/:email',
    auth: ['app', 'resource', 'widget'],
    widget: 'booking',
    handler(ctx) {
      let email: string;
      try {
        email = decodeURIComponent(ctx.params.email!);
      } catch {
        throw notFound('User');
      }
      const resource = ctx.state.resourceByEmail(email);
      if (!resource) throw notFound('User', 'No user in this app has this email');
      return ok({ timezone: resource.timezone, utc_offset: utcOffsetHours(resource.timezone, ctx.now) });
    },
  },
  {
    method: 'POST',
    pattern: '/auth',
    auth: 'none',
    handler(ctx) {
      if (ctx.req.headers['timekit-app'] !== ctx.app.slug) throw unauthorized('Missing or unknown Timekit-App header');
      const input = validate(ctx, login);
      const resource = ctx.state.resourceByEmail(input.email);
      if (!resource || resource.password !== input.password) throw unauthorized('Invalid email or password');
      return ok({ ...resourceJson(resource), api_token: ctx.state.resourceToken(resource.id) });
    },
  },
];
