/**
 * FakeSession with the session's working-hours API (the rules the page's rules element reports, the saved
 * rules, bookable slots) and a sync status the test sets, for `<tk-availability-preview>`'s tests.
 */
import type { TkAvailabilityRules, TkSlot } from '../../../src/shared/constraints.js';
import type { TkSession, TkSyncStatus } from '../../../src/session/session-service.js';
import { FakeSession, deferred, type Deferred } from './fake-session.js';

export type SlotsQuery = Parameters<TkSession['bookableSlots']>[0];

/** Monday to Friday, 9 to 17, in Berlin. */
export const WEEKDAYS_9_TO_17: TkAvailabilityRules = {
  timezone: 'Europe/Berlin',
  constraints: (['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const).map((day) => ({ allow_day_and_time: { day, start: 9, end: 17 } })),
};

export class FakeAvailabilitySession extends FakeSession {
  /** What `bookableSlots` answers unless `holdSlots` is set. */
  slots: TkSlot[] = [];
  /** When true, `bookableSlots` calls wait on the deferred in `slotCalls`. */
  holdSlots = false;
  readonly slotCalls: Array<{ query: SlotsQuery; deferred: Deferred<TkSlot[]> }> = [];
  /** What `loadAvailabilityRules` answers (a TkError fails it). */
  savedRules: (TkAvailabilityRules & { saved: boolean }) | Error = { ...WEEKDAYS_9_TO_17, saved: true };
  loadRulesCalls = 0;

  #rules: TkAvailabilityRules | null = null;
  #syncStatus: TkSyncStatus = 'idle';

  override get availabilityRules(): TkAvailabilityRules | null {
    return this.#rules;
  }

  override setAvailabilityRules(_owner: object, rules: TkAvailabilityRules | null): void {
    this.#rules = rules;
    this.dispatchEvent(new Event('rules'));
  }

  override async loadAvailabilityRules(): Promise<TkAvailabilityRules & { saved: boolean }> {
    this.loadRulesCalls++;
    if (this.savedRules instanceof Error) throw this.savedRules;
    return structuredClone(this.savedRules);
  }

  override async bookableSlots(query: SlotsQuery): Promise<TkSlot[]> {
    const call = deferred<TkSlot[]>();
    this.slotCalls.push({ query, deferred: call });
    query.signal?.addEventListener('abort', () => call.reject(new DOMException('Aborted', 'AbortError')));
    if (!this.holdSlots) call.resolve(structuredClone(this.slots));
    return call.promise;
  }

  override get syncStatus(): TkSyncStatus {
    return this.#syncStatus;
  }

  /** Plays the picker's sync: sets `syncStatus` and fires `sync`. */
  setSyncStatus(status: TkSyncStatus): void {
    this.#syncStatus = status;
    this.dispatchEvent(new Event('sync'));
  }
}

