/**
 * The widget credential questions, as a resource: mint probe credentials both ways (strings and
 * arrays), ask with one as a page would (which calls it reaches, whether Origin alone is enough,
 * how long it lives), and delete them again.
 */
import { objectOf, ok2xx, refused, refusedInput, statusText, text, type Answer, type DoctorContext, type ResourceAuth } from './probe.js';
import { findtimeTarget, type ReadableResource } from './resource-questions.js';

const PROBE_DESCRIPTION = 'tk-companion doctor probe (deleted right away)';
/** The probe credential's requested life: short, and far from Timekit's one-year default. */
const PROBE_LIFE_MS = 10 * 60_000;

type Credential = Record<string, unknown>;

/** The doubts only a widget credential settles; unasked when none can be minted. */
const WIDGET_DOUBTS = ['expiresIgnored', 'widgetOnlyScope', 'refererOnly', 'availabilityWidgetRefused'] as const;

/** Mints probe credentials, asks with them as a page would, and deletes them. */
export async function askWidget(ask: DoctorContext, resource: ReadableResource): Promise<void> {
  const requestedExpiry = Date.now() + PROBE_LIFE_MS;
  const minted = await askCredentialShapes(ask, resource.auth, requestedExpiry);
  const probe = minted.find((c) => text(c.token) && text(c.id));
  if (!probe) {
    for (const name of WIDGET_DOUBTS) ask.report.notAsked(name, 'no widget credential could be minted');
    return;
  }
  askExpires(ask, probe, requestedExpiry);
  const widget = { email: resource.auth.email, token: String(probe.token) };
  const asPage = { origin: ask.origin, referer: `${ask.origin}/booking` };
  await askScope(ask, widget, asPage);
  await askReferer(ask, widget, resource, asPage);
  await askAvailability(ask, widget, resource, asPage);
  await deleteProbes(ask, resource.auth, minted);
}

/** Mints one credential with scopes and referrer as strings and one as arrays; resolves with those minted. */
async function askCredentialShapes({ probe, report, origin }: DoctorContext, auth: ResourceAuth, requestedExpiry: number): Promise<Credential[]> {
  const expires = new Date(requestedExpiry).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  const mint = (asArrays: boolean) =>
    probe.ask('POST', '/credentials', auth, {
      body: { type: 'client-token', scopes: asArrays ? ['widget'] : 'widget', referrer: asArrays ? [origin] : origin, expires, description: PROBE_DESCRIPTION },
    });
  const asStrings = await mint(false);
  const asArrays = await mint(true);
  if (ok2xx(asStrings) && ok2xx(asArrays)) report.settle('credentialArraysRefused', false, 'strings and arrays both accepted');
  else if (ok2xx(asStrings) && refusedInput(asArrays)) {
    report.settle('credentialArraysRefused', true, `strings accepted, arrays refused (${asArrays.status})`);
  } else if (ok2xx(asArrays)) {
    report.settle('credentialArraysRefused', null, `arrays accepted, strings answered ${statusText(asStrings)}`);
    report.problem(`POST /credentials refuses scopes and referrer as strings (${statusText(asStrings)}), which the companion sends`);
  } else {
    report.settle('credentialArraysRefused', null, `strings answered ${statusText(asStrings)}, arrays ${statusText(asArrays)}`);
    report.problem(`this resource cannot mint widget credentials at all (POST /credentials answered ${statusText(asStrings)})`);
  }
  return [asStrings, asArrays].filter(ok2xx).map(objectOf).filter((c): c is Credential => c !== null);
}

function askExpires({ report }: DoctorContext, probe: Credential, requestedExpiry: number): void {
  const granted = Date.parse(String(probe.expires));
  if (Number.isNaN(granted)) {
    report.settle('expiresIgnored', null, 'the credential came back without a readable expires');
    return;
  }
  const drift = granted - requestedExpiry;
  const life = `asked for 10 minutes, got ${humanDuration(granted - Date.now())}`;
  report.settle('expiresIgnored', Math.abs(drift) < 60_000 ? false : drift > 24 * 3_600_000 ? true : null, life);
}

/** Reads the resource's calendars with the widget credential: widget credentials reach only findtime, availability and bookings? */
async function askScope({ probe, report }: DoctorContext, widget: ResourceAuth, asPage: Record<string, string>): Promise<void> {
  const read = await probe.ask('GET', '/calendars?limit=1', widget, { headers: asPage });
  if (ok2xx(read)) report.settle('widgetOnlyScope', false, 'a widget credential reads GET /calendars');
  else if (refused(read)) report.settle('widgetOnlyScope', true, `GET /calendars with a widget credential: ${read.status}`);
  else report.settle('widgetOnlyScope', null, `GET /calendars with a widget credential answered ${statusText(read)}`);
}

/** A findtime with Origin alone, then with Referer alone. */
async function askReferer({ probe, report, origin }: DoctorContext, widget: ResourceAuth, resource: ReadableResource, asPage: { referer: string }): Promise<void> {
  const findtime = (headers: Record<string, string>) =>
    probe.ask('POST', '/findtime', widget, { headers, body: { ...findtimeTarget(resource), future: '1 day', length: '1 hour' } });
  const originOnly = await findtime({ origin });
  const refererOnly = await findtime({ referer: asPage.referer });
  if (ok2xx(originOnly)) report.settle('refererOnly', false, 'findtime accepts Origin alone');
  else if (ok2xx(refererOnly)) report.settle('refererOnly', true, `findtime with Origin alone: ${originOnly.status}; with Referer: ${refererOnly.status}`);
  else {
    report.settle('refererOnly', null, `findtime with Origin alone: ${statusText(originOnly)}; with Referer alone: ${statusText(refererOnly)}`);
    report.problem(`a widget credential cannot call POST /findtime from its own origin (${statusText(originOnly)}): booking pages cannot work`);
  }
}

async function askAvailability({ probe, report }: DoctorContext, widget: ResourceAuth, resource: ReadableResource, asPage: Record<string, string>): Promise<void> {
  if (!resource.id) {
    report.notAsked('availabilityWidgetRefused', 'the app key finds no resource with this email');
    return;
  }
  const { answer } = await probe.availableStarts(widget, resource.id, [], asPage);
  if (ok2xx(answer)) report.settle('availabilityWidgetRefused', false, 'a widget credential reads POST /availability');
  else if (refused(answer)) report.settle('availabilityWidgetRefused', true, `POST /availability with a widget credential: ${answer.status}`);
  else report.settle('availabilityWidgetRefused', null, `POST /availability with a widget credential answered ${statusText(answer)}`);
}

/** Deletes the probe credentials; a row only when one stays (they expire by themselves). */
async function deleteProbes({ probe, report }: DoctorContext, auth: ResourceAuth, minted: Credential[]): Promise<void> {
  const failed: Answer[] = [];
  for (const credential of minted) {
    const id = text(credential.id);
    if (!id) continue;
    const deleted = await probe.ask('DELETE', `/credentials/${encodeURIComponent(id)}`, auth);
    if (!ok2xx(deleted)) failed.push(deleted);
  }
  if (failed.length === 0) return;
  report.failed('cleanup', {
    doubt: 'the probe credentials are deleted again',
    app: `DELETE /credentials/:id answered ${failed.map(statusText).join(', ')}`,
    kit: `delete the credentials described "${PROBE_DESCRIPTION}" by hand (they expire by themselves)`,
  });
}

function humanDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} hours` : `${Math.round(hours / 24)} days`;
}
