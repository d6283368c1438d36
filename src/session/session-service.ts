/**
 * TkSession: one per page (or per provider subtree), the service every element reads through
 * context. This file is the facade: the options, the public members and the events. Each concern
 * has its own module:
 * - credentials.ts: getting widget credentials, keeping them in memory only, refreshing them;
 * - timekit-client.ts: the calls to Timekit (relay or widget path, retries, the read-back);
 * - calendar-cache.ts: one calendar list shared by every element;
 * - account-sync.ts: one sync per burst of changes to the synced calendars;
 * - account-status.ts: which calendar accounts stopped working, as the syncs tell;
 * - pending-account.ts: the provider's answer to a second account on a new resource (loaded on use);
 * - picker-selections.ts: what the pickers on the page picked, for `<tk-booking-target>`;
 * - availability-rules.ts: working hours and bookable slots (loaded on first use).
 * docs/timekit-api.md says why each choice holds whatever Timekit does.
 */
import type { TkWidgetCredential } from '../shared/companion-protocol.js';
import type { TkAvailabilityRules, TkSlot } from '../shared/constraints.js';
import type { TimekitCalendar } from '../shared/timekit.js';
import type { AccountKey, TkAccountStatus } from './account-status.js';
import { AccountSync, type TkSyncStatus } from './account-sync.js';
import { CalendarCache } from './calendar-cache.js';
import { Credentials, companionCredentials, type TkAccountInfo, type TkCredentialsFetcher, type TkSessionStatus } from './credentials.js';
import { endpointRefusal, TkError } from './errors.js';
import { PickerSelections } from './picker-selections.js';
import { TimekitClient, type TkRequestOptions } from './timekit-client.js';
import { TypedEventTarget } from './typed-event-target.js';
import type { SlotsQuery } from './availability-requests.js';

export type { TkAccountInfo, TkCredentialsFetcher, TkSessionStatus } from './credentials.js';
export type { TkRequestOptions } from './timekit-client.js';
export type { TkSyncStatus } from './account-sync.js';
export type { TkAccountStatus } from './account-status.js';

export interface TkSessionOptions {
  /** The companion's base URL (`POST <endpoint>/session`, `<endpoint>/google/start`). */
  endpoint?: string;
  /** Used instead of `POST <endpoint>/session` when given. */
  fetchCredentials?: TkCredentialsFetcher;
  /** How long before `expiresAt` to refresh (default 60 s, at most half the credential's life). */
  refreshMarginMs?: number;
  /** Give up on a request after this long (default 15 s). */
  timeoutMs?: number;
  /** The first retry's delay when Timekit gives no `Retry-After`; the second waits twice as long (default 1 s). */
  retryDelayMs?: number;
  /** How long after the last `provider_sync` write lands the session asks Timekit to sync (default 1.5 s). */
  syncDelayMs?: number;
}

/** The session's events, all plain `Event`s: read the new state from the session itself. */
export interface TkSessionEventMap {
  /** `status`, `account` or `error` changed. */
  change: Event;
  /** The calendar cache was dropped (a new account) or a sync changed the list; elements reload. */
  calendars: Event;
  /** The calendar ids picked for availability on this page changed (`pickedCalendarIds`). */
  availability: Event;
  /** `syncStatus` or `syncError` changed. */
  sync: Event;
  /** The rules the rules element on this page shows changed (`availabilityRules`). */
  rules: Event;
  /** An account's `accountStatus` changed. */
  accounts: Event;
}

const accountKey = (account: AccountKey) => `${account.provider} ${account.provider_id.toLowerCase()}`;

export class TkSession extends TypedEventTarget<TkSessionEventMap> {
  /**
   * The companion's base URL, absolute, without a trailing slash; undefined with `fetchCredentials`
   * only, and for an endpoint that is not http(s) (then the session's `error` says so).
   */
  readonly endpoint: string | undefined;

  // Each part holds its own state in ES private fields; the credentials' secrets stay out of
  // reach of any code holding the session object.
  readonly #credentials: Credentials;
  readonly #client: TimekitClient;
  readonly #calendars: CalendarCache;
  readonly #accountSync: AccountSync;
  /** The accounts the last sync said stopped working (`accountKey`s, sorted). */
  #disconnected: readonly string[] = [];
  readonly #timeoutMs: number;
  readonly #syncDelayMs: number;
  /** The resource the health sync ran (or waits to run) for, and its timer. */
  #healthFor: string | undefined;
  #healthTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #pickerSelections = new PickerSelections();
  /** The rules each rules element reports, the latest report last. */
  readonly #shownRules = new Map<object, TkAvailabilityRules>();
  #availabilityPath: 'availability' | 'findtime' | null = null;
  #connects = 0;

  constructor(options: TkSessionOptions) {
    super();
    const { endpoint, fetchCredentials } = options;
    if (!fetchCredentials && endpoint === undefined) throw new TypeError('TkSession needs an endpoint or fetchCredentials');
    const url = endpoint === undefined ? undefined : new URL(endpoint, globalThis.document?.baseURI);
    // The connect button navigates to the endpoint: a `javascript:` one would run in this page.
    // Refused as a bad configuration: the session stays in `error` with the reason.
    const refused = url && url.protocol !== 'http:' && url.protocol !== 'https:' ? url.protocol : undefined;
    this.endpoint = url && !refused ? url.href.replace(/\/+$/, '') : undefined;
    const timeoutMs = (this.#timeoutMs = options.timeoutMs ?? 15_000);
    const retryDelayMs = options.retryDelayMs ?? 1_000;
    this.#syncDelayMs = options.syncDelayMs ?? 1_500;
    this.#credentials = new Credentials({
      fetchCredentials: refused ? () => endpointRefusal(refused) : (fetchCredentials ?? companionCredentials(this.endpoint!)),
      endpoint: this.endpoint,
      refreshMarginMs: options.refreshMarginMs ?? 60_000,
      timeoutMs,
      retryDelayMs,
      onChange: () => {
        this.#scheduleHealthSync();
        this.dispatch('change');
      },
      onAccountChange: () => {
        this.#setDisconnected([]);
        this.#calendars.drop();
      },
      onCalendars: (calendars) => this.#calendars.seed(calendars),
    });
    this.#client = new TimekitClient(this.#credentials, { timeoutMs, retryDelayMs });
    this.#calendars = new CalendarCache(this.#client, () => this.dispatch('calendars'));
    this.#accountSync = new AccountSync(this.#client, this.#syncDelayMs, () => this.dispatch('sync'), (failure) => void this.#learn(failure));
  }

  get status(): TkSessionStatus {
    return this.#credentials.status;
  }

  get account(): TkAccountInfo | null {
    return this.#credentials.account;
  }

  /** Why `status` is `error`. */
  get error(): TkError | null {
    return this.#credentials.error;
  }

  /**
   * The widget credential for Timekit's widget endpoints (findtime, availability, bookings), for
   * a booking page such as booking.js; null until the session is ready, or when the host's
   * `fetchCredentials` gave none. Secret: keep it in memory, never in the URL, storage or logs.
   */
  get widgetCredential(): TkWidgetCredential | null {
    return this.#credentials.widgetCredential;
  }

  /** Where the sync that follows a change of synced calendars stands. */
  get syncStatus(): TkSyncStatus {
    return this.#accountSync.status;
  }

  /** Why `syncStatus` is `error`. */
  get syncError(): TkError | null {
    return this.#accountSync.error;
  }

  /** Grows each time the calendar cache is dropped; elements put it in their task arguments. */
  get calendarsVersion(): number {
    return this.#calendars.version;
  }

  /** Asks for credentials the first time; later calls only re-arm the refresh timer. */
  start(): Promise<void> {
    return this.#credentials.start();
  }

  /** Stops the refresh timer (the `<tk-session>` element calls it when it leaves the page). */
  stop(): void {
    this.#credentials.stop();
    clearTimeout(this.#healthTimer);
  }

  /**
   * Gets fresh credentials; concurrent calls share one request. `reload` also drops the calendar
   * cache and counts every account as connected again (after connecting an account); it counts
   * as a connect made on this page (`connectCount`).
   */
  refresh(options: { reload?: boolean } = {}): Promise<void> {
    if (options.reload) {
      // Counted before the drop, so the calendars that load next are the connect's.
      this.#connects++;
      this.#setDisconnected([]);
      this.#calendars.drop();
    }
    return this.#credentials.refresh();
  }

  /**
   * How many connects the provider made on this page: `refresh({reload: true})` after a popup round
   * trip, or `noteConnect()` after a redirect one. The pickers choose their defaults (the primary
   * calendar) only for calendars loaded after a connect made here, never on a plain reload, so
   * they never choose again what the provider un-ticked.
   */
  get connectCount(): number {
    return this.#connects;
  }

  /**
   * Counts a connect that the page loaded with (a redirect round trip came back), where the
   * session loaded the new account's calendars with the page rather than after `refresh`.
   */
  noteConnect(): void {
    this.#connects++;
    this.dispatch('change');
  }

  /**
   * Whether a calendar account of the resource (one of `account.accounts`) still works, as the last
   * sync told: `disconnected` once Timekit refused a sync naming it (or naming none: Timekit's
   * wording is undocumented), `connected` again after a sync that worked, a reconnect
   * (`refresh({reload: true})`) or another resource. The `accounts` event says when it changes.
   */
  accountStatus(account: AccountKey): TkAccountStatus {
    return this.#disconnected.includes(accountKey(account)) ? 'disconnected' : 'connected';
  }

  /**
   * The provider's answer to `account.pendingAccount` (a later connect that Timekit put on a new
   * resource): `true` makes the new resource the provider's (its working hours move over when it
   * has none; the calendars load again and the choices made for the old resource no longer
   * count), `false` keeps the old one and forgets the new. Resolves once the session shows the
   * result (`change`). Rejects with a TkError (`retryable` when trying again may help); needs the
   * companion `endpoint`.
   */
  async resolvePendingAccount(accept: boolean): Promise<void> {
    const { resolvePending } = await import('./pending-account.js');
    this.#credentials.apply(await resolvePending(this.endpoint, accept, this.#timeoutMs));
  }

  /**
   * A Timekit call with the session's credentials, JSON in and out: widget endpoints (`/findtime`,
   * `/availability`, `/bookings`) with the widget credential straight to Timekit, everything else
   * on the session's calendar path (the relay, or Timekit in direct mode). Any 2xx is a success:
   * it resolves to the parsed body, or `undefined` when there is none (a `204`), and is never sent
   * again. On a 401 it refreshes the credentials once and retries once. A passing failure (network,
   * timeout, 429, 5xx, a read answered with malformed JSON) is tried again up to twice, after
   * `Retry-After` or a doubling delay, capped. Throws TkError, or the reason `signal` was aborted
   * with (an AbortError for a plain `abort()`).
   */
  request<T>(method: string, path: string, options: TkRequestOptions = {}): Promise<T | undefined> {
    return this.#client.request<T>(method, path, options);
  }

  /** The resource's calendars, fetched once and shared; each caller's `signal` only stops its own wait. */
  async calendars(options: { signal?: AbortSignal } = {}): Promise<TimekitCalendar[]> {
    return this.#calendars.list(options.signal);
  }

  /**
   * Writes `provider_sync` for one calendar and updates the shared cache; resolves to the calendar
   * as saved. Timekit may answer the write with the calendar or with no body (`204`): then the
   * calendar is read back, and a write Timekit has not kept is sent once more. Once the burst of
   * writes has landed, the session asks Timekit to sync (see `syncStatus`). `retry: false` sends
   * the write once, a passing failure included (the caller offers the retry); `onRetry` is called
   * before each retry after a passing failure.
   */
  async setProviderSync(calendarId: string, sync: boolean, options: Pick<TkRequestOptions, 'signal' | 'retry' | 'onRetry'> = {}): Promise<TimekitCalendar> {
    const saved = await this.#accountSync.trackWrite(() => this.#client.writeProviderSync(calendarId, sync, options));
    this.#calendars.replace(calendarId, saved);
    return saved;
  }

  /**
   * Asks Timekit to sync the resource's calendar accounts (`POST /accounts/sync`), so it imports
   * the events of the calendars just chosen. The session does it by itself after a change of
   * synced calendars; call it to retry after a failure (`syncStatus` `error`).
   */
  sync(): Promise<void> {
    return this.#accountSync.sync();
  }

  /**
   * The calendar ids the pickers on this page picked for availability (the union), or null when
   * no picker reported any. `<tk-booking-target>` warns when its target is not among them.
   */
  get pickedCalendarIds(): string[] | null {
    return this.#pickerSelections.union;
  }

  /**
   * A picker reports the calendar ids it picked; `null` withdraws them (the picker left the page).
   * `pick`, when given, adds a calendar to its selection as the provider's tick would (see
   * `pickForAvailability`).
   */
  reportPickedCalendars(owner: object, calendarIds: readonly string[] | null, pick?: (calendarId: string) => void): void {
    this.#pickerSelections.set(owner, calendarIds, pick);
    this.dispatch('availability');
  }

  /**
   * Adds a calendar to availability in the page's calendar picker, as the provider's tick would
   * (saved, and announced in the picker's `tk-change`): the booking target's one-click fix.
   * Answers false when no picker on the page takes it.
   */
  pickForAvailability(calendarId: string): boolean {
    return this.#pickerSelections.pick(calendarId);
  }

  /** @deprecated Renamed `pickedCalendarIds` (it is the picked calendar ids, not Timekit's availability). */
  get availability(): string[] | null {
    return this.pickedCalendarIds;
  }

  /** @deprecated Renamed `reportPickedCalendars`. */
  setAvailability(owner: object, calendarIds: readonly string[] | null): void {
    this.reportPickedCalendars(owner, calendarIds);
  }

  /**
   * The resource's rules as Timekit holds them (`GET /resources/:id` on the calendar path: the
   * relay, or Timekit in direct mode). `saved: false` when the resource has no constraints yet.
   */
  async loadAvailabilityRules(options: { signal?: AbortSignal } = {}): Promise<TkAvailabilityRules & { saved: boolean }> {
    const [rules, account] = await Promise.all([import('./availability-requests.js'), this.#readyAccount(options.signal)]);
    return rules.loadRules(this.#client, account, options.signal);
  }

  /**
   * Writes `availability_constraints` and `timezone` (`PUT /resources/:id` with only those two
   * fields) and resolves to the rules as saved (read back when Timekit answers 204). Throws
   * TkError: `invalid` past Timekit's 64,000 characters of JSON.
   */
  async saveAvailabilityRules(rules: TkAvailabilityRules, options: { signal?: AbortSignal } = {}): Promise<TkAvailabilityRules> {
    const [module, account] = await Promise.all([import('./availability-requests.js'), this.#readyAccount(options.signal)]);
    return module.saveRules(this.#client, account, rules, options.signal);
  }

  /**
   * Bookable slots for the provider under `rules`: `POST /availability` (`resources: [resourceId]`
   * and `constraints`) through the relay in relay mode, else (direct mode, or the relay refuses it)
   * `POST /findtime` with the widget credential over `calendarIds` and the rules as filters.
   * `from`/`to` are RFC 3339; `length` like `"1 hour"`; `timezone` is the zone Timekit answers in.
   * `availabilityPath` says which endpoint answered.
   */
  async bookableSlots(query: SlotsQuery): Promise<TkSlot[]> {
    const [module, account] = await Promise.all([import('./availability-requests.js'), this.#readyAccount(query.signal)]);
    const { slots, path } = await module.bookableSlots(this.#client, account, query);
    this.#availabilityPath = path;
    return slots;
  }

  /** Which endpoint the last `bookableSlots` used (diagnostics). */
  get availabilityPath(): 'availability' | 'findtime' | null {
    return this.#availabilityPath;
  }

  /** The rules the rules element on this page currently shows (saved or not), or null when none reported. */
  get availabilityRules(): TkAvailabilityRules | null {
    return [...this.#shownRules.values()].at(-1) ?? null;
  }

  /** A rules element reports the rules it shows; `null` withdraws them (it left the page). */
  setAvailabilityRules(owner: object, rules: TkAvailabilityRules | null): void {
    const before = this.availabilityRules;
    this.#shownRules.delete(owner);
    if (rules !== null) this.#shownRules.set(owner, rules);
    if (this.availabilityRules !== before) this.dispatch('rules');
  }

  /**
   * Once the session is ready for a resource with calendar accounts, one quiet sync tells whether
   * they still work (and imports calendars made at Google or Microsoft since). It waits as long as
   * the burst sync does, so the page's first requests go first; it leaves `syncStatus` alone.
   */
  #scheduleHealthSync(): void {
    const account = this.account;
    if (this.status !== 'ready' || !account?.accounts.length || account.resourceId === this.#healthFor) return;
    this.#healthFor = account.resourceId;
    clearTimeout(this.#healthTimer);
    this.#healthTimer = setTimeout(async () => {
      const { healthSync } = await import('./account-status.js');
      const failure = await healthSync(this.#client, this.#calendars);
      if (this.account?.resourceId === account.resourceId) await this.#learn(failure);
    }, this.#syncDelayMs);
  }

  /** What one sync (`failure` null when it worked) says about the accounts' status. */
  async #learn(failure: TkError | null): Promise<void> {
    if (failure === null) return this.#setDisconnected([]);
    const { disconnectedBy } = await import('./account-status.js');
    const named = disconnectedBy(failure, this.account?.accounts ?? []);
    if (named) this.#setDisconnected(named);
  }

  #setDisconnected(accounts: readonly AccountKey[]): void {
    const keys = accounts.map(accountKey).sort();
    if (keys.join('\n') === this.#disconnected.join('\n')) return;
    this.#disconnected = keys;
    this.dispatch('accounts');
  }

  /** The signed-in account once credentials are in hand; throws the session's error, or `unauthorized` when signed out. */
  async #readyAccount(signal?: AbortSignal): Promise<TkAccountInfo> {
    await this.#credentials.ready(false, signal);
    const account = this.#credentials.account;
    if (!account) throw new TkError('unauthorized', 'Not connected');
    return account;
  }
}
