/** What every Timekit route handler gets, and the list conventions they share. */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { Caller, CallerKind } from '../auth.js';
import { invalid, invalidField } from '../errors.js';
import type { FidelitySwitches } from '../fidelity.js';
import { asObject, type Reply } from '../http.js';
import type { ResourceRecord } from '../records.js';
import type { SeedApp } from '../seed.js';
import type { EmulatorState } from '../state.js';

export interface Ctx {
  req: IncomingMessage;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Undefined on the routes that take no credentials. */
  caller: Caller | undefined;
  /** The parsed JSON body (POST/PUT/PATCH); `{}` when empty. */
  body: unknown;
  state: EmulatorState;
  app: SeedApp;
  now: Date;
  /** Absolute API base as the client sees it, e.g. `http://127.0.0.1:4010/v2`. */
  apiBase: string;
  /** Absolute origin of the emulator as the client sees it. */
  origin: string;
  /** Which side of each doubt about Timekit this emulator plays. */
  fidelity: FidelitySwitches;
  /** Origins besides loopback ones that a signup callback may point at. */
  callbackOrigins: readonly string[];
}

export interface Route {
  method: string;
  /** Path under `/v2`, e.g. `/calendars/:id`. */
  pattern: string;
  /** Who may call; `none` takes no credentials. */
  auth: CallerKind[] | 'none';
  /**
   * How far a widget credential reaches this route, when `auth` lists `widget`: `booking`, the
   * endpoints booking.js calls, in every widget scope; `read`, except under `widgetOnlyScope`;
   * `write`, only in the standard scope (neither `widgetScope: 'strict'` nor `widgetOnlyScope`).
   */
  widget?: 'booking' | 'read' | 'write';
  handler: (ctx: Ctx) => Reply | Promise<Reply>;
}

/** Timekit's ids are UUIDs: anything else is a 404 (or a 422 in a body) without a lookup. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export const ok = (data: unknown, status = 200): Reply => ({ status, body: { data } });
export const noContent = (): Reply => ({ status: 204 });

/** Deletes the keys zod named as unknown from a copy of `body`, wherever they nest. */
function withoutUnknownKeys(body: unknown, issues: readonly z.core.$ZodIssue[]): unknown {
  const copy = structuredClone(body) as Record<PropertyKey, unknown>;
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    let target: unknown = copy;
    for (const part of issue.path) target = (target as Record<PropertyKey, unknown>)[part];
    for (const key of issue.keys) delete (target as Record<string, unknown>)[key];
  }
  return copy;
}

/**
 * Validates `ctx.body` with a zod schema, answering 422 `{"errors": {field: [...]}}` on failure. A
 * body that is not a JSON object at all is a 400, as for malformed JSON: there are no fields to
 * name. Unknown fields are refused, or dropped under `bodyIgnoresUnknown` (doubt #18 in
 * docs/emulator.md).
 */
export function validate<S extends z.ZodType>(ctx: Ctx, schema: S, body: unknown = ctx.body): z.infer<S> {
  let result = schema.safeParse(asObject(body));
  if (!result.success && ctx.fidelity.bodyIgnoresUnknown) {
    // Each pass drops at least one unknown key (a key inside it goes with it), so this ends.
    while (!result.success && result.error.issues.some((issue) => issue.code === 'unrecognized_keys')) {
      body = withoutUnknownKeys(body, result.error.issues);
      result = schema.safeParse(body);
    }
  }
  if (result.success) return result.data;
  // Keys come from the client (unknown fields): no prototype, so `constructor` or `__proto__` is
  // just another field name.
  const errors: Record<string, string[]> = Object.create(null);
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // Nested unknown keys are named by their path (`filters.not`), as Laravel names nested fields.
      const prefix = issue.path.map((part) => `${String(part)}.`).join('');
      for (const key of issue.keys) (errors[prefix + key] ??= []).push(`The ${prefix}${key} field is not allowed`);
      continue;
    }
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    (errors[field] ??= []).push(issue.message);
  }
  throw invalid(errors);
}

/** The resource a resource or widget caller acts as; the app must name one. */
export function actingResource(ctx: Ctx, resourceId?: unknown): ResourceRecord {
  const caller = ctx.caller!;
  if (caller.kind !== 'app') return caller.resource;
  if (typeof resourceId !== 'string' || resourceId === '') {
    throw invalidField('resource_id', 'The resource_id field is required when authenticating with the app key');
  }
  const resource = ctx.state.resources.get(resourceId);
  if (!resource) throw invalidField('resource_id', 'The selected resource_id is invalid');
  return resource;
}

/** Parses `include=a,b.c` against what the route supports; unknown names are 422, or ignored under `bodyIgnoresUnknown`. */
export function includes(ctx: Ctx, allowed: string[]): Set<string> {
  const raw = ctx.query.get('include');
  const wanted = new Set((raw ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  const unknown = [...wanted].filter((name) => !allowed.includes(name));
  if (ctx.fidelity.bodyIgnoresUnknown) for (const name of unknown) wanted.delete(name);
  else if (unknown.length > 0) {
    throw invalidField('include', `Unknown include ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
  }
  return wanted;
}

/** A searchable field: how it matches, and whether a public Timekit source documents it. */
export interface SearchField<T> {
  match: (item: T, value: string) => boolean;
  documented?: boolean;
}

/**
 * Applies `search=field:value;field2:value2` with the route's fields. A condition on a field the
 * route cannot search is 422; under `searchIgnoresUnknown` (doubts #4 and #11 in
 * docs/emulator.md) only documented fields filter and every other condition is ignored, as a
 * Laravel repository ignores a field that is not in its searchable list.
 */
export function search<T>(ctx: Ctx, items: T[], fields: Record<string, SearchField<T>>): T[] {
  const raw = ctx.query.get('search');
  if (!raw) return items;
  const ignoring = ctx.fidelity.searchIgnoresUnknown;
  let result = items;
  for (const condition of raw.split(';').filter(Boolean)) {
    const colon = condition.indexOf(':');
    const field = colon < 0 ? condition : condition.slice(0, colon);
    const spec = Object.hasOwn(fields, field) ? fields[field] : undefined;
    const matcher = spec && (!ignoring || spec.documented) ? spec.match : undefined;
    if (ignoring && (colon < 0 || !matcher)) continue;
    if (colon < 0 || !matcher) {
      throw invalidField('search', `Cannot search on "${field}"; searchable: ${Object.keys(fields).join(', ')}`);
    }
    const value = condition.slice(colon + 1);
    result = result.filter((item) => matcher(item, value));
  }
  return result;
}

function positiveInt(ctx: Ctx, name: string, fallback: number, max: number): number {
  const raw = ctx.query.get(name);
  if (raw === null) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) {
    throw invalidField(name, `The ${name} must be an integer between 1 and ${max}`);
  }
  return value;
}

/** A Laravel-style page of `items`: `limit` (default 50, max 1000) and `page`. */
export function paginate<T>(ctx: Ctx, items: T[], toJson: (item: T) => unknown): Reply {
  const limit = positiveInt(ctx, 'limit', 50, 1000);
  const page = positiveInt(ctx, 'page', 1, 1_000_000);
  const total = items.length;
  const lastPage = Math.max(1, Math.ceil(total / limit));
  const from = (page - 1) * limit;
  const slice = items.slice(from, from + limit);
  const pageUrl = (n: number) => {
    const params = new URLSearchParams(ctx.query);
    params.set('page', String(n));
    const path = ctx.req.url!.split('?')[0]!.replace(/^\/v2/, '');
    return `${ctx.apiBase}${path}?${params}`;
  };
  return {
    status: 200,
    body: {
      total,
      per_page: ctx.query.get('limit') ?? limit,
      current_page: page,
      last_page: lastPage,
      next_page_url: page < lastPage ? pageUrl(page + 1) : null,
      prev_page_url: page > 1 ? pageUrl(Math.min(page - 1, lastPage)) : null,
      from: slice.length > 0 ? from + 1 : null,
      to: slice.length > 0 ? from + slice.length : null,
      data: slice.map(toJson),
    },
  };
}

/** Resource and widget callers see only their own resource's objects; the app sees all. */
export function visibleTo(ctx: Ctx, resourceId: string): boolean {
  const caller = ctx.caller!;
  return caller.kind === 'app' || caller.resource.id === resourceId;
}
