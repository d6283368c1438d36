/**
 * What Timekit's syncs say about the resource's calendar accounts (loaded once a sync ran): the
 * page-load health sync, and which accounts a refused sync names. A sync refused with a 4xx marks
 * the accounts its message names, or every account when it names none (Timekit documents no
 * wording, so the reading is liberal: docs/timekit-api.md); the session marks them all connected
 * again after a sync that works.
 */
import type { TimekitAccount } from '../shared/timekit.js';
import type { CalendarCache } from './calendar-cache.js';
import { toTkError, type TkError } from './errors.js';
import type { TimekitClient } from './timekit-client.js';

export type TkAccountStatus = 'connected' | 'disconnected';

export type AccountKey = Pick<TimekitAccount, 'provider' | 'provider_id'>;

/**
 * The accounts a failed sync says stopped working, or null when the failure says nothing about
 * them: a 401 (the session's credentials), a 429 (a limit), a 5xx or no answer at all.
 */
export function disconnectedBy(failure: TkError, accounts: readonly AccountKey[]): readonly AccountKey[] | null {
  const { status } = failure;
  if (status < 400 || status >= 500 || status === 401 || status === 429) return null;
  const said = failure.message.toLowerCase();
  const named = accounts.filter((a) => said.includes(a.provider_id.toLowerCase()));
  return named.length > 0 ? named : accounts;
}

/**
 * The quiet sync once a page is ready: `POST /accounts/sync` (which also imports calendars made at
 * Google or Microsoft since), then, when it worked and calendars are cached, the list again: if
 * calendars came, went or were renamed, the cache takes the new list and elements reload.
 * Resolves to the sync's failure, or null.
 */
export async function healthSync(client: Pick<TimekitClient, 'request'>, calendars: CalendarCache): Promise<TkError | null> {
  try {
    await client.request('POST', '/accounts/sync');
  } catch (error) {
    return toTkError(error);
  }
  const cached = calendars.cached;
  if (!cached) return null; // nothing loaded yet: the first load sees the synced list
  const names = (list: readonly { id: string; name: string }[]) => JSON.stringify(list.map((c) => [c.id, c.name]));
  try {
    const [before, after] = await Promise.all([cached, calendars.load()]);
    if (calendars.cached === cached && names(before) !== names(after)) calendars.drop(after);
  } catch {
    // the cached list stays; the next sync or reload tries again
  }
  return null;
}
