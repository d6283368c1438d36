/** `/bookings`: book a slot into a resource's calendar (an event plus its booking), list and read bookings. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { TimekitBooking } from '../../shared/timekit.js';
import { invalid, invalidField, notFound } from '../errors.js';
import { resourceJson, type BookingRecord, type CalendarRecord, type ResourceRecord } from '../records.js';
import { formatTimestamp, isTimeZone, parseTimestamp } from '../time.js';
import { actingResource, includes, isUuid, ok, paginate, search, validate, visibleTo, type Ctx, type Route } from './common.js';

const timestamp = (field: string) =>
  z.string().refine((v) => parseTimestamp(v) !== null, `The ${field} must be an RFC 3339 timestamp`);

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

/**
 * Under `bookingFieldsRequired` (row 15 of the fidelity re-audit: a connector built from
 * Timekit's reference marks customer, description, end, graph, resource_id, start, what and
 * where required): `where` and `description` too, and `resource_id` in the flat body. booking.js
 * 1.x's nested `event` body names its resource through its credential, and stays accepted.
 */
function requireReferenceFields(input: z.infer<typeof bookingBody>, event: ReturnType<typeof bookingEvent>): void {
  const missing = (['where', 'description'] as const).filter((field) => event[field] === undefined);
  const errors: Record<string, string[]> = Object.fromEntries(missing.map((field) => [field, [`The ${field} field is required`]]));
  if (input.event === undefined && input.resource_id === undefined) errors.resource_id = ['The resource_id field is required'];
  if (Object.keys(errors).length > 0) throw invalid(errors);
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

export const bookingRoutes: Route[] = [
  {
    method: 'POST',
    pattern: '/bookings',
    auth: ['app', 'resource', 'widget'],
    widget: 'booking',
    handler(ctx) {
      const wanted = includes(ctx, BOOKING_INCLUDES);
      const input = validate(ctx, bookingBody);
      const fields = bookingEvent(input);
      if (ctx.fidelity.bookingFieldsRequired) requireReferenceFields(input, fields);
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
