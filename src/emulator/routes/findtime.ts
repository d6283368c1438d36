/**
 * `/findtime` and `/availability`: free slots from the busy time of synced calendars, within a
 * bounded search window (`slots.ts` does the slot arithmetic).
 */
import { z } from 'zod';
import { compileConstraints, constraintsAllow } from '../../shared/constraint-slots.js';
import { forbidden, invalid, invalidField } from '../errors.js';
import type { CalendarRecord, ResourceRecord } from '../records.js';
import { compileFilter, freeSlots, type FilterSet, type Interval } from '../slots.js';
import { formatTimestamp, isTimeZone, parseDuration, parseTimestamp } from '../time.js';
import { isUuid, ok, validate, visibleTo, type Ctx, type Route } from './common.js';

const MAX_WINDOW = 183 * 24 * 3_600_000;
/** More candidate slots than this (6 months at 5-minute steps) and one search would stall the process. */
const MAX_CANDIDATES = 53_000;
const MINUTE = 60_000;
const QUARTER_HOUR = 15 * MINUTE;
/** The last instant an RFC 3339 timestamp (four-digit year) can write. */
const LATEST = Date.parse('9999-12-31T23:59:59Z');

const duration = (field: string) =>
  z.string().refine((v) => parseDuration(v) !== null, `The ${field} must be a relative time such as "1 hour" or "4 weeks"`);
/** Slot lengths and steps: below a minute, a 6-month window would mean billions of slots. */
const slotDuration = (field: string) =>
  duration(field).refine((v) => (parseDuration(v) ?? 0) >= MINUTE, `The ${field} must be at least 1 minute`);
const filterList = z.array(z.unknown()).max(50);

const findtimeBody = z.strictObject({
  calendar_ids: z.array(z.string()).max(1000).optional(),
  emails: z.array(z.string()).max(100).optional(),
  resource_ids: z.array(z.string()).max(100).optional(),
  user_ids: z.array(z.string()).max(100).optional(),
  future: duration('future').optional(),
  length: slotDuration('length').optional(),
  start: z.string().optional(),
  buffer: duration('buffer').optional(),
  sort: z.enum(['asc', 'desc']).optional(),
  all_solutions: z.boolean().optional(),
  ignore_all_day_events: z.boolean().optional(),
  no_day_span: z.boolean().optional(),
  filters: z.strictObject({ or: filterList.optional(), and: filterList.optional(), after: filterList.optional() }).optional(),
});

const availabilityBody = z.strictObject({
  mode: z.enum(['roundrobin_random', 'roundrobin_prioritized', 'mutual', 'exclusive']).optional(),
  resources: z.array(z.string()).min(1, 'At least one resource is required').max(100),
  length: slotDuration('length').optional(),
  from: z.string().optional(),
  to: z.string().optional(),
  buffer: duration('buffer').optional(),
  timeslot_increments: slotDuration('timeslot_increments').optional(),
  output_timezone: z.string().refine(isTimeZone, 'The output_timezone must be an IANA time zone').optional(),
  constraints: z.array(z.unknown(), 'The constraints must be an array').optional(),
});

/**
 * Which slots a resource allows: the query's constraints and the resource's own
 * `availability_constraints`, both in the resource's zone (allows from either list widen, blocks
 * from either narrow). Under `lowercaseDayIgnored` a day name that is not capitalised drops its rule.
 */
function resourceConstraints(ctx: Ctx, resource: ResourceRecord, query: unknown[]): FilterSet {
  const options = { ignoreUncapitalisedDays: ctx.fidelity.lowercaseDayIgnored };
  const compiled = compileConstraints([...query, ...resource.availability_constraints], resource.timezone, options);
  if (Array.isArray(compiled)) throw invalid({ constraints: compiled });
  return { and: [(slot) => constraintsAllow(compiled, slot)] };
}

/** Calendars whose events make time busy: synced provider calendars and Timekit's own. */
const countsForAvailability = (calendar: CalendarRecord) => calendar.provider === 'timekit' || calendar.provider_sync;

function busyIn(ctx: Ctx, calendars: CalendarRecord[]): Interval[] {
  const ids = new Set(calendars.filter(countsForAvailability).map((c) => c.id));
  const busy: Interval[] = [];
  for (const event of ctx.state.events.values()) {
    if (ids.has(event.calendar_id)) busy.push({ start: Date.parse(event.start), end: Date.parse(event.end) });
  }
  return busy;
}

/** `start`/`from`: an absolute timestamp, a relative time from now, or now. */
function windowStart(ctx: Ctx, field: string, value: string | undefined): number {
  if (value === undefined) return ctx.now.getTime();
  const absolute = parseTimestamp(value);
  if (absolute) return absolute.getTime();
  const relative = parseDuration(value);
  if (relative === null) throw invalidField(field, `The ${field} must be a timestamp or a relative time`);
  const time = ctx.now.getTime() + relative;
  if (time > LATEST) throw invalidField(field, `The ${field} is beyond the year 9999`);
  return time;
}

function compileFilters(input: { or?: unknown[]; and?: unknown[]; after?: unknown[] } | undefined, zone: string): FilterSet {
  const errors: string[] = [];
  const compile = (list: unknown[] | undefined) =>
    (list ?? []).flatMap((filter) => {
      const compiled = compileFilter(filter, zone, isTimeZone);
      if (typeof compiled === 'string') {
        errors.push(compiled);
        return [];
      }
      return [compiled];
    });
  const set = { or: compile(input?.or), and: [...compile(input?.and), ...compile(input?.after)] };
  if (errors.length > 0) throw invalid({ filters: errors });
  return set;
}

/** The resources a findtime call is about, checked against what the caller may see. */
function findtimeResources(ctx: Ctx, input: z.infer<typeof findtimeBody>): { resources: ResourceRecord[]; calendars: CalendarRecord[] } {
  const resources = new Map<string, ResourceRecord>();
  const errors: Record<string, string[]> = {};
  for (const id of [...(input.resource_ids ?? []), ...(input.user_ids ?? [])]) {
    const resource = isUuid(id) ? ctx.state.resources.get(id) : undefined;
    if (resource && visibleTo(ctx, resource.id)) resources.set(resource.id, resource);
    else (errors.resource_ids ??= []).push(`Unknown resource ${id}`);
  }
  for (const email of input.emails ?? []) {
    const resource = ctx.state.resourceByEmail(email);
    if (resource && visibleTo(ctx, resource.id)) resources.set(resource.id, resource);
    else (errors.emails ??= []).push(`Unknown email ${email}`);
  }
  let calendars: CalendarRecord[] = [];
  if (input.calendar_ids) {
    for (const id of input.calendar_ids) {
      const calendar = isUuid(id) ? ctx.state.calendars.get(id) : undefined;
      if (calendar && visibleTo(ctx, calendar.resource_id)) calendars.push(calendar);
      else (errors.calendar_ids ??= []).push(`Unknown calendar ${id}`);
    }
  }
  if (Object.keys(errors).length > 0) throw invalid(errors);
  if (resources.size === 0 && calendars.length === 0) {
    const caller = ctx.caller!;
    if (caller.kind === 'app') {
      throw invalidField('calendar_ids', 'Give at least one of calendar_ids, emails or resource_ids');
    }
    resources.set(caller.resource.id, caller.resource);
  }
  if (!input.calendar_ids) calendars = [...resources.values()].flatMap((r) => ctx.state.calendarsOf(r.id));
  for (const calendar of calendars) {
    const owner = ctx.state.resources.get(calendar.resource_id);
    if (owner) resources.set(owner.id, owner);
  }
  return { resources: [...resources.values()], calendars };
}

function slotWindow(from: number, span: number, step: number, field: string) {
  if (span > MAX_WINDOW) throw invalidField(field, 'The search window cannot be longer than 6 months');
  if (from + span > LATEST) throw invalidField(field, 'The search window must end before the year 10000');
  if (span / step > MAX_CANDIDATES) {
    throw invalidField(field, `The search window holds more than ${MAX_CANDIDATES} slots; shorten it or use longer steps`);
  }
  return { from, to: from + span };
}

export const findtimeRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/findtime',
    auth: ['app', 'resource', 'widget'],
    widget: 'booking',
    handler(ctx) {
      const input = validate(ctx, findtimeBody);
      const { resources, calendars } = findtimeResources(ctx, input);
      const length = parseDuration(input.length ?? '1 hour')!;
      const step = input.all_solutions ? QUARTER_HOUR : length;
      const span = parseDuration(input.future ?? '4 weeks')!;
      const window = slotWindow(windowStart(ctx, 'start', input.start), span, step, 'future');
      const slots = freeSlots({
        ...window,
        busy: busyIn(ctx, calendars),
        length,
        step,
        buffer: input.buffer ? parseDuration(input.buffer)! : 0,
        filters: compileFilters(input.filters, resources[0]?.timezone ?? 'UTC'),
      });
      if (input.sort === 'desc') slots.reverse();
      return ok(slots.map((s) => ({ start: formatTimestamp(s.start), end: formatTimestamp(s.end) })));
    },
  },
  {
    method: 'POST',
    pattern: '/availability',
    auth: ['app', 'resource', 'widget'],
    widget: 'booking',
    handler(ctx) {
      // Row 19 of the fidelity re-audit: no source shows a client-token calling /availability.
      if (ctx.caller!.kind === 'widget' && ctx.fidelity.availabilityWidgetRefused) {
        throw forbidden('This widget credential may not call POST /v2/availability');
      }
      const input = validate(ctx, availabilityBody);
      // A repeated id is one resource: it must not multiply the work, nor appear twice in a slot.
      const resources = [...new Set(input.resources)].map((id) => {
        const resource = isUuid(id) ? ctx.state.resources.get(id) : undefined;
        if (!resource || !visibleTo(ctx, resource.id)) throw invalidField('resources', `Unknown resource ${id}`);
        return resource;
      });
      const from = windowStart(ctx, 'from', input.from);
      const to = input.to === undefined ? from + parseDuration('4 weeks')! : windowStart(ctx, 'to', input.to);
      if (to <= from) throw invalidField('to', 'The to must be after from');
      const length = parseDuration(input.length ?? '1 hour')!;
      const step = input.timeslot_increments ? parseDuration(input.timeslot_increments)! : length;
      const window = slotWindow(from, to - from, step, 'to');
      const buffer = input.buffer ? parseDuration(input.buffer)! : 0;
      const perResource = resources.map((resource) => ({
        resource,
        slots: new Set(
          freeSlots({
            ...window,
            busy: busyIn(ctx, ctx.state.calendarsOf(resource.id)),
            length,
            step,
            buffer,
            filters: resourceConstraints(ctx, resource, input.constraints ?? []),
          }).map((s) => s.start),
        ),
      }));
      const starts = [...new Set(perResource.flatMap((r) => [...r.slots]))].sort((a, b) => a - b);
      const mutual = input.mode === 'mutual';
      const data = starts.flatMap((start) => {
        const free = perResource.filter((r) => r.slots.has(start));
        if (mutual && free.length !== perResource.length) return [];
        const chosen = mutual ? free : free.slice(0, 1);
        return [
          {
            start: formatTimestamp(start),
            end: formatTimestamp(start + length),
            resources: chosen.map(({ resource }) => ({ id: resource.id, name: resource.name, timezone: resource.timezone })),
          },
        ];
      });
      return ok(data);
    },
  },
];
