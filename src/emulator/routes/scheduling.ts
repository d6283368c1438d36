/** `/findtime`, `/availability` and `/bookings`: free slots from synced calendars, and bookings. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TimekitBooking } from '../../shared/timekit.js';
import { invalid, invalidField, isUuid, notFound } from '../http.js';
import { compileFilter, freeSlots, type FilterSet, type Interval } from '../slots.js';
import { resourceJson, type BookingRecord, type CalendarRecord, type ResourceRecord } from '../state.js';
import { formatTimestamp, isTimeZone, parseDuration, parseTimestamp } from '../time.js';
import { actingResource, includes, ok, paginate, search, validate, visibleTo, type Ctx, type Route } from './common.js';

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
const timestamp = (field: string) =>
  z.string().refine((v) => parseTimestamp(v) !== null, `The ${field} must be an RFC 3339 timestamp`);
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
});

/** What a booking's event is made of: given at the top level, or nested in `event` as booking.js 1.x sends it. */
const eventFields = {
  start: timestamp('start').optional(),
  end: timestamp('end').optional(),
  what: z.string().trim().min(1, 'The what field is required').max(255).optional(),
  where: z.string().max(255).optional(),
  description: z.string().max(5000).optional(),
  calendar_id: z.string().optional(),
};

const bookingBody = z.strictObject({
  graph: z.enum(['instant', 'confirm_decline'], 'The graph must be instant or confirm_decline'),
  action: z.enum(['create', 'confirm']).optional(),
  ...eventFields,
  event: z
    .strictObject({
      ...eventFields,
      participants: z.array(z.email('Each participant must be an email address')).max(100).optional(),
      invite: z.boolean().optional(),
      my_rsvp: z.enum(['accepted', 'tentative', 'declined', 'needsAction']).optional(),
      sync_provider: z.boolean().optional(),
    })
    .optional(),
  resource_id: z.string().optional(),
  customer: z.strictObject({
    name: z.string().trim().min(1, 'The customer name is required').max(255),
    email: z.email('The customer email must be a valid email address'),
    timezone: z.string().refine(isTimeZone, 'The customer timezone must be an IANA time zone').optional(),
    phone: z.string().max(50).optional(),
    comment: z.string().max(5000).optional(),
    where: z.string().max(255).optional(),
    voip: z.string().max(255).optional(),
  }),
  meta: z.record(z.string(), z.unknown()).optional(),
  settings: z.strictObject({ allow_double_bookings: z.boolean().optional() }).optional(),
});

/**
 * The booking's event from either shape: a field in `event` wins over the same field at the top
 * level. `start`, `end` and `what` are required in one of the two places.
 */
function bookingEvent(input: z.infer<typeof bookingBody>) {
  const { event: nested = {}, start, end, what, where, description, calendar_id } = input;
  // JSON has no undefined: a key zod kept in `nested` was sent.
  const event = { start, end, what, where, description, calendar_id, ...nested };
  const missing = (['start', 'end', 'what'] as const).filter((field) => event[field] === undefined);
  if (missing.length > 0) {
    throw invalid(Object.fromEntries(missing.map((field) => [field, [`The ${field} field is required (at the top level or in event)`]])));
  }
  return { ...event, start: event.start!, end: event.end!, what: event.what! };
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

function bookingJson(ctx: Ctx, booking: BookingRecord, wanted: Set<string>): TimekitBooking {
  const calendar = ctx.state.calendars.get(booking.calendar_id);
  const event = ctx.state.events.get(booking.event_id);
  const json: Omit<TimekitBooking, 'event'> & { user?: unknown; event?: TimekitBooking['event'] & { participants: string[] } } = {
    id: booking.id,
    graph: booking.graph,
    state: booking.state,
    completed: booking.completed,
    possible_actions: booking.possible_actions,
    created_at: booking.created_at,
    updated_at: booking.updated_at,
    calendar: { id: booking.calendar_id, name: calendar?.name ?? '' },
  };
  const participants = event?.participants ?? [];
  if (event && wanted.has('attributes')) {
    const { start, end, what, where, description, calendar_id } = event;
    json.attributes = { event_info: { start, end, what, where, description, calendar_id, participants } as TimekitEventInfo };
  }
  if (event && wanted.has('event')) {
    const { booking_id: _booking, ...rest } = event;
    json.event = { ...rest, participants };
  }
  if (wanted.has('customers')) json.customers = [booking.customer];
  const resource = ctx.state.resources.get(booking.resource_id);
  if (wanted.has('user') && resource) json.user = resourceJson(resource);
  return json;
}

const BOOKING_INCLUDES = ['attributes', 'event', 'user', 'customers'];
type TimekitEventInfo = NonNullable<TimekitBooking['attributes']>['event_info'];

export const schedulingRoutes: Route[] = [
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
          freeSlots({ ...window, busy: busyIn(ctx, ctx.state.calendarsOf(resource.id)), length, step, buffer }).map((s) => s.start),
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
  {
    method: 'POST',
    pattern: '/bookings',
    auth: ['app', 'resource', 'widget'],
    widget: 'booking',
    handler(ctx) {
      const wanted = includes(ctx, BOOKING_INCLUDES);
      const input = validate(ctx, bookingBody);
      const fields = bookingEvent(input);
      const start = parseTimestamp(fields.start)!;
      const end = parseTimestamp(fields.end)!;
      if (end <= start) throw invalidField('end', 'The end must be after the start');
      const resource = actingResource(ctx, input.resource_id);
      const calendar = fields.calendar_id === undefined ? defaultCalendar(ctx, resource) : bookingCalendar(ctx, fields.calendar_id);
      if (calendar.resource_id !== resource.id) throw invalidField('calendar_id', 'The calendar belongs to another resource');
      if (calendar.provider_access === 'reader') {
        throw invalidField('calendar_id', 'The calendar is read-only: bookings need a calendar the resource can write to');
      }
      const stamp = formatTimestamp(ctx.now);
      const bookingId = randomUUID();
      const event = ctx.state.addEvent({
        calendar_id: calendar.id,
        start: formatTimestamp(start),
        end: formatTimestamp(end),
        what: fields.what,
        where: fields.where ?? null,
        description: fields.description ?? null,
        participants: input.event?.participants ?? [],
        booking_id: bookingId,
      });
      const instant = input.graph === 'instant';
      const booking: BookingRecord = {
        id: bookingId,
        resource_id: resource.id,
        calendar_id: calendar.id,
        event_id: event.id,
        graph: input.graph,
        state: instant ? 'confirmed' : 'tentative',
        completed: false,
        possible_actions: instant ? ['cancel'] : ['confirm', 'decline'],
        customer: { id: randomUUID(), ...input.customer, timezone: input.customer.timezone ?? null },
        created_at: stamp,
        updated_at: stamp,
      };
      ctx.state.bookings.set(booking.id, booking);
      ctx.state.changed();
      return ok(bookingJson(ctx, booking, wanted), 201);
    },
  },
  {
    method: 'GET',
    pattern: '/bookings',
    auth: ['app', 'resource'],
    handler(ctx) {
      const wanted = includes(ctx, BOOKING_INCLUDES);
      const visible = [...ctx.state.bookings.values()].filter((b) => visibleTo(ctx, b.resource_id));
      const found = search(ctx, visible, {
        'resource.id': { match: (b, v) => b.resource_id === v },
        'calendar.id': { match: (b, v) => b.calendar_id === v },
        graph: { match: (b, v) => b.graph === v, documented: true },
        state: { match: (b, v) => b.state === v },
      });
      return paginate(ctx, found, (b) => bookingJson(ctx, b, wanted));
    },
  },
  {
    method: 'GET',
    pattern: '/bookings/:id',
    auth: ['app', 'resource'],
    handler(ctx) {
      const wanted = includes(ctx, BOOKING_INCLUDES);
      const booking = isUuid(ctx.params.id) ? ctx.state.bookings.get(ctx.params.id) : undefined;
      if (!booking || !visibleTo(ctx, booking.resource_id)) throw notFound('Booking');
      return ok(bookingJson(ctx, booking, wanted));
    },
  },
];

/** A `calendar_id` in the body is a field to validate (422), not a path to look up (404). */
function bookingCalendar(ctx: Ctx, id: string): CalendarRecord {
  const calendar = isUuid(id) ? ctx.state.calendars.get(id) : undefined;
  if (!calendar || !visibleTo(ctx, calendar.resource_id)) throw invalidField('calendar_id', 'The selected calendar_id is invalid');
  return calendar;
}

/** Without `calendar_id` a booking lands in the primary calendar, else the first writable one. */
function defaultCalendar(ctx: Ctx, resource: ResourceRecord): CalendarRecord {
  const calendars = ctx.state.calendarsOf(resource.id);
  const calendar =
    calendars.find((c) => c.provider_primary) ?? calendars.find((c) => c.provider === 'timekit') ?? calendars[0];
  if (!calendar) throw invalidField('calendar_id', 'The resource has no calendar to book into');
  return calendar;
}
