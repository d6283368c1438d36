/**
 * A TkSession for unit tests, injected through `.session` or a provider: the test decides what
 * the credential request answers and holds, resolves or fails calendar loads and saves.
 */
import { TkSession } from '../../../src/session/session-service.js';
import { TkError, type TkErrorCode } from '../../../src/session/errors.js';
import type { TkSessionResponse } from '../../../src/shared/companion-protocol.js';
import type { TimekitCalendar } from '../../../src/shared/timekit.js';
import type { TkAvailabilityRules } from '../../../src/shared/constraints.js';

/** A secret-looking token, so tests can search the page for it. */
export const FAKE_TOKEN = 'fake-widget-token-3f9c1a7e';

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

let seq = 0;

/** A calendar with sensible defaults. */
export function calendar(fields: Partial<TimekitCalendar> = {}): TimekitCalendar {
  seq++;
  return {
    id: `cal-${seq}`,
    name: `Calendar ${seq}`,
    description: null,
    foregroundcolor: null,
    backgroundcolor: '#4285f4',
    provider: 'google',
    provider_id: `cal-${seq}@example.com`,
    provider_access: 'owner',
    provider_primary: false,
    provider_sync: false,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...fields,
  };
}

export const readySession = (fields: Partial<TkSessionResponse> = {}): TkSessionResponse =>
  ({
    status: 'ready',
    mode: 'direct',
    apiBase: 'https://api.invalid/v2',
    app: 'tk-test',
    email: 'alex.morgan@example.com',
    resourceId: 'res-1',
    token: FAKE_TOKEN,
    expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
    accounts: [{ provider: 'google', provider_id: 'alex.morgan@example.com', last_sync: null }],
    ...fields,
  }) as TkSessionResponse;

export class FakeSession extends TkSession {
  /** What the next credential request answers (or throws). */
  next: TkSessionResponse | TkError = readySession();
  /** What calendar loads answer unless `holdCalendars` is set. */
  calendarList: TimekitCalendar[] = [];
  /** When true, calendar loads wait on a deferred in `calendarLoads`. */
  holdCalendars = false;
  readonly calendarLoads: Array<{ signal?: AbortSignal; deferred: Deferred<TimekitCalendar[]> }> = [];
  /** While set, `setProviderSync` calls fail with it. */
  failSync: TkError | undefined;
  /** When true, `setProviderSync` calls wait on a deferred in `syncCalls`. */
  holdSync = false;
  readonly syncCalls: Array<{ id: string; sync: boolean; deferred: Deferred<TimekitCalendar> }> = [];

  /** What rules loads answer unless `holdRules` is set (a new provider: nothing saved yet). */
  storedRules: TkAvailabilityRules & { saved: boolean } = { constraints: [], timezone: 'Europe/Berlin', saved: false };
  /** When true, rules loads wait on a deferred in `rulesLoads`. */
  holdRules = false;
  readonly rulesLoads: Array<{ signal?: AbortSignal; deferred: Deferred<TkAvailabilityRules & { saved: boolean }> }> = [];
  /** While set, `saveAvailabilityRules` calls fail with it. */
  failRulesSave: TkError | undefined;
  /** When true, `saveAvailabilityRules` calls wait on a deferred in `rulesSaves`. */
  holdRulesSave = false;
  readonly rulesSaves: Array<{ rules: TkAvailabilityRules; deferred: Deferred<TkAvailabilityRules> }> = [];
  /** Every `setAvailabilityRules` report, in order. */
  readonly reportedRules: Array<TkAvailabilityRules | null> = [];

  /** `endpoint` only matters to `<tk-google-connect>`, which opens `<endpoint>/google/start`. */
  constructor(options: { endpoint?: string } = {}) {
    // A passing failure (`become('network')`) is retried twice before the error shows: 30 ms here,
    // not the 3 s of the default delays. These tests want the error state; session.test.ts times
    // the retries on the real TkSession.
    super({ endpoint: options.endpoint, fetchCredentials: async () => this.answer(), retryDelayMs: 10 });
  }

  /** How many times credentials were asked for. */
  credentialRequests = 0;

  /** When set, credential requests wait for it (to hold the session in `loading`). */
  credentialsGate: Deferred<void> | undefined;

  private async answer(): Promise<TkSessionResponse> {
    this.credentialRequests++;
    if (this.credentialsGate) await this.credentialsGate.promise;
    if (this.next instanceof TkError) throw this.next;
    return this.next;
  }

  /** Makes the session ready (or another answer) and waits for it. */
  async become(next: TkSessionResponse | TkErrorCode): Promise<void> {
    this.next = typeof next === 'string' ? new TkError(next) : next;
    await this.refresh();
  }

  override async calendars(options: { signal?: AbortSignal } = {}): Promise<TimekitCalendar[]> {
    const load = deferred<TimekitCalendar[]>();
    this.calendarLoads.push({ signal: options.signal, deferred: load });
    options.signal?.addEventListener('abort', () => load.reject(new DOMException('Aborted', 'AbortError')));
    if (!this.holdCalendars) load.resolve(structuredClone(this.calendarList));
    return load.promise;
  }

  override async setProviderSync(calendarId: string, sync: boolean): Promise<TimekitCalendar> {
    const call = deferred<TimekitCalendar>();
    this.syncCalls.push({ id: calendarId, sync, deferred: call });
    if (this.failSync) call.reject(this.failSync);
    else if (!this.holdSync) {
      const found = this.calendarList.find((c) => c.id === calendarId)!;
      found.provider_sync = sync;
      call.resolve(structuredClone(found));
    }
    return call.promise;
  }

  override async loadAvailabilityRules(options: { signal?: AbortSignal } = {}): Promise<TkAvailabilityRules & { saved: boolean }> {
    const load = deferred<TkAvailabilityRules & { saved: boolean }>();
    this.rulesLoads.push({ signal: options.signal, deferred: load });
    options.signal?.addEventListener('abort', () => load.reject(new DOMException('Aborted', 'AbortError')));
    if (!this.holdRules) load.resolve(structuredClone(this.storedRules));
    return load.promise;
  }

  override async saveAvailabilityRules(rules: TkAvailabilityRules): Promise<TkAvailabilityRules> {
    const call = deferred<TkAvailabilityRules>();
    this.rulesSaves.push({ rules: structuredClone(rules), deferred: call });
    if (this.failRulesSave) call.reject(this.failRulesSave);
    else if (!this.holdRulesSave) {
      this.storedRules = { ...structuredClone(rules), saved: true };
      call.resolve(structuredClone(rules));
    }
    return call.promise;
  }

  override setAvailabilityRules(_owner: object, rules: TkAvailabilityRules | null): void {
    this.reportedRules.push(rules && structuredClone(rules));
  }
}
