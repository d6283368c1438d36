/**
 * A second calendar account that Timekit put on a new resource. Whether Timekit attaches a second
 * signup to the provider's resource or creates another one is undocumented (docs/timekit-api.md):
 * when a connect (or `provisionResource`) yields another resource than the user's record, replacing
 * the record would silently drop the first account's calendars, so the new resource waits as the
 * record's `pending` until the provider answers `POST <endpoint>/accounts/pending`.
 */
import type { TimekitResource } from '../../shared/timekit.js';
import { currentUser, recordOf, type CompanionServices } from '../core.js';
import { invalid, readJsonObject, unauthenticated, type Incoming, type Outgoing } from '../http.js';
import { sessionAnswer } from './session.js';
import type { PendingResource, TimekitRecord } from '../stores/contract.js';

/**
 * Saves what a connect (or `provisionResource`) yielded for `userId`: the record itself for a user
 * without one, the record's accounts updated when it is the record's resource (Timekit attached
 * the account), else the record's `pending`, the record itself untouched. Answers whether it waits.
 */
export async function saveConnected(core: CompanionServices, userId: string, connected: PendingResource): Promise<{ pending: boolean }> {
  const { provider: _provider, ...resource } = connected;
  const record = await recordOf(core, userId);
  if (record === null) {
    await core.options.store.put(userId, resource);
    return { pending: false };
  }
  if (record.resourceId === connected.resourceId) {
    await core.options.store.put(userId, { ...record, ...resource });
    return { pending: false };
  }
  await core.options.store.put(userId, { ...record, pending: connected });
  return { pending: true };
}

/**
 * `POST /accounts/pending` with `{"accept": true}` or `{"accept": false}`: the provider's answer.
 * Accepting moves the working hours over (when the new resource has none), makes the pending
 * resource the record in one store write and forgets the old resource's cached widget
 * credentials; declining drops it. Either way the answer is the session as it now stands.
 */
export async function resolvePending(core: CompanionServices, incoming: Incoming, origin: string, headers: Readonly<Record<string, string>>): Promise<Outgoing> {
  const { accept } = await readJsonObject(incoming, 1024);
  if (typeof accept !== 'boolean') throw invalid('Send {"accept": true} or {"accept": false}');
  const userId = await currentUser(core, incoming);
  if (userId === null) throw unauthenticated('Sign in to the host app first');
  const record = await recordOf(core, userId);
  if (!record?.pending) throw invalid('There is no second account waiting to be confirmed');
  const { pending, ...kept } = record;
  if (accept) {
    await copyWorkingHours(core, record, pending);
    const { provider: _provider, ...next } = pending;
    await core.options.store.put(userId, next);
    await core.credentials.forget(record.resourceId, core.options.allowedOrigins);
  } else {
    await core.options.store.put(userId, kept);
  }
  return sessionAnswer(core, incoming, userId, origin, headers);
}

/**
 * The old resource's working hours (`availability_constraints`, with the `timezone` they are
 * written in) onto the new one, unless the new one has hours of its own.
 */
async function copyWorkingHours(core: CompanionServices, from: TimekitRecord, to: PendingResource): Promise<void> {
  const read = (record: { resourceId: string; email: string; token: string }) =>
    core.timekit.data<Partial<TimekitResource>>('GET', `/resources/${encodeURIComponent(record.resourceId)}`, record);
  const [old, fresh] = await Promise.all([read(from), read(to)]);
  const hours = old.availability_constraints ?? [];
  if (hours.length === 0 || (fresh.availability_constraints ?? []).length > 0) return;
  await core.timekit.call('PUT', `/resources/${encodeURIComponent(to.resourceId)}`, to, {
    availability_constraints: hours,
    ...(old.timezone ? { timezone: old.timezone } : {}),
  });
}
