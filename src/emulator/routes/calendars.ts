/** `/calendars`: list, read, create, the `provider_sync` switch, delete. */
import { z } from 'zod';
import { HttpError, forbidden, invalid, notFound } from '../errors.js';
import { faultBody } from '../faults.js';
import { calendarJson, type CalendarRecord } from '../records.js';
import { actingResource, isUuid, noContent, ok, paginate, search, validate, visibleTo, type Ctx, type Route } from './common.js';

const color = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, 'Colors must be hex strings like #1a2b3c')
  .nullable()
  .optional();

const createCalendar = z.strictObject({
  name: z.string().trim().min(1, 'The name field is required').max(255),
  description: z.string().max(1000).nullable().optional(),
  foregroundcolor: color,
  backgroundcolor: color,
  resource_id: z.string().optional(),
});

const updateCalendar = z.strictObject({
  name: z.string().trim().min(1).max(255).optional(),
  description: z.string().max(1000).nullable().optional(),
  foregroundcolor: color,
  backgroundcolor: color,
  provider_sync: z.boolean('provider_sync must be true or false').optional(),
  primary: z.boolean('primary must be true or false').optional(),
});

function findCalendar(ctx: Ctx, id: string | undefined): CalendarRecord {
  const calendar = isUuid(id) ? ctx.state.calendars.get(id) : undefined;
  if (!calendar || !visibleTo(ctx, calendar.resource_id)) throw notFound('Calendar');
  return calendar;
}

export const calendarRoutes: Route[] = [
  {
    method: 'GET',
    pattern: '/calendars',
    auth: ['app', 'resource', 'widget'],
    widget: 'read',
    handler(ctx) {
      const visible = [...ctx.state.calendars.values()].filter((c) => visibleTo(ctx, c.resource_id));
      // No public source documents a searchable calendar field.
      const found = search(ctx, visible, {
        'resource.id': { match: (c, v) => c.resource_id === v },
        provider: { match: (c, v) => c.provider === v },
        provider_sync: { match: (c, v) => String(c.provider_sync) === v },
      });
      return paginate(ctx, found, calendarJson);
    },
  },
  {
    method: 'GET',
    pattern: '/calendars/:id',
    auth: ['app', 'resource', 'widget'],
    widget: 'read',
    handler: (ctx) => ok(calendarJson(findCalendar(ctx, ctx.params.id))),
  },
  {
    method: 'POST',
    pattern: '/calendars',
    auth: ['app', 'resource'],
    handler(ctx) {
      const { resource_id, ...input } = validate(ctx, createCalendar);
      const resource = actingResource(ctx, resource_id);
      return ok(calendarJson(ctx.state.createCalendar(resource.id, input)), 201);
    },
  },
  {
    method: 'PUT',
    pattern: '/calendars/:id',
    auth: ['app', 'resource', 'widget'],
    widget: 'write',
    handler(ctx) {
      const calendar = findCalendar(ctx, ctx.params.id);
      const { primary, ...changes } = validate(ctx, updateCalendar);
      const fixedFields = Object.keys(changes).filter((key) => key !== 'provider_sync');
      if (primary !== undefined) fixedFields.push('primary');
      if (ctx.caller!.kind === 'widget' && fixedFields.length > 0) {
        throw forbidden('A widget credential may only change provider_sync');
      }
      if (calendar.provider !== 'timekit' && fixedFields.length > 0) {
        const errors: Record<string, string[]> = {};
        for (const field of fixedFields) {
          errors[field] = [`The ${field} of a ${calendar.provider} calendar is set by ${calendar.provider}; only provider_sync may change`];
        }
        throw invalid(errors);
      }
      // Row 16 of the fidelity re-audit (js-sdk issue 46): switching a Microsoft calendar on has answered 500.
      if (ctx.fidelity.microsoftSyncEnableFails && calendar.provider === 'microsoft' && changes.provider_sync === true) {
        throw new HttpError(500, faultBody(500));
      }
      if (primary === true) {
        for (const other of ctx.state.calendarsOf(calendar.resource_id)) {
          if (other.provider_primary && other !== calendar) ctx.state.updateCalendar(other, { provider_primary: false });
        }
      }
      const update = primary === undefined ? changes : { ...changes, provider_primary: primary };
      const updated = calendarJson(ctx.state.updateCalendar(calendar, update));
      // Doubt #1: every public example of a Timekit update answers 204 without a body.
      return ctx.fidelity.putNoContent ? noContent() : ok(updated);
    },
  },
  {
    method: 'DELETE',
    pattern: '/calendars/:id',
    auth: ['app', 'resource'],
    handler(ctx) {
      ctx.state.deleteCalendar(findCalendar(ctx, ctx.params.id).id);
      return noContent();
    },
  },
];
