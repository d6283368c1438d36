/**
 * The session's working-hours calls, in a module of their own: only the availability elements use
 * them, so a page with the pickers alone never downloads this (session-service.ts imports it when
 * first called).
 *
 * - The rules live on the resource (`availability_constraints` and `timezone`), read and written
 *   on the calendar path: the companion's relay, or Timekit in direct mode.
 * - Bookable slots come from `POST /availability` on the calendar path in relay mode (no source
 *   shows a widget credential calling it), else from `POST /findtime` with the widget credential
 *   and the rules as findtime filters. Either answer is then narrowed to the rules the page shows:
 *   Timekit also applies the rules the resource holds, which may be older, and findtime knows no
 *   blocks nor periods.
 */
import { compileConstraints, constraintsAllow } from '../shared/constraint-slots.js';
import { findtimeFilters } from '../shared/constraints-findtime.js';
import type { TkAvailabilityRules, TkSlot } from '../shared/constraints.js';
import type { CompiledConstraints } from '../shared/constraint-slots.js';
import type { TimekitEnvelope, TimekitResource } from '../shared/timekit.js';
import type { TkAccountInfo } from './credentials.js';
import { TkError } from './errors.js';
import type { TimekitClient } from './timekit-client.js';

/** JSON with every object's keys in order: Timekit may echo `{day, start, end}` in another order. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );

/** Timekit's reference: "character limit of 64000 characters of JSON in requests". */
const TIMEKIT_JSON_CHARACTERS = 64_000;
const MINUTE = 60_000;

export interface SlotsQuery {
  rules: TkAvailabilityRules;
  length: string;
  from: string;
  to: string;
  calendarIds?: readonly string[];
  /** The zone Timekit writes the slots in; default the rules' zone. */
  timezone?: string;
  signal?: AbortSignal;
}

const resourcePath = (account: TkAccountInfo) => `/resources/${encodeURIComponent(account.resourceId)}`;

function rulesOf(resource: Partial<TimekitResource> | undefined): TkAvailabilityRules {
  return {
    constraints: Array.isArray(resource?.availability_constraints) ? resource.availability_constraints : [],
    timezone: typeof resource?.timezone === 'string' && resource.timezone !== '' ? resource.timezone : Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

async function readRules(client: TimekitClient, account: TkAccountInfo, signal?: AbortSignal): Promise<TkAvailabilityRules> {
  const answer = await client.request<TimekitEnvelope<TimekitResource>>('GET', resourcePath(account), { signal });
  if (!answer?.data) throw new TkError('unavailable', 'Malformed answer');
  return rulesOf(answer.data);
}

export async function loadRules(client: TimekitClient, account: TkAccountInfo, signal?: AbortSignal): Promise<TkAvailabilityRules & { saved: boolean }> {
  const rules = await readRules(client, account, signal);
  return { ...rules, saved: rules.constraints.length > 0 };
}

/**
 * Writes the two fields and resolves to the rules as Timekit holds them: from the answer, or read
 * back when Timekit answers without a body (`204`, as its documented updates do).
 */
export async function saveRules(client: TimekitClient, account: TkAccountInfo, rules: TkAvailabilityRules, signal?: AbortSignal): Promise<TkAvailabilityRules> {
  const body = { availability_constraints: rules.constraints, timezone: rules.timezone };
  if (JSON.stringify(body).length > TIMEKIT_JSON_CHARACTERS) {
    throw new TkError('invalid', `Timekit takes at most ${TIMEKIT_JSON_CHARACTERS} characters of JSON in a request`);
  }
  const answer = await client.request<TimekitEnvelope<TimekitResource>>('PUT', resourcePath(account), { body, signal });
  const saved = Array.isArray(answer?.data?.availability_constraints) ? rulesOf(answer.data) : await readRules(client, account, signal);
  if (canonical(saved.constraints) !== canonical(rules.constraints) || saved.timezone !== rules.timezone) {
    throw new TkError('unavailable', 'Timekit accepted the rules but did not keep them');
  }
  return saved;
}

/** The slots of a Timekit answer that the shown rules allow, within the asked window. */
function narrowed(slots: unknown, compiled: CompiledConstraints, query: SlotsQuery): TkSlot[] {
  const [from, to] = [Date.parse(query.from), Date.parse(query.to)];
  return (Array.isArray(slots) ? slots : []).flatMap((slot: Partial<TkSlot>) => {
    const range = { start: Date.parse(String(slot?.start)), end: Date.parse(String(slot?.end)) };
    if (!(range.start < range.end) || range.start < from || range.end > to || !constraintsAllow(compiled, range)) return [];
    return [{ start: slot.start!, end: slot.end! }];
  });
}

/** `POST /availability` through the relay: Timekit applies the constraints in the resource's zone. */
async function fromAvailability(client: TimekitClient, account: TkAccountInfo, query: SlotsQuery): Promise<unknown> {
  const body = {
    resources: [account.resourceId],
    constraints: query.rules.constraints,
    length: query.length,
    from: query.from,
    to: query.to,
    output_timezone: query.timezone ?? query.rules.timezone,
  };
  return (await client.request<TimekitEnvelope<unknown>>('POST', '/availability', { body, signal: query.signal }, 'calendar'))?.data;
}

/** `POST /findtime` with the widget credential: the chosen calendars, and the rules as filters. */
async function fromFindtime(client: TimekitClient, account: TkAccountInfo, query: SlotsQuery): Promise<unknown> {
  const minutes = Math.ceil((Date.parse(query.to) - Date.parse(query.from)) / MINUTE);
  const body = {
    ...(query.calendarIds ? { calendar_ids: [...query.calendarIds] } : { resource_ids: [account.resourceId] }),
    filters: findtimeFilters(query.rules),
    length: query.length,
    start: query.from,
    future: `${minutes} minutes`,
  };
  return (await client.request<TimekitEnvelope<unknown>>('POST', '/findtime', { body, signal: query.signal }))?.data;
}

/**
 * The bookable slots and the endpoint that gave them. In relay mode a refusal of
 * `/availability` (an older companion's allow-list, or Timekit's) falls back to findtime.
 */
export async function bookableSlots(
  client: TimekitClient,
  account: TkAccountInfo,
  query: SlotsQuery,
): Promise<{ slots: TkSlot[]; path: 'availability' | 'findtime' }> {
  if (!(Date.parse(query.from) < Date.parse(query.to))) throw new TkError('invalid', 'from must be a timestamp before to');
  const compiled = compileConstraints(query.rules.constraints, query.rules.timezone);
  if (Array.isArray(compiled)) throw new TkError('invalid', compiled.join('; '));
  if (account.mode === 'relay') {
    try {
      return { slots: narrowed(await fromAvailability(client, account, query), compiled, query), path: 'availability' };
    } catch (error) {
      if (!(error instanceof TkError) || (error.status !== 403 && error.status !== 404)) throw error;
      void import('../internal/diagnostics.js').then((d) => d.warnAvailabilityFallback(error.status));
    }
  }
  return { slots: narrowed(await fromFindtime(client, account, query), compiled, query), path: 'findtime' };
}
