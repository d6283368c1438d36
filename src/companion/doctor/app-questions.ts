/**
 * The questions the app key alone can ask: does the key work (and does Timekit expose Retry-After
 * to pages on that read), is the slug known to Google and Microsoft 365 signup, and how Timekit
 * takes an unknown search field or include.
 */
import { randomUUID } from 'node:crypto';
import { APP_AUTH, PROBE_FIELD, listOf, ok2xx, refused, refusedInput, statusText, type Answer, type DoctorContext } from './probe.js';


/**
 * The app key reads the app's resources, asked with a page's Origin as a browser would. Resolves
 * with that answer (its CORS headers settle `retryAfterHidden`), or null when nothing else can be asked.
 */
export async function askAppKey({ probe, report, origin }: DoctorContext, apiBase: string): Promise<Answer | null> {
  const read = await probe.ask('GET', '/resources?limit=1', APP_AUTH, { headers: { origin } });
  if (read.status === 0) {
    report.failed('api', { doubt: 'Timekit answers at the API base', app: `no answer from ${apiBase}`, kit: 'nothing works' }, `Timekit does not answer at ${apiBase}`);
    return null;
  }
  const doubt = "the app key reads the app's resources";
  if (!ok2xx(read)) {
    report.failed(
      'app key',
      { doubt, app: `GET /resources answered ${statusText(read)}`, kit: 'the companion cannot provision or look up resources' },
      refused(read) ? 'Timekit refused the app key (check TK_COMPANION_APP_KEY or --app-key-file)' : `GET /resources with the app key answered ${read.status}`,
    );
    return null;
  }
  report.passed('app key', { doubt, app: 'accepted', kit: 'the companion provisions and looks up resources' });
  return read;
}

/** Google's signup names an unknown app with a 404; Microsoft 365 may be off for an app that takes Google. */
export async function askSlug({ probe, report, app, origin }: DoctorContext): Promise<void> {
  // The redirect is not followed: its status is the answer.
  const signup = (provider: string) =>
    probe.ask('GET', `/accounts/${provider}/signup?${new URLSearchParams({ 'Timekit-App': app, callback: `${origin}/tk-doctor/callback` })}`, null);
  const google = await signup('google');
  const doubt = 'the app slug is known (Google signup answers for it)';
  if (google.status >= 300 && google.status < 400) {
    report.passed('app slug', { doubt, app: `signup redirects (${google.status})`, kit: 'Google connect starts here' });
  } else if (refusedInput(google)) {
    report.passed('app slug', { doubt, app: `known; this probe's callback was refused (${google.status})`, kit: "Google connect needs the companion's callback URL accepted by Timekit" });
  } else if (google.status === 404) {
    report.failed('app slug', { doubt, app: 'signup answered 404', kit: 'Google connect cannot start' }, `Timekit knows no app "${app}" (check --app)`);
  } else {
    report.unclear('app slug', { doubt, app: `signup answered ${statusText(google)}`, kit: 'Google connect may not start' });
  }

  // Without Microsoft 365, <tk-microsoft-connect> cannot start while everything else works: not a
  // problem of the whole kit.
  const microsoft = await signup('microsoft');
  const microsoftDoubt = 'the app accepts Microsoft 365 signup';
  if (microsoft.status >= 300 && microsoft.status < 400) {
    report.passed('microsoft signup', { doubt: microsoftDoubt, app: `signup redirects (${microsoft.status})`, kit: 'Microsoft 365 connect starts here' });
  } else if (refusedInput(microsoft)) {
    report.passed('microsoft signup', {
      doubt: microsoftDoubt,
      app: `accepted; this probe's callback was refused (${microsoft.status})`,
      kit: "Microsoft 365 connect needs the companion's callback URL accepted by Timekit",
    });
  } else if (microsoft.status === 404 && google.status !== 404) {
    report.failed('microsoft signup', {
      doubt: microsoftDoubt,
      app: 'signup answered 404',
      kit: '<tk-microsoft-connect> cannot start: turn Microsoft 365 on for the app at Timekit, or leave the element out',
    });
  } else {
    report.unclear('microsoft signup', { doubt: microsoftDoubt, app: `signup answered ${statusText(microsoft)}`, kit: 'Microsoft 365 connect may not start' });
  }
}

/** Whether a page can read Retry-After: from the CORS headers of the app key's read. */
export function askCors({ report, origin }: DoctorContext, resourcesRead: Answer): void {
  const exposed = resourcesRead.headers.get('access-control-expose-headers');
  if (exposed === null) {
    report.settle('retryAfterHidden', null, `no CORS answer for ${origin}: pass --origin with your page's origin`);
    return;
  }
  const readable = exposed.split(',').some((name) => name.trim().toLowerCase() === 'retry-after');
  report.settle('retryAfterHidden', !readable, readable ? 'Retry-After is exposed to pages' : `only ${exposed} is exposed`);
}

export async function askSearch({ probe, report }: DoctorContext): Promise<void> {
  const unknownSearch = await probe.ask('GET', `/resources?search=${PROBE_FIELD}:1&limit=1`, APP_AUTH);
  if (refusedInput(unknownSearch)) {
    report.settle('searchIgnoresUnknown', false, `an unknown search field is refused (${unknownSearch.status})`);
  } else if (!ok2xx(unknownSearch)) {
    report.settle('searchIgnoresUnknown', null, `an unknown search field answered ${statusText(unknownSearch)}`);
  } else {
    // Is `email` one of the fields it ignores? A random address matches nobody.
    const nobody = `${randomUUID()}@tk-doctor.invalid`;
    const emailSearch = await probe.ask('GET', `/resources?${new URLSearchParams({ search: `email:${nobody}`, limit: '5' })}`, APP_AUTH);
    const strangers = listOf(emailSearch).length;
    report.settle(
      'searchIgnoresUnknown',
      true,
      `an unknown search field is ignored; search=email: ${strangers > 0 ? 'is ignored too (it listed other resources)' : 'listed nobody for an unknown address'}`,
    );
  }
}

/** An unknown include: half of `bodyIgnoresUnknown` (the other half is a findtime field, as a resource). */
export function askUnknownInclude({ probe }: DoctorContext): Promise<Answer> {
  return probe.ask('GET', `/resources?include=${PROBE_FIELD}&limit=1`, APP_AUTH);
}
