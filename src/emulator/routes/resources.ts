/** `/resources` and `/auth`. */
import { z } from 'zod';
import { invalidField, isUuid, notFound, unauthorized } from '../http.js';
import { calendarJson, credentialJson, resourceJson, type ResourceRecord } from '../state.js';
import { isTimeZone } from '../time.js';
import { includes, ok, paginate, search, validate, type Ctx, type Route } from './common.js';

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

export const resourceRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/resources',
    auth: ['app'],
    handler(ctx) {
      const input = validate(createResource, ctx.body);
      if (input.email && ctx.state.resourceByEmail(input.email)) {
        throw invalidField('email', 'The email has already been taken');
      }
      const { resource, token } = ctx.state.createResource(input);
      const json = withIncludes(ctx, resource, new Set(['calendars']));
      // Our choice (shared/TIMEKIT-API.md): the onboarding guide says to save the token from here.
      json.api_token = token;
      return ok(json, 201);
    },
  },
  {
    method: 'GET',
    pattern: '/resources',
    auth: ['app'],
    handler(ctx) {
      const wanted = includes(ctx, RESOURCE_INCLUDES);
      const found = search(ctx, [...ctx.state.resources.values()], {
        id: (r, v) => r.id === v,
        email: (r, v) => r.email?.toLowerCase() === v.toLowerCase(),
        name: (r, v) => r.name === v,
        tags: (r, v) => r.tags.includes(v),
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
    method: 'POST',
    pattern: '/auth',
    auth: 'none',
    handler(ctx) {
      if (ctx.req.headers['timekit-app'] !== ctx.app.slug) throw unauthorized('Missing or unknown Timekit-App header');
      const input = validate(login, ctx.body);
      const resource = ctx.state.resourceByEmail(input.email);
      if (!resource || resource.password !== input.password) throw unauthorized('Invalid email or password');
      return ok({ ...resourceJson(resource), api_token: ctx.state.resourceToken(resource.id) });
    },
  },
];
