/** `/credentials`: mint, list and delete a resource's tokens. */
import { z } from 'zod';
import { invalid, invalidField, notFound } from '../errors.js';
import { asObject } from '../http.js';
import { credentialJson } from '../records.js';
import { parseTimestamp } from '../time.js';
import { actingResource, isUuid, noContent, ok, paginate, search, validate, visibleTo, type Ctx, type Route } from './common.js';

const origin = z.string().refine((value) => {
  if (value === '' || value === '*') return true;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value.replace(/\/$/, '');
  } catch {
    return false;
  }
}, 'Each referrer must be an origin such as https://app.example.com');

const createCredential = z.strictObject({
  type: z.enum(['client-token', 'server-token'], 'The type must be client-token or server-token'),
  scopes: z.union([z.enum(['widget', 'global']), z.array(z.enum(['widget', 'global'])).min(1).max(2)], {
    error: 'The scopes must be widget or global',
  }),
  description: z.string().max(1000).optional(),
  referrer: z.union([origin, z.array(origin).max(50)]).optional(),
  expires: z.string().optional(),
  resource_id: z.string().optional(),
});

/** Doubt #6: the only request example sends `scopes` and `referrer` as strings; a Laravel `in:` rule refuses an array. */
function refuseArrays(ctx: Ctx) {
  if (!ctx.fidelity.credentialArraysRefused) return;
  const body = asObject(ctx.body);
  const errors: Record<string, string[]> = {};
  for (const field of ['scopes', 'referrer']) {
    if (Array.isArray(body[field])) errors[field] = [`The selected ${field} is invalid`];
  }
  if (Object.keys(errors).length > 0) throw invalid(errors);
}

export const credentialRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/credentials',
    auth: ['app', 'resource'],
    handler(ctx) {
      refuseArrays(ctx);
      const input = validate(ctx, createCredential);
      // Doubt #16: the only source says `expires` defaults to a year, and none shows a shorter one kept.
      const expiresGiven = ctx.fidelity.expiresIgnored ? undefined : input.expires;
      const expires = expiresGiven === undefined ? null : parseTimestamp(expiresGiven);
      if (expiresGiven !== undefined && (!expires || expires.getTime() <= ctx.now.getTime())) {
        throw invalidField('expires', 'The expires must be a future RFC 3339 timestamp');
      }
      const resource = actingResource(ctx, input.resource_id);
      const toArray = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
      const credential = ctx.state.createCredential(resource.id, {
        type: input.type,
        scopes: [...new Set(toArray(input.scopes))],
        description: input.description ?? '',
        referrer: toArray(input.referrer).map((r) => r.replace(/\/$/, '')),
        expires,
      });
      return ok(credentialJson(credential), 201);
    },
  },
  {
    method: 'GET',
    pattern: '/credentials',
    auth: ['app', 'resource'],
    handler(ctx) {
      const visible = [...ctx.state.credentials.values()].filter((c) => visibleTo(ctx, c.resource_id));
      const found = search(ctx, visible, {
        'resource.id': { match: (c, v) => c.resource_id === v, documented: true },
        type: { match: (c, v) => c.type === v },
      });
      return paginate(ctx, found, credentialJson);
    },
  },
  {
    method: 'DELETE',
    pattern: '/credentials/:id',
    auth: ['app', 'resource'],
    handler(ctx) {
      const credential = isUuid(ctx.params.id) ? ctx.state.credentials.get(ctx.params.id) : undefined;
      if (!credential || !visibleTo(ctx, credential.resource_id)) throw notFound('Credential');
      ctx.state.credentials.delete(credential.id);
      ctx.state.changed();
      return noContent();
    },
  },
];
