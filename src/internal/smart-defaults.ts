/**
 * Smart defaults: after a provider's first connect, each picker chooses the primary calendar, as
 * the scheduling products the kit is compared with do, so the provider can just go on.
 */
import type { TkSession } from '../session/session-service.js';
import type { TimekitCalendar } from '../shared/timekit.js';
import { syncedIds } from './calendars.js';

/**
 * Whether a picker chooses its default now. "First connect" means: a connect made on this page
 * (`session.connectCount` grew since the picker last asked) whose resource has nothing chosen
 * yet, that is, Timekit syncs none of its calendars and the picker has no value (from the host,
 * code or the provider). So a reload never chooses again: it is no connect, and what the
 * provider un-ticked stays un-ticked. Answers true at most once per connect.
 */
export class ConnectDefaults {
  #seen = 0;

  /** Whether a connect made on this page has not been asked about yet. */
  pending(session: TkSession | undefined): boolean {
    return (session?.connectCount ?? 0) > this.#seen;
  }

  due(session: TkSession | undefined, calendars: readonly TimekitCalendar[], hasValue: boolean): boolean {
    if (!this.pending(session)) return false;
    this.#seen = session!.connectCount;
    return !hasValue && syncedIds(calendars).length === 0;
  }
}

/**
 * The calendar to choose: the first row the picker shows, when it is a primary calendar (the
 * primary sorts first), so nothing is chosen the provider cannot see.
 */
export const primaryOnTop = (firstRow: TimekitCalendar | undefined): TimekitCalendar | undefined => (firstRow?.provider_primary ? firstRow : undefined);
