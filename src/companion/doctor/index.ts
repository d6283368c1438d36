/**
 * `tk-companion doctor`: asks a Timekit app the few harmless questions that settle each doubt of
 * docs/timekit-api.md (the emulator's fidelity switches), and says what the kit does with each
 * answer. Harmless means: reads; a `provider_sync` PUT of the value the calendar already has; a
 * widget credential minted for a made-up origin and deleted again; findtime and availability;
 * unknown search, include and body fields on reads. Only `createTestResource` writes something that
 * stays (one resource, whose working hours it then writes and reads back).
 *
 * Secrets (the app key, the resource token, the credentials minted here) are only ever put in
 * Authorization headers: no row, problem or error message is built from a header or an answer body
 * Timekit could echo a secret into, only from statuses, field names and timestamps.
 */
import { TIMEKIT_DOUBTS, type TimekitDoubt } from '../../shared/timekit-doubts.js';
import { randomUUID } from 'node:crypto';
import { DEFAULT_API_BASE, checkApiBase } from '../options.js';
import { TimekitClient } from '../timekit.js';

/** The doubts the doctor asks about, named and ordered as the emulator's fidelity switches. */
export const DOCTOR_DOUBTS = TIMEKIT_DOUBTS;
export type DoctorDoubt = TimekitDoubt;

export interface DoctorOptions {
  /** Timekit's API base; default `https://api.timekit.io/v2`. Plain http only on loopback, as for the companion. */
  apiBase?: string;
  app: string;
  appKey: string;
  /** A resource to ask as (its email and full token): without it the widget questions stay unasked. */
  resource?: { email: string; token: string };
  /**
   * The page origin the probe credential is minted for and the requests claim to come from (CORS,
   * referrer); default `http://localhost`. Give your page's when Timekit only answers CORS for it.
   */
  origin?: string;
  /** Create one throwaway resource (it stays in the app) to see whether its create answer has a token. */
  createTestResource?: boolean;
  /** Per request, in milliseconds; default 10,000. */
  timeoutMs?: number;
}

/**
 * One row of the table. `answer`: `evidence` / `optimistic` for a doubt this app settled (the side of
 * the switch it is on), `not-asked`, `unclear` (asked, but the answer fits neither side), and for the
 * basic checks `ok` / `failed`.
 */
export interface DoctorRow {
  name: DoctorDoubt | 'api' | 'app key' | 'app slug' | 'microsoft signup' | 'resource' | 'resource rules' | 'cleanup';
  doubt: string;
  answer: 'evidence' | 'optimistic' | 'not-asked' | 'unclear' | 'ok' | 'failed';
  app: string;
  kit: string;
}

export interface DoctorReport {
  apiBase: string;
  app: string;
  /** False when the kit cannot work with this app's answers (`problems` says why). */
  ok: boolean;
  problems: string[];
  /** The doubts this app settled, as the emulator's switch values (true = the evidence side). */
  switches: Partial<Record<DoctorDoubt, boolean>>;
  rows: DoctorRow[];
}

const DEFAULT_ORIGIN = 'http://localhost';
const PROBE = 'tk_doctor_probe';
const PROBE_DESCRIPTION = 'tk-companion doctor probe (deleted right away)';
/** The probe credential's requested life: short, and far from Timekit's one-year default. */
const PROBE_LIFE_MS = 10 * 60_000;

/** One line per doubt; the kit's behaviour on each side (`kit[true]` is the evidence side). */
const DOUBTS: Record<DoctorDoubt, { doubt: string; kit: Record<'true' | 'false', string> | string; unasked?: string }> = {
  widgetOnlyScope: {
    doubt: 'widget credentials reach only findtime, availability and bookings',
    kit: {
      true: "keep mode 'relay' (the default): calendar reads, provider_sync writes and syncs go through the companion with the resource token; the widget credential serves findtime and bookings",
      false: "the default relay works; mode 'direct' may send the calendar calls straight to Timekit with the widget credential",
    },
    unasked: 'needs a resource (--resource-email and its token)',
  },
  putNoContent: {
    doubt: 'PUT /calendars/:id answers 204 with no body',
    kit: {
      true: 'a 204 is a save: the kit reads the calendar back and never repeats a PUT Timekit kept',
      false: 'the kit takes the saved calendar from the answer',
    },
    unasked: 'needs a calendar to write its own provider_sync value back to',
  },
  noTokenOnCreate: {
    doubt: 'the POST /resources answer carries no token',
    kit: 'provisionResource takes api_token, else token, else asks for the resource\'s credentials with the app key: works either way',
    unasked: 'needs a write (--create-test-resource creates one throwaway resource)',
  },
  searchIgnoresUnknown: {
    doubt: 'a search on an undocumented field is ignored (the whole list), not refused',
    kit: 'the companion checks the email of every resource a search returns, paging through, and fails closed: works either way',
  },
  bodyIgnoresUnknown: {
    doubt: 'unknown body fields and include names are ignored, not refused',
    kit: 'the kit sends only documented fields and includes: works either way',
  },
  callbackAsText: {
    doubt: 'the signup callback gets ?email=…&token=… appended as text',
    kit: 'the connect nonce rides in the callback\'s path and the answer is parsed tolerantly (a "+" stays "+"): works either way',
    unasked: 'needs a Google consent',
  },
  credentialArraysRefused: {
    doubt: 'POST /credentials refuses arrays for scopes and referrer',
    kit: 'the companion sends scopes and referrer as strings: works either way',
    unasked: 'needs a resource (--resource-email and its token)',
  },
  retryAfterHidden: {
    doubt: 'browsers cannot read Retry-After (not in Access-Control-Expose-Headers)',
    kit: {
      true: 'in the browser the kit waits 1 s, then 2 s, after a 429 or 503',
      false: 'the browser waits as long as Retry-After asks',
    },
  },
  importOnlySynced: {
    doubt: 'a sync imports events only of calendars that sync at that moment',
    kit: 'the kit runs POST /accounts/sync once after each burst of provider_sync changes: works either way',
    unasked: 'needs a write (changing which calendars sync)',
  },
  availabilityWidgetRefused: {
    doubt: 'a widget credential may not call POST /availability',
    kit: {
      true: 'bookable slots ask POST /availability through the relay (the default mode), else POST /findtime with the widget credential',
      false: 'the same: the relay serves /availability; a widget credential could too',
    },
    unasked: 'needs a resource (--resource-email and its token)',
  },
  lowercaseDayIgnored: {
    doubt: 'a constraint whose day name is not capitalised ("monday") is ignored',
    kit: 'the kit writes day names capitalised, as the reference does: works either way',
    unasked: 'needs a resource (--resource-email and its token)',
  },
  bookingFieldsRequired: {
    doubt: 'POST /bookings requires resource_id, what, where and description',
    kit: 'the demo and the kit\'s examples send the flat body with all of them: works either way',
    unasked: 'needs a write (a booking)',
  },
  denyWithoutError: {
    doubt: 'declining consent comes back to the bare callback, without error=',
    kit: 'a callback without email, token or error reads as consent declined and keeps what was connected: works either way',
    unasked: 'needs a Google consent',
  },
  expiresIgnored: {
    doubt: 'POST /credentials ignores expires: credentials live a year',
    kit: {
      true: "works: the companion renews and deletes widget credentials after its own TTL, though Timekit would honour them for a year until deleted",
      false: 'widget credentials expire after the companion\'s TTL (default 1 hour)',
    },
    unasked: 'needs a resource (--resource-email and its token)',
  },
  refererOnly: {
    doubt: 'a widget credential\'s referrer is checked against Referer only',
    kit: {
      true: "widget calls carry a Referer with the page's origin whatever the page's Referrer-Policy (the elements ask for strict-origin)",
      false: 'the Origin header is enough',
    },
    unasked: 'needs a resource (--resource-email and its token)',
  },
};

interface Answer {
  /** 0 when Timekit could not be reached. */
  status: number;
  headers: Headers;
  json: unknown;
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const ok2xx = (answer: Answer) => answer.status >= 200 && answer.status < 300;
const refused = (answer: Answer) => answer.status === 401 || answer.status === 403;
const statusText = (answer: Answer) => (answer.status === 0 ? 'no answer' : String(answer.status));

function dataOf(answer: Answer): unknown {
  const json = answer.json as { data?: unknown } | null;
  return json !== null && typeof json === 'object' ? json.data : undefined;
}

function listOf(answer: Answer): Record<string, unknown>[] {
  const data = dataOf(answer);
  return Array.isArray(data) ? data.filter((item): item is Record<string, unknown> => item !== null && typeof item === 'object') : [];
}

function objectOf(answer: Answer): Record<string, unknown> | null {
  const data = dataOf(answer);
  return data !== null && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/**
 * Runs every question and returns the report; never throws for anything Timekit answers. Throws a
 * TypeError, before sending anything, for an `apiBase` the companion would refuse.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const checked = checkApiBase(options.apiBase ?? DEFAULT_API_BASE);
  if ('problem' in checked) throw new TypeError(`tk-companion doctor: apiBase ${checked.problem}`);
  const apiBase = checked.apiBase;
  const origin = options.origin ?? DEFAULT_ORIGIN;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const appAuth = basic('', options.appKey);
  const rows: DoctorRow[] = [];
  const problems: string[] = [];
  const switches: DoctorReport['switches'] = {};
  const report = (): DoctorReport => ({ apiBase, app: options.app, ok: problems.length === 0, problems, switches, rows });

  async function ask(
    method: string,
    path: string,
    auth: string | null,
    extra: { body?: unknown; headers?: Record<string, string>; asResource?: boolean } = {},
  ): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', ...extra.headers };
    if (auth !== null) headers.authorization = auth;
    if (extra.asResource) headers['timekit-app'] = options.app;
    if (extra.body !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch(`${apiBase}${path}`, {
        method,
        headers,
        body: extra.body === undefined ? undefined : JSON.stringify(extra.body),
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await response.text();
      let json: unknown = null;
      try {
        json = body === '' ? null : JSON.parse(body);
      } catch {
        // Not JSON: the questions below look at the status only.
      }
      return { status: response.status, headers: response.headers, json };
    } catch {
      return { status: 0, headers: new Headers(), json: null };
    }
  }

  function settle(name: DoctorDoubt, evidenceSide: boolean | null, app: string) {
    const doubt = DOUBTS[name];
    const kit = typeof doubt.kit === 'string' ? doubt.kit : evidenceSide === null ? `${doubt.kit.true}; else ${doubt.kit.false}` : doubt.kit[`${evidenceSide}`];
    if (evidenceSide !== null) switches[name] = evidenceSide;
    rows.push({ name, doubt: doubt.doubt, answer: evidenceSide === null ? 'unclear' : evidenceSide ? 'evidence' : 'optimistic', app, kit });
  }

  function notAsked(name: DoctorDoubt, why = DOUBTS[name].unasked ?? 'not asked') {
    const doubt = DOUBTS[name];
    const kit = typeof doubt.kit === 'string' ? doubt.kit : `${doubt.kit.true}; else ${doubt.kit.false}`;
    rows.push({ name, doubt: doubt.doubt, answer: 'not-asked', app: `not asked: ${why}`, kit });
  }

  function basicRow(name: DoctorRow['name'], passed: boolean, doubt: string, app: string, kit: string, problem?: string) {
    rows.push({ name, doubt, answer: passed ? 'ok' : 'failed', app, kit });
    if (!passed && problem) problems.push(problem);
  }

  // The app key, and CORS exposure on the same read (as a browser page would ask it).
  const resourcesRead = await ask('GET', '/resources?limit=1', appAuth, { headers: { origin } });
  if (resourcesRead.status === 0) {
    basicRow('api', false, 'Timekit answers at the API base', `no answer from ${apiBase}`, 'nothing works', `Timekit does not answer at ${apiBase}`);
    return report();
  }
  if (!ok2xx(resourcesRead)) {
    basicRow(
      'app key',
      false,
      'the app key reads the app\'s resources',
      `GET /resources answered ${statusText(resourcesRead)}`,
      'the companion cannot provision or look up resources',
      refused(resourcesRead)
        ? 'Timekit refused the app key (check TIMEKIT_APP_KEY or --app-key-file)'
        : `GET /resources with the app key answered ${resourcesRead.status}`,
    );
    return report();
  }
  basicRow('app key', true, 'the app key reads the app\'s resources', 'accepted', 'the companion provisions and looks up resources');

  // The slug: Timekit's Google signup names an unknown app with a 404 (the redirect is not followed).
  const signup = await ask('GET', `/accounts/google/signup?${new URLSearchParams({ 'Timekit-App': options.app, callback: `${origin}/tk-doctor/callback` })}`, null);
  const slugDoubt = 'the app slug is known (Google signup answers for it)';
  if (signup.status >= 300 && signup.status < 400) {
    basicRow('app slug', true, slugDoubt, `signup redirects (${signup.status})`, 'Google connect starts here');
  } else if (signup.status === 400 || signup.status === 422) {
    basicRow('app slug', true, slugDoubt, `known; this probe's callback was refused (${signup.status})`, 'Google connect needs the companion\'s callback URL accepted by Timekit');
  } else if (signup.status === 404) {
    basicRow('app slug', false, slugDoubt, 'signup answered 404', 'Google connect cannot start', `Timekit knows no app "${options.app}" (check --app)`);
  } else {
    rows.push({ name: 'app slug', doubt: slugDoubt, answer: 'unclear', app: `signup answered ${statusText(signup)}`, kit: 'Google connect may not start' });
  }

  // Microsoft 365 may be off for an app that takes Google: <tk-microsoft-connect> then cannot start,
  // while everything else works (not a problem of the whole kit).
  const microsoft = await ask('GET', `/accounts/microsoft/signup?${new URLSearchParams({ 'Timekit-App': options.app, callback: `${origin}/tk-doctor/callback` })}`, null);
  const microsoftDoubt = 'the app accepts Microsoft 365 signup';
  if (microsoft.status >= 300 && microsoft.status < 400) {
    basicRow('microsoft signup', true, microsoftDoubt, `signup redirects (${microsoft.status})`, 'Microsoft 365 connect starts here');
  } else if (microsoft.status === 400 || microsoft.status === 422) {
    basicRow('microsoft signup', true, microsoftDoubt, `accepted; this probe's callback was refused (${microsoft.status})`, "Microsoft 365 connect needs the companion's callback URL accepted by Timekit");
  } else if (microsoft.status === 404 && signup.status !== 404) {
    basicRow('microsoft signup', false, microsoftDoubt, 'signup answered 404', '<tk-microsoft-connect> cannot start: turn Microsoft 365 on for the app at Timekit, or leave the element out');
  } else {
    rows.push({ name: 'microsoft signup', doubt: microsoftDoubt, answer: 'unclear', app: `signup answered ${statusText(microsoft)}`, kit: 'Microsoft 365 connect may not start' });
  }

  const exposed = resourcesRead.headers.get('access-control-expose-headers');
  if (exposed === null) settle('retryAfterHidden', null, `no CORS answer for ${origin}: pass --origin with your page's origin`);
  else {
    const readable = exposed.split(',').some((name) => name.trim().toLowerCase() === 'retry-after');
    settle('retryAfterHidden', !readable, readable ? 'Retry-After is exposed to pages' : `only ${exposed} is exposed`);
  }

  const unknownSearch = await ask('GET', `/resources?search=${PROBE}:1&limit=1`, appAuth);
  if (ok2xx(unknownSearch)) {
    // Is `email` one of the fields it ignores? A random address matches nobody.
    const nobody = `${randomUUID()}@tk-doctor.invalid`;
    const emailSearch = await ask('GET', `/resources?${new URLSearchParams({ search: `email:${nobody}`, limit: '5' })}`, appAuth);
    const strangers = listOf(emailSearch).length;
    settle(
      'searchIgnoresUnknown',
      true,
      `an unknown search field is ignored; search=email: ${strangers > 0 ? 'is ignored too (it listed other resources)' : 'listed nobody for an unknown address'}`,
    );
  } else if (unknownSearch.status === 400 || unknownSearch.status === 422) {
    settle('searchIgnoresUnknown', false, `an unknown search field is refused (${unknownSearch.status})`);
  } else settle('searchIgnoresUnknown', null, `an unknown search field answered ${statusText(unknownSearch)}`);

  // Unknown include (app key) now; an unknown body field on findtime once a resource is at hand.
  const unknownInclude = await ask('GET', `/resources?include=${PROBE}&limit=1`, appAuth);
  const unknownFieldAnswers: { what: string; answer: Answer }[] = [{ what: 'include', answer: unknownInclude }];

  let resource = options.resource ?? null;
  let resourceIsThrowaway = false;
  let throwawayId: string | null = null;
  if (options.createTestResource) {
    const email = `tk-doctor-${randomUUID().slice(0, 8)}@example.com`;
    const created = await ask('POST', '/resources', appAuth, { body: { name: 'tk-companion doctor (throwaway)', email, timezone: 'UTC' } });
    const made = objectOf(created);
    if (!ok2xx(created) || !made || !text(made.id)) {
      settle('noTokenOnCreate', null, `POST /resources answered ${statusText(created)}`);
    } else {
      throwawayId = String(made.id);
      const direct = text(made.api_token) ?? text(made.token);
      settle('noTokenOnCreate', direct === null, direct === null ? 'no token in the create answer' : `the create answer has ${text(made.api_token) ? 'api_token' : 'token'}`);
      const token = direct ?? (await tokenByAppKey(String(made.id)));
      if (!token) problems.push('a resource created with the app key has no token the companion can find: provisionResource cannot work');
      else if (!resource) {
        resource = { email, token };
        resourceIsThrowaway = true;
      }
    }
  } else notAsked('noTokenOnCreate');

  /**
   * A resource's full token as the app key finds it (for a create answer without one): from the
   * resource's own credentials, else from a credentials search, trusted only when it lists one full
   * token (an ignored search lists every resource's, and credentials do not name their resource).
   */
  async function tokenByAppKey(id: string): Promise<string | null> {
    const isFull = (c: Record<string, unknown>) => (Array.isArray(c.scopes) ? c.scopes.includes('global') : c.scopes === 'global');
    const included = objectOf(await ask('GET', `/resources/${encodeURIComponent(id)}?include=credentials`, appAuth));
    const own = (Array.isArray(included?.credentials) ? included.credentials : []) as Record<string, unknown>[];
    const fromResource = text(own.find(isFull)?.token);
    if (fromResource) return fromResource;
    const searched = listOf(await ask('GET', `/credentials?search=resource.id:${encodeURIComponent(id)}`, appAuth)).filter(isFull);
    return searched.length === 1 ? text(searched[0]!.token) : null;
  }

  let calendars: Record<string, unknown>[] = [];
  let resourceAuth: string | null = null;
  if (resource) {
    resourceAuth = basic(resource.email, resource.token);
    const read = await ask('GET', '/calendars?limit=1000', resourceAuth, { asResource: true });
    const who = resourceIsThrowaway ? 'the throwaway resource' : resource.email;
    if (ok2xx(read)) {
      calendars = listOf(read);
      basicRow('resource', true, 'the resource token reads its calendars (the relay\'s path)', `${who}: ${calendars.length} calendar(s)`, 'the relay can read and save calendars');
    } else {
      basicRow(
        'resource',
        false,
        'the resource token reads its calendars (the relay\'s path)',
        `GET /calendars answered ${statusText(read)}`,
        'the relay cannot read calendars',
        refused(read)
          ? `Timekit refused the resource's email and token (${read.status}): check --resource-email, TIMEKIT_RESOURCE_TOKEN and --app`
          : `GET /calendars as the resource answered ${statusText(read)}: the relay cannot read calendars`,
      );
      resourceAuth = null;
    }
  }

  // provider_sync written back with the value it has: as the resource, else as the app on any calendar.
  const putAuth = resourceAuth ?? appAuth;
  const writable = resourceAuth
    ? calendars
    : listOf(await ask('GET', '/calendars?limit=1', appAuth));
  const target = writable.find((c) => typeof c.provider_sync === 'boolean' && text(c.id));
  if (!target) notAsked('putNoContent', resourceAuth ? 'the resource has no calendar' : 'the app has no calendar; give a resource');
  else {
    const put = await ask('PUT', `/calendars/${encodeURIComponent(String(target.id))}`, putAuth, {
      body: { provider_sync: target.provider_sync },
      asResource: resourceAuth !== null,
    });
    if (put.status === 204 || (ok2xx(put) && objectOf(put) === null)) settle('putNoContent', true, `${put.status} with no body`);
    else if (ok2xx(put)) settle('putNoContent', false, `${put.status} with the calendar`);
    else settle('putNoContent', null, `the PUT answered ${statusText(put)}`);
  }

  const findtimeBody = calendars.length > 0 ? { calendar_ids: calendars.map((c) => String(c.id)).slice(0, 50) } : { emails: [resource?.email] };
  if (resourceAuth) {
    const findtime = await ask('POST', '/findtime', resourceAuth, {
      body: { ...findtimeBody, future: '1 day', length: '1 hour', [PROBE]: true },
      asResource: true,
    });
    unknownFieldAnswers.push({ what: 'findtime body field', answer: findtime });
  }
  const unknownVerdicts = unknownFieldAnswers.map(({ what, answer }) => ({
    what,
    ignored: ok2xx(answer) ? true : answer.status === 400 || answer.status === 422 ? false : null,
    answer,
  }));
  const decided = new Set(unknownVerdicts.map((v) => v.ignored));
  settle(
    'bodyIgnoresUnknown',
    decided.size === 1 && !decided.has(null) ? unknownVerdicts[0]!.ignored : null,
    unknownVerdicts.map((v) => `unknown ${v.what}: ${v.ignored === null ? statusText(v.answer) : v.ignored ? 'ignored' : `refused (${v.answer.status})`}`).join('; '),
  );

  // The resource's id, for /availability: from the throwaway's create answer, else found by email.
  const resourceId = resourceIsThrowaway ? throwawayId : resource ? await resourceIdByEmail(resource.email) : null;
  if (!resourceAuth) {
    for (const name of ['credentialArraysRefused', 'expiresIgnored', 'widgetOnlyScope', 'refererOnly', 'availabilityWidgetRefused', 'lowercaseDayIgnored'] as const) {
      notAsked(name);
    }
  } else {
    await widgetQuestions(resourceAuth);
    if (resourceId) await lowercaseDayQuestion(resourceAuth, resourceId);
    else notAsked('lowercaseDayIgnored', 'the app key finds no resource with this email');
  }
  await resourceRulesQuestion();

  for (const name of ['callbackAsText', 'importOnlySynced', 'bookingFieldsRequired', 'denyWithoutError'] as const) notAsked(name);
  rows.sort((a, b) => order(a.name) - order(b.name));
  return report();

  async function resourceIdByEmail(email: string): Promise<string | null> {
    try {
      return (await new TimekitClient(apiBase, options.app, options.appKey, null).findResourceByEmail(email))?.id ?? null;
    } catch {
      return null;
    }
  }

  /** Free hours of the coming week for one `allow_day` rule (a read): the slots' starts, or null when refused. */
  async function availableStarts(auth: string, id: string, constraints: unknown[], headers?: Record<string, string>) {
    const from = Date.now();
    const answer = await ask('POST', '/availability', auth, {
      asResource: true,
      headers,
      body: { resources: [id], from: new Date(from).toISOString(), to: new Date(from + 7 * 24 * 3_600_000).toISOString(), length: '1 hour', constraints },
    });
    return { answer, starts: ok2xx(answer) ? listOf(answer).map((slot) => String(slot.start)) : null };
  }

  /** Monday with a capital and without: the same slots mean the day name's case does not matter. */
  async function lowercaseDayQuestion(auth: string, id: string) {
    const capitalised = await availableStarts(auth, id, [{ allow_day: { day: 'Monday' } }]);
    const lowercase = await availableStarts(auth, id, [{ allow_day: { day: 'monday' } }]);
    if (!capitalised.starts || !lowercase.starts) {
      settle('lowercaseDayIgnored', null, `POST /availability answered ${statusText(capitalised.answer)} and ${statusText(lowercase.answer)}`);
    } else if (capitalised.starts.join() === lowercase.starts.join()) {
      settle('lowercaseDayIgnored', capitalised.starts.length > 0 ? false : null, `"monday" and "Monday" give the same ${capitalised.starts.length} slot(s)`);
    } else {
      const ignored = lowercase.starts.length > capitalised.starts.length;
      settle('lowercaseDayIgnored', ignored ? true : null, `"monday" gives ${lowercase.starts.length} slot(s), "Monday" ${capitalised.starts.length}`);
    }
  }

  /** Only on the throwaway resource: whether PUT /resources/:id keeps availability_constraints and timezone. */
  async function resourceRulesQuestion() {
    const doubt = 'PUT /resources/:id keeps availability_constraints and timezone';
    if (!throwawayId) {
      rows.push({ name: 'resource rules', doubt, answer: 'not-asked', app: 'not asked: needs --create-test-resource (it writes the throwaway resource)', kit: '<tk-availability-rules> saves through this PUT' });
      return;
    }
    const path = `/resources/${encodeURIComponent(throwawayId)}`;
    const rules = { availability_constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'Europe/Berlin' };
    const put = await ask('PUT', path, appAuth, { body: rules });
    const read = objectOf(await ask('GET', path, appAuth));
    const kept = read !== null && JSON.stringify(read.availability_constraints) === JSON.stringify(rules.availability_constraints) && read.timezone === rules.timezone;
    basicRow(
      'resource rules',
      kept,
      doubt,
      kept ? `kept (the PUT answered ${put.status})` : `the PUT answered ${statusText(put)}; read back: ${read === null ? 'nothing' : 'other rules'}`,
      kept ? '<tk-availability-rules> saves working hours on the resource' : '<tk-availability-rules> cannot save working hours',
      kept ? undefined : `PUT /resources/:id does not keep availability_constraints (${statusText(put)}): <tk-availability-rules> cannot save`,
    );
  }

  /** Mints probe credentials both ways, asks with them as a page would, and deletes them. */
  async function widgetQuestions(auth: string) {
    const requestedExpiry = Date.now() + PROBE_LIFE_MS;
    const expires = new Date(requestedExpiry).toISOString().replace(/\.\d{3}Z$/, '+00:00');
    const mint = (asArrays: boolean) =>
      ask('POST', '/credentials', auth, {
        asResource: true,
        body: {
          type: 'client-token',
          scopes: asArrays ? ['widget'] : 'widget',
          referrer: asArrays ? [origin] : origin,
          expires,
          description: PROBE_DESCRIPTION,
        },
      });
    const asStrings = await mint(false);
    const asArrays = await mint(true);
    const minted = [asStrings, asArrays].filter(ok2xx).map(objectOf).filter((c): c is Record<string, unknown> => c !== null);

    if (ok2xx(asStrings) && ok2xx(asArrays)) settle('credentialArraysRefused', false, 'strings and arrays both accepted');
    else if (ok2xx(asStrings) && (asArrays.status === 400 || asArrays.status === 422)) {
      settle('credentialArraysRefused', true, `strings accepted, arrays refused (${asArrays.status})`);
    } else if (ok2xx(asArrays)) {
      settle('credentialArraysRefused', null, `arrays accepted, strings answered ${statusText(asStrings)}`);
      problems.push(`POST /credentials refuses scopes and referrer as strings (${statusText(asStrings)}), which the companion sends`);
    } else {
      settle('credentialArraysRefused', null, `strings answered ${statusText(asStrings)}, arrays ${statusText(asArrays)}`);
      problems.push(`this resource cannot mint widget credentials at all (POST /credentials answered ${statusText(asStrings)})`);
    }

    const probe = minted.find((c) => text(c.token) && text(c.id));
    if (!probe) {
      for (const name of ['expiresIgnored', 'widgetOnlyScope', 'refererOnly', 'availabilityWidgetRefused'] as const) {
        notAsked(name, 'no widget credential could be minted');
      }
      return;
    }
    const granted = Date.parse(String(probe.expires));
    if (Number.isNaN(granted)) settle('expiresIgnored', null, 'the credential came back without a readable expires');
    else {
      const drift = granted - requestedExpiry;
      const life = `asked for 10 minutes, got ${humanDuration(granted - Date.now())}`;
      settle('expiresIgnored', Math.abs(drift) < 60_000 ? false : drift > 24 * 3_600_000 ? true : null, life);
    }

    const widgetAuth = basic(resource!.email, String(probe.token));
    const asPage = { origin, referer: `${origin}/booking` };
    const calendarsRead = await ask('GET', '/calendars?limit=1', widgetAuth, { asResource: true, headers: asPage });
    if (ok2xx(calendarsRead)) settle('widgetOnlyScope', false, 'a widget credential reads GET /calendars');
    else if (refused(calendarsRead)) settle('widgetOnlyScope', true, `GET /calendars with a widget credential: ${calendarsRead.status}`);
    else settle('widgetOnlyScope', null, `GET /calendars with a widget credential answered ${statusText(calendarsRead)}`);

    const widgetFindtime = (headers: Record<string, string>) =>
      ask('POST', '/findtime', widgetAuth, { asResource: true, headers, body: { ...findtimeBody, future: '1 day', length: '1 hour' } });
    const originOnly = await widgetFindtime({ origin });
    const refererOnly = await widgetFindtime({ referer: asPage.referer });
    if (ok2xx(originOnly)) settle('refererOnly', false, 'findtime accepts Origin alone');
    else if (ok2xx(refererOnly)) settle('refererOnly', true, `findtime with Origin alone: ${originOnly.status}; with Referer: ${refererOnly.status}`);
    else {
      settle('refererOnly', null, `findtime with Origin alone: ${statusText(originOnly)}; with Referer alone: ${statusText(refererOnly)}`);
      problems.push(`a widget credential cannot call POST /findtime from its own origin (${statusText(originOnly)}): booking pages cannot work`);
    }

    if (!resourceId) notAsked('availabilityWidgetRefused', 'the app key finds no resource with this email');
    else {
      const { answer } = await availableStarts(widgetAuth, resourceId, [], asPage);
      if (ok2xx(answer)) settle('availabilityWidgetRefused', false, 'a widget credential reads POST /availability');
      else if (refused(answer)) settle('availabilityWidgetRefused', true, `POST /availability with a widget credential: ${answer.status}`);
      else settle('availabilityWidgetRefused', null, `POST /availability with a widget credential answered ${statusText(answer)}`);
    }

    const failedDeletes = [];
    for (const credential of minted) {
      if (!text(credential.id)) continue;
      const deleted = await ask('DELETE', `/credentials/${encodeURIComponent(String(credential.id))}`, auth, { asResource: true });
      if (!ok2xx(deleted)) failedDeletes.push(statusText(deleted));
    }
    if (failedDeletes.length > 0) {
      rows.push({
        name: 'cleanup',
        doubt: 'the probe credentials are deleted again',
        answer: 'failed',
        app: `DELETE /credentials/:id answered ${failedDeletes.join(', ')}`,
        kit: `delete the credentials described "${PROBE_DESCRIPTION}" by hand (they expire by themselves)`,
      });
    }
  }
}

const ORDER: DoctorRow['name'][] = ['api', 'app key', 'app slug', 'microsoft signup', 'resource', 'resource rules', ...DOCTOR_DOUBTS, 'cleanup'];
const order = (name: DoctorRow['name']) => ORDER.indexOf(name);

function humanDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}

const ANSWER_LABEL: Record<DoctorRow['answer'], string> = {
  evidence: 'evidence',
  optimistic: 'optimistic',
  'not-asked': '-',
  unclear: '?',
  ok: 'ok',
  failed: 'FAIL',
};

function wrap(value: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of value.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** The report as one plain-text table and a closing verdict. */
export function formatDoctorReport(report: DoctorReport): string {
  const columns = [
    { title: 'doubt', width: 38, cell: (row: DoctorRow) => `${row.name}: ${row.doubt}` },
    { title: 'side', width: 10, cell: (row: DoctorRow) => ANSWER_LABEL[row.answer] },
    { title: 'this app', width: 34, cell: (row: DoctorRow) => row.app },
    { title: 'the kit', width: 44, cell: (row: DoctorRow) => row.kit },
  ];
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(columns[i]!.width)).join(' | ').trimEnd();
  const out = [
    `Timekit ${report.apiBase}, app ${report.app}`,
    '',
    line(columns.map((c) => c.title)),
    columns.map((c) => '-'.repeat(c.width)).join('-+-'),
  ];
  for (const row of report.rows) {
    const cells = columns.map((c) => wrap(c.cell(row), c.width));
    const height = Math.max(...cells.map((c) => c.length));
    for (let i = 0; i < height; i++) out.push(line(cells.map((c) => c[i] ?? '')));
  }
  out.push('', 'side: evidence = where the public evidence points (the emulator\'s switch on); optimistic = the other side; - not asked; ? unclear.');
  if (report.ok) out.push('The kit can work with this app.');
  else out.push('The kit cannot work with this app:', ...report.problems.map((p) => `  - ${p}`));
  return `${out.join('\n')}\n`;
}
