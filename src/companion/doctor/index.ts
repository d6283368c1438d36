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
import { DEFAULT_API_BASE, checkApiBase } from '../options.js';
import { askAppKey, askCors, askSearch, askSlug, askUnknownInclude } from './app-questions.js';
import { DoctorProbe, type DoctorContext } from './probe.js';
import { DoctorReportBuilder, type DoctorReport } from './report.js';
import { askCreate, askLowercaseDay, askPutNoContent, askResource, askResourceRules, askUnknownFields } from './resource-questions.js';
import { askWidget } from './widget-questions.js';

export { DOCTOR_DOUBTS, type DoctorDoubt } from './doubts.js';
export { formatDoctorReport } from './format.js';
export type { DoctorReport, DoctorRow } from './report.js';

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

const DEFAULT_ORIGIN = 'http://localhost';

/**
 * Runs every question and returns the report; never throws for anything Timekit answers. Throws a
 * TypeError, before sending anything, for an `apiBase` the companion would refuse.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const checked = checkApiBase(options.apiBase ?? DEFAULT_API_BASE);
  if ('problem' in checked) throw new TypeError(`tk-companion doctor: apiBase ${checked.problem}`);
  const { apiBase } = checked;
  const report = new DoctorReportBuilder(apiBase, options.app);
  const ask: DoctorContext = {
    probe: new DoctorProbe(apiBase, options.app, options.appKey, options.timeoutMs ?? 10_000),
    report,
    app: options.app,
    origin: options.origin ?? DEFAULT_ORIGIN,
  };

  const resourcesRead = await askAppKey(ask, apiBase);
  if (!resourcesRead) return report.build();
  await askSlug(ask);
  askCors(ask, resourcesRead);
  await askSearch(ask);
  const unknownInclude = await askUnknownInclude(ask);

  const throwaway = options.createTestResource ? await askCreate(ask) : null;
  if (!options.createTestResource) report.notAsked('noTokenOnCreate');
  const askAs = options.resource ?? throwaway?.auth;
  const resource = askAs ? await askResource(ask, askAs, throwaway) : null;
  await askPutNoContent(ask, resource);
  await askUnknownFields(ask, unknownInclude, resource);

  if (resource) {
    await askWidget(ask, resource);
    if (resource.id) await askLowercaseDay(ask, resource.auth, resource.id);
    else report.notAsked('lowercaseDayIgnored', 'the app key finds no resource with this email');
  } else {
    for (const name of ['credentialArraysRefused', 'expiresIgnored', 'widgetOnlyScope', 'refererOnly', 'availabilityWidgetRefused', 'lowercaseDayIgnored'] as const) {
      report.notAsked(name);
    }
  }
  await askResourceRules(ask, throwaway?.id ?? null);
  // These need a Google consent or a lasting write: no harmless question settles them.
  for (const name of ['callbackAsText', 'importOnlySynced', 'bookingFieldsRequired', 'denyWithoutError'] as const) report.notAsked(name);
  return report.build();
}
