/**
 * The questions about resources: what a create answers (only with `createTestResource`), whether
 * the resource token reads its calendars (the relay's path), how a `provider_sync` write-back is
 * answered, unknown body fields, lowercase day names, and whether working hours are kept.
 */
import { randomUUID } from 'node:crypto';
import { APP_AUTH, PROBE_FIELD, listOf, objectOf, ok2xx, refused, refusedInput, statusText, text, type Answer, type DoctorContext, type ResourceAuth } from './probe.js';

/** The throwaway resource `createTestResource` made: its id, and its email and token when found. */
export interface Throwaway {
  id: string;
  auth: ResourceAuth | null;
}

/** A resource whose token reads its calendars: the one the resource and widget questions ask as. */
export interface ReadableResource {
  auth: ResourceAuth;
  calendars: Record<string, unknown>[];
  /** Its id as the app key finds it (for /availability), or null. */
  id: string | null;
}

/** Creates one resource that stays in the app: does the create answer carry its token? */
export async function askCreate(ask: DoctorContext): Promise<Throwaway | null> {
  const { probe, report } = ask;
  const email = `tk-doctor-${randomUUID().slice(0, 8)}@example.com`;
  const created = await probe.ask('POST', '/resources', APP_AUTH, { body: { name: 'tk-companion doctor (throwaway)', email, timezone: 'UTC' } });
  const made = objectOf(created);
  const id = text(made?.id);
  if (!ok2xx(created) || !made || !id) {
    report.settle('noTokenOnCreate', null, `POST /resources answered ${statusText(created)}`);
    return null;
  }
  const direct = text(made.api_token) ?? text(made.token);
  report.settle('noTokenOnCreate', direct === null, direct === null ? 'no token in the create answer' : `the create answer has ${text(made.api_token) ? 'api_token' : 'token'}`);
  const token = direct ?? (await tokenByAppKey(ask, id));
  if (!token) report.problem('a resource created with the app key has no token the companion can find: provisionResource cannot work');
  return { id, auth: token ? { email, token } : null };
}

/**
 * A resource's full token as the app key finds it (for a create answer without one): from the
 * resource's own credentials, else from a credentials search, trusted only when it lists one full
 * token (an ignored search lists every resource's, and credentials do not name their resource).
 */
async function tokenByAppKey({ probe }: DoctorContext, id: string): Promise<string | null> {
  const isFull = (c: Record<string, unknown>) => (Array.isArray(c.scopes) ? c.scopes.includes('global') : c.scopes === 'global');
  const included = objectOf(await probe.ask('GET', `/resources/${encodeURIComponent(id)}?include=credentials`, APP_AUTH));
  const own = (Array.isArray(included?.credentials) ? included.credentials : []) as Record<string, unknown>[];
  const fromResource = text(own.find(isFull)?.token);
  if (fromResource) return fromResource;
  const searched = listOf(await probe.ask('GET', `/credentials?search=resource.id:${encodeURIComponent(id)}`, APP_AUTH)).filter(isFull);
  return searched.length === 1 ? text(searched[0]!.token) : null;
}

/** The resource token reads its calendars; resolves with the resource to ask as, or null. */
export async function askResource({ probe, report }: DoctorContext, auth: ResourceAuth, throwaway: Throwaway | null): Promise<ReadableResource | null> {
  const isThrowaway = throwaway?.auth === auth;
  const read = await probe.ask('GET', '/calendars?limit=1000', auth);
  const doubt = "the resource token reads its calendars (the relay's path)";
  if (!ok2xx(read)) {
    report.failed(
      'resource',
      { doubt, app: `GET /calendars answered ${statusText(read)}`, kit: 'the relay cannot read calendars' },
      refused(read)
        ? `Timekit refused the resource's email and token (${read.status}): check --resource-email, TK_COMPANION_RESOURCE_TOKEN and --app`
        : `GET /calendars as the resource answered ${statusText(read)}: the relay cannot read calendars`,
    );
    return null;
  }
  const calendars = listOf(read);
  const who = isThrowaway ? 'the throwaway resource' : auth.email;
  report.passed('resource', { doubt, app: `${who}: ${calendars.length} calendar(s)`, kit: 'the relay can read and save calendars' });
  const id = isThrowaway ? throwaway.id : await probe.resourceIdByEmail(auth.email);
  return { auth, calendars, id };
}

/** `provider_sync` written back with the value it has: as the resource, else as the app on any calendar. */
export async function askPutNoContent({ probe, report }: DoctorContext, resource: ReadableResource | null): Promise<void> {
  const auth = resource?.auth ?? APP_AUTH;
  const writable = resource ? resource.calendars : listOf(await probe.ask('GET', '/calendars?limit=1', APP_AUTH));
  const target = writable.find((c) => typeof c.provider_sync === 'boolean' && text(c.id));
  if (!target) {
    report.notAsked('putNoContent', resource ? 'the resource has no calendar' : 'the app has no calendar; give a resource');
    return;
  }
  const put = await probe.ask('PUT', `/calendars/${encodeURIComponent(String(target.id))}`, auth, { body: { provider_sync: target.provider_sync } });
  if (put.status === 204 || (ok2xx(put) && objectOf(put) === null)) report.settle('putNoContent', true, `${put.status} with no body`);
  else if (ok2xx(put)) report.settle('putNoContent', false, `${put.status} with the calendar`);
  else report.settle('putNoContent', null, `the PUT answered ${statusText(put)}`);
}

/** What a findtime asks about: the resource's calendars, else its email. */
export function findtimeTarget(resource: ReadableResource) {
  return resource.calendars.length > 0 ? { calendar_ids: resource.calendars.map((c) => String(c.id)).slice(0, 50) } : { emails: [resource.auth.email] };
}

/** An unknown include (asked before) and, as the resource, an unknown findtime field: ignored or refused? */
export async function askUnknownFields({ probe, report }: DoctorContext, unknownInclude: Answer, resource: ReadableResource | null): Promise<void> {
  const answers = [{ what: 'include', answer: unknownInclude }];
  if (resource) {
    const body = { ...findtimeTarget(resource), future: '1 day', length: '1 hour', [PROBE_FIELD]: true };
    answers.push({ what: 'findtime body field', answer: await probe.ask('POST', '/findtime', resource.auth, { body }) });
  }
  const verdicts = answers.map(({ what, answer }) => ({ what, answer, ignored: ok2xx(answer) ? true : refusedInput(answer) ? false : null }));
  const decided = new Set(verdicts.map((v) => v.ignored));
  report.settle(
    'bodyIgnoresUnknown',
    decided.size === 1 && !decided.has(null) ? verdicts[0]!.ignored : null,
    verdicts.map((v) => `unknown ${v.what}: ${v.ignored === null ? statusText(v.answer) : v.ignored ? 'ignored' : `refused (${v.answer.status})`}`).join('; '),
  );
}

/** Monday with a capital and without: the same slots mean the day name's case does not matter. */
export async function askLowercaseDay({ probe, report }: DoctorContext, auth: ResourceAuth, id: string): Promise<void> {
  const capitalised = await probe.availableStarts(auth, id, [{ allow_day: { day: 'Monday' } }]);
  const lowercase = await probe.availableStarts(auth, id, [{ allow_day: { day: 'monday' } }]);
  if (!capitalised.starts || !lowercase.starts) {
    report.settle('lowercaseDayIgnored', null, `POST /availability answered ${statusText(capitalised.answer)} and ${statusText(lowercase.answer)}`);
  } else if (capitalised.starts.join() === lowercase.starts.join()) {
    report.settle('lowercaseDayIgnored', capitalised.starts.length > 0 ? false : null, `"monday" and "Monday" give the same ${capitalised.starts.length} slot(s)`);
  } else {
    const ignored = lowercase.starts.length > capitalised.starts.length;
    report.settle('lowercaseDayIgnored', ignored ? true : null, `"monday" gives ${lowercase.starts.length} slot(s), "Monday" ${capitalised.starts.length}`);
  }
}

/** Only on the throwaway resource: whether PUT /resources/:id keeps availability_constraints and timezone. */
export async function askResourceRules({ probe, report }: DoctorContext, throwawayId: string | null): Promise<void> {
  const doubt = 'PUT /resources/:id keeps availability_constraints and timezone';
  if (!throwawayId) {
    report.basicNotAsked('resource rules', { doubt, app: 'not asked: needs --create-test-resource (it writes the throwaway resource)', kit: '<tk-availability-rules> saves through this PUT' });
    return;
  }
  const path = `/resources/${encodeURIComponent(throwawayId)}`;
  const rules = { availability_constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'Europe/Berlin' };
  const put = await probe.ask('PUT', path, APP_AUTH, { body: rules });
  const read = objectOf(await probe.ask('GET', path, APP_AUTH));
  const kept = read !== null && JSON.stringify(read.availability_constraints) === JSON.stringify(rules.availability_constraints) && read.timezone === rules.timezone;
  if (kept) {
    report.passed('resource rules', { doubt, app: `kept (the PUT answered ${put.status})`, kit: '<tk-availability-rules> saves working hours on the resource' });
    return;
  }
  report.failed(
    'resource rules',
    { doubt, app: `the PUT answered ${statusText(put)}; read back: ${read === null ? 'nothing' : 'other rules'}`, kit: '<tk-availability-rules> cannot save working hours' },
    `PUT /resources/:id does not keep availability_constraints (${statusText(put)}): <tk-availability-rules> cannot save`,
  );
}
