/** `/resources` and `/auth`. */
import { z } from 'zod';
import type { TkConstraint } from '../../shared/constraints.js';
import { compileConstraints } from '../../shared/constraint-slots.js';
import { forbidden, invalid, invalidField, notFound, unauthorized } from '../errors.js';
import { calendarJson, credentialJson, resourceJson, type ResourceRecord } from '../records.js';
import { isTimeZone, zonedParts } from '../time.js';
import { includes, isUuid, noContent, ok, paginate, search, validate, visibleTo, type Ctx, type Route } from './common.js';

const resourceFields = {
  name: z.string().trim().min(1, 'The name field is required').max(255),
  timezone: z.string().refine(isTimeZone, 'The timezone must be a valid IANA time zone'),
  first_name: z.string().max(255).optional(),
  last_name: z.string().max(255).optional(),
  image: z.url('The image must be a URL').max(2048).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
  tags: z.array(z.string().max(255)).max(100).optional(),
  // Checked rule by rule in the resource's zone (constraint-slots.ts); the request limit bounds the list.
  availability_constraints: z.array(z.unknown(), 'The availability_constraints must be an array').optional(),
};

const createResource = z.strictObject({
  ...resourceFields,
  email: z.email('The email must be a valid email address').max(255).optional(),
  password: z.string().min(6, 'The password must be at least 6 characters').max(255).optional(),
});

const updateResource = z.strictObject({ ...resourceFields, name: resourceFields.name.optional(), timezone: resourceFields.timezone.optional() });

/** The constraints as given, once each is known to be valid in `zone` (422 naming each problem). */
function checkedConstraints(list: unknown[] | undefined, zone: string): TkConstraint[] | undefined {
  if (list === undefined) return undefined;
  const compiled = compileConstraints(list, zone);
  if (Array.isArray(compiled)) throw invalid({ availability_constraints: compiled });
  return list as TkConstraint[];
}

function findResource(ctx: Ctx): ResourceRecord {
  const resource = isUuid(ctx.params.id) ? ctx.state.resources.get(ctx.params.id) : undefined;
  if (!resource || !visibleTo(ctx, resource.id)) throw notFound('Resource');
  return resource;
}

const login = z.strictObject({
  email: z.string().min(1, 'The email field is required'),
  password: z.string().min(1, 'The password field is required'),
});

function withIncludes(ctx: Ctx, resource: ResourceRecord, wanted: Set<string>) {
  // The credentials hold the resource's full token: never one include away for a widget credential.
  if (wanted.has('credentials') && ctx.caller?.kind === 'widget') throw forbidden('A widget credential may not include credentials');
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
      checkedConstraints(input.availability_constraints, input.timezone);
      if (input.email && ctx.state.resourceByEmail(input.email)) {
        throw invalidField('email', 'The email has already been taken');
      }
      const { resource, token } = ctx.state.createResource({ ...input, availability_constraints: input.availability_constraints as TkConstraint[] | undefined });
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
    // A resource reads itself (its constraints and zone, for a working-hours screen); the app any.
    auth: ['app', 'resource', 'widget'],
    widget: 'read',
    handler(ctx) {
      const wanted = includes(ctx, RESOURCE_INCLUDES);
      return ok(withIncludes(ctx, findResource(ctx), wanted));
    },
  },
  {
    method: 'PUT',
    pattern: '/resources/:id',
    auth: ['app', 'resource', 'widget'],
    widget: 'write',
    handler(ctx) {
      const resource = findResource(ctx);
      const { availability_constraints, ...changes } = validate(ctx, updateResource);
      if (ctx.caller!.kind === 'widget' && Object.keys(changes).some((field) => field !== 'timezone')) {
        throw forbidden('A widget credential may only change availability_constraints and timezone');
      }
      // Hours in the constraints are read in the zone the resource will have.
      const constraints = checkedConstraints(availability_constraints, changes.timezone ?? resource.timezone);
      const updated = ctx.state.updateResource(resource, constraints === undefined ? changes : { ...changes, availability_constraints: constraints });
      // As for calendars (doubt #1): Timekit's documented updates answer 204 without a body.
      return ctx.fidelity.putNoContent ? noContent() : ok(resourceJson(updated));
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
