/**
 * TkSession: one per page (or per provider subtree). Gets widget credentials from the companion
 * (or the host's own `fetchCredentials`), keeps them in memory only, refreshes them shortly before
 * they expire, and talks to Timekit for the elements: calendar calls through the companion's relay
 * (Bearer) or, in direct mode, straight to Timekit (Basic + Timekit-App); widget calls (findtime,
 * availability, bookings) straight to Timekit with the widget credential. One calendar cache is
 * shared by every element that uses the session, and a change of synced calendars is followed by
 * one sync per burst (docs/timekit-api.md says why each choice holds whatever Timekit does).
 */
import type { TkSessionResponse, TkReadySession, TkSessionMode, TkWidgetCredential } from '../shared/companion-protocol.js';
import type { TimekitAccount, TimekitCalendar, TimekitPage, TimekitEnvelope } from '../shared/timekit.js';
import { TkError, codeForStatus, sessionRefusal, toTkError } from './errors.js';

/**
 * - `idle`: created, nothing asked yet;
 * - `loading`: the first credential request is under way;
 * - `signed-out`: the host user has no Timekit resource yet (show the connect button);
 * - `ready`: credentials in hand;
 * - `error`: the credential request failed (see `error`; `refresh()` tries again).
 */
export type TkSessionStatus = 'idle' | 'loading' | 'signed-out' | 'ready' | 'error';

/** Who is connected: display information only, never a token. */
export interface TkAccountInfo {
  readonly email: string;
  readonly resourceId: string;
  readonly mode: TkSessionMode;
  readonly accounts: readonly TimekitAccount[];
}

/** The host's own way to get a session (instead of a companion `endpoint`). */
export type TkCredentialsFetcher = (init: { signal: AbortSignal }) => Promise<TkSessionResponse>;

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

/**
 * The sync that follows a change of synced calendars:
 * - `idle`: nothing to sync, or the last sync worked;
 * - `pending`: calendars changed, the sync waits for the burst of writes to end;
 * - `syncing`: `POST /accounts/sync` is under way;
 * - `error`: it failed (see `syncError`; `sync()` tries again).
 */
export type TkSyncStatus = 'idle' | 'pending' | 'syncing' | 'error';

export interface TkRequestOptions {
  body?: unknown;
  signal?: AbortSignal;
}

interface Auth {
  readonly apiBase: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: number;
}

const MAX_TIMEOUT = 2 ** 31 - 1;
/** Timekit's widget endpoints (what booking.js calls): always straight to Timekit with the widget credential. */
const WIDGET_PATH = /^\/(findtime|availability|bookings)(\/|\?|$)/;
const PAGE_SIZE = 1000;
/**
 * How soon to try again when a background refresh fails for a passing reason; also the longest
 * wait before retrying a Timekit call, whatever its Retry-After says.
 */
const RETRY_MS = 10_000;

const utf8Base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

function isReady(body: unknown): body is TkReadySession {
  const b = body as Partial<TkReadySession> | null;
  return (
    typeof b === 'object' &&
    b !== null &&
    b.status === 'ready' &&
    (b.mode === 'direct' || b.mode === 'relay') &&
    typeof b.apiBase === 'string' &&
    typeof b.token === 'string' &&
    typeof b.email === 'string' &&
    typeof b.resourceId === 'string' &&
    typeof b.expiresAt === 'string' &&
    Array.isArray(b.accounts)
  );
}

/**
 * Events (plain `Event`s on the session):
 * - `change`: `status`, `account` or `error` changed;
 * - `calendars`: the calendar cache was dropped (a new account); elements reload;
 * - `availability`: the calendars picked for availability on this page changed;
 * - `sync`: `syncStatus` or `syncError` changed.
 */
export class TkSession extends EventTarget {
  /** The companion's base URL, absolute, without a trailing slash; undefined with `fetchCredentials` only. */
  readonly endpoint: string | undefined;

  // Secrets live in ES private fields: invisible to JSON.stringify, devtools property lists of
  // the elements, and any code holding the session object.
  #auth: Auth | undefined;
  #widget: { auth: Auth; credential: TkWidgetCredential } | undefined;
  readonly #fetchCredentials: TkCredentialsFetcher;
  readonly #refreshMarginMs: number;
  readonly #timeoutMs: number;
  readonly #retryDelayMs: number;
  readonly #syncDelayMs: number;
  #status: TkSessionStatus = 'idle';
  #account: TkAccountInfo | null = null;
  #error: TkError | null = null;
  #inflight: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #calendars: Promise<TimekitCalendar[]> | undefined;
  #calendarsVersion = 0;
  readonly #picks = new Map<object, readonly string[]>();
  #syncStatus: TkSyncStatus = 'idle';
  #syncError: TkError | null = null;
  #syncTimer: ReturnType<typeof setTimeout> | undefined;
  /** `provider_sync` writes under way: the sync waits until the last one has landed. */
  #writesInFlight = 0;

  constructor(options: TkSessionOptions) {
    super();
    const { endpoint, fetchCredentials } = options;
    this.endpoint = endpoint === undefined ? undefined : new URL(endpoint, document.baseURI).href.replace(/\/+$/, '');
    if (fetchCredentials) {
      this.#fetchCredentials = fetchCredentials;
    } else if (this.endpoint !== undefined) {
      this.#fetchCredentials = (init) => this.#fromCompanion(init.signal);
    } else {
      throw new TypeError('TkSession needs an endpoint or fetchCredentials');
    }
    this.#refreshMarginMs = options.refreshMarginMs ?? 60_000;
    this.#timeoutMs = options.timeoutMs ?? 15_000;
    this.#retryDelayMs = options.retryDelayMs ?? 1_000;
    this.#syncDelayMs = options.syncDelayMs ?? 1_500;
  }

  get status(): TkSessionStatus {
    return this.#status;
  }

  get account(): TkAccountInfo | null {
    return this.#account;
  }

  /** Why `status` is `error`. */
  get error(): TkError | null {
    return this.#error;
  }

  /**
   * The widget credential for Timekit's widget endpoints (findtime, availability, bookings), for
   * a booking page such as booking.js; null until the session is ready, or when the host's
   * `fetchCredentials` gave none. Secret: keep it in memory, never in the URL, storage or logs.
   */
  get widgetCredential(): TkWidgetCredential | null {
    return this.#widget ? { ...this.#widget.credential } : null;
  }

  /** Where the sync that follows a change of synced calendars stands. */
  get syncStatus(): TkSyncStatus {
    return this.#syncStatus;
  }

  /** Why `syncStatus` is `error`. */
  get syncError(): TkError | null {
    return this.#syncError;
  }

  /** Grows each time the calendar cache is dropped; elements put it in their task arguments. */
  get calendarsVersion(): number {
    return this.#calendarsVersion;
  }

  /** Asks for credentials the first time; later calls only re-arm the refresh timer. */
  start(): Promise<void> {
    if (this.#status === 'idle') return this.refresh();
    if (this.#status === 'ready' && this.#timer === undefined && this.#auth) this.#schedule(this.#auth.expiresAt);
    return this.#inflight ?? Promise.resolve();
  }

  /** Stops the refresh timer (the `<tk-session>` element calls it when it leaves the page). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Gets fresh credentials; concurrent calls share one request. `reload` also drops the calendar
   * cache (after connecting an account).
   */
  refresh(options: { reload?: boolean } = {}): Promise<void> {
    if (options.reload) this.#dropCalendars();
    this.#inflight ??= this.#load().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
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
    return this.#retrying(() => this.#attempt<T>(method, path, options), options.signal);
  }

  /**
   * Runs `run` again after a passing failure (a retryable TkError; an abort is none), at
   * most twice: after `Retry-After` or a doubling delay, capped at RETRY_MS. Not for the
   * session's own error: the credential request has had its retries already.
   */
  async #retrying<T>(run: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        if (!(error as TkError).retryable || error === this.#error || attempt > 1) throw error;
        // No, an unparsable (NaN) or a zero Retry-After all take the doubling delay.
        const wait = Math.min((error as TkError).retryAfterMs || this.#retryDelayMs * 2 ** attempt, RETRY_MS);
        await abortable(new Promise((resolve) => setTimeout(resolve, wait)), signal);
      }
    }
  }

  async #attempt<T>(method: string, path: string, options: TkRequestOptions): Promise<T | undefined> {
    const { signal } = options;
    const widget = WIDGET_PATH.test(path);
    let auth = await this.#ready(signal, widget);
    let response = await this.#send(auth, method, path, options);
    if (response.status === 401) {
      // Another request may have refreshed already: only refresh for the credential that failed.
      if (this.#authFor(widget) === auth) await this.refresh();
      auth = await this.#ready(signal, widget);
      response = await this.#send(auth, method, path, options);
    }
    if (!response.ok) {
      // Number(null) is 0: no Retry-After means the session's own delay
      throw new TkError(codeForStatus(response.status), `HTTP ${response.status}`, response.status, Number(response.headers.get('retry-after')) * 1e3);
    }
    const text = await response.text().catch(() => null);
    if (text !== null && text.trim() === '') return undefined;
    try {
      return JSON.parse(text!) as T;
    } catch {
      // A write Timekit accepted stays accepted, whatever came with it: sending it again could
      // only repeat it. A read without a readable answer is a passing failure.
      if (method !== 'GET') return undefined;
      throw new TkError('unavailable', 'Malformed answer', response.status);
    }
  }

  /** The resource's calendars, fetched once and shared; each caller's `signal` only stops its own wait. */
  async calendars(options: { signal?: AbortSignal } = {}): Promise<TimekitCalendar[]> {
    if (!this.#calendars) {
      const load = this.#loadCalendars();
      this.#calendars = load;
      // A failed load is not cached: the next call (a retry) asks again.
      load.catch(() => {
        if (this.#calendars === load) this.#calendars = undefined;
      });
    }
    return abortable(this.#calendars, options.signal);
  }

  /**
   * Writes `provider_sync` for one calendar and updates the shared cache; resolves to the calendar
   * as saved. Timekit may answer the write with the calendar or with no body (`204`): then the
   * calendar is read back, and a write Timekit has not kept is sent once more. Once the burst of
   * writes has landed, the session asks Timekit to sync (see `syncStatus`).
   */
  async setProviderSync(calendarId: string, sync: boolean, options: { signal?: AbortSignal } = {}): Promise<TimekitCalendar> {
    const path = `/calendars/${encodeURIComponent(calendarId)}`;
    const { signal } = options;
    this.#writesInFlight++;
    clearTimeout(this.#syncTimer);
    let saved: TimekitCalendar | undefined;
    try {
      for (let attempt = 0; saved?.provider_sync !== sync; attempt++) {
        if (attempt === 2) throw new TkError('unavailable', 'Timekit accepted the change but did not keep it');
        const answer = await this.request<TimekitEnvelope<TimekitCalendar>>('PUT', path, { body: { provider_sync: sync }, signal });
        saved = answer?.data?.id === calendarId ? answer.data : await this.#calendar(path, signal);
      }
      this.#setSync('pending', null);
    } finally {
      this.#writesInFlight--;
      if (this.#syncStatus === 'pending' && this.#writesInFlight === 0) {
        this.#syncTimer = setTimeout(() => void this.sync(), this.#syncDelayMs);
      }
    }
    const cached = this.#calendars;
    if (cached) this.#calendars = cached.then((list) => list.map((c) => (c.id === calendarId ? saved : c)));
    return saved;
  }

  /** One calendar as Timekit has it now. */
  async #calendar(path: string, signal?: AbortSignal): Promise<TimekitCalendar> {
    const answer = await this.request<TimekitEnvelope<TimekitCalendar>>('GET', path, { signal });
    if (!answer?.data) throw new TkError('unavailable', 'Malformed answer');
    return answer.data;
  }

  /**
   * Asks Timekit to sync the resource's calendar accounts (`POST /accounts/sync`), so it imports
   * the events of the calendars just chosen. The session does it by itself after a change of
   * synced calendars; call it to retry after a failure (`syncStatus` `error`).
   */
  async sync(): Promise<void> {
    clearTimeout(this.#syncTimer);
    this.#setSync('syncing', null);
    try {
      await this.request('POST', '/accounts/sync');
      // A write that landed meanwhile has armed another sync: leave it pending.
      if (this.#syncStatus === 'syncing') this.#setSync('idle', null);
    } catch (error) {
      this.#setSync('error', toTkError(error));
    }
  }

  /**
   * The calendars picked for availability by the pickers on this page (the union), or null when
   * no picker reported any. `<tk-booking-target>` warns when its target is not among them.
   */
  get availability(): string[] | null {
    if (this.#picks.size === 0) return null;
    return [...new Set([...this.#picks.values()].flat())];
  }

  /** A picker reports its selection; `null` withdraws it (the picker left the page). */
  setAvailability(owner: object, calendarIds: readonly string[] | null): void {
    if (calendarIds === null) this.#picks.delete(owner);
    else this.#picks.set(owner, calendarIds);
    this.dispatchEvent(new Event('availability'));
  }

  async #load(): Promise<void> {
    if (this.#status === 'idle' || this.#status === 'error') this.#set('loading', this.#account, null);
    let body: TkSessionResponse;
    try {
      body = await this.#retrying(() => {
        const signal = AbortSignal.timeout(this.#timeoutMs);
        // raced with the signal too: a host's fetchCredentials may ignore it
        return abortable(this.#fetchCredentials({ signal }), signal).catch((error: unknown) => {
          throw toTkError(error);
        });
      });
    } catch (error) {
      const tkError = error as TkError;
      // A background refresh that fails for a passing reason while the credential still works
      // leaves the elements working and tries again; everything else surfaces as an error.
      const life = (this.#auth?.expiresAt ?? 0) - Date.now();
      if (this.#status === 'ready' && tkError.retryable && life > RETRY_MS) {
        this.#later(RETRY_MS);
        return;
      }
      this.#auth = this.#widget = undefined;
      this.stop();
      this.#set('error', this.#account, tkError);
      return;
    }
    if (body?.status === 'signed-out') {
      this.#auth = this.#widget = undefined;
      this.stop();
      if (this.#account) this.#dropCalendars();
      this.#set('signed-out', null, null);
      return;
    }
    if (!isReady(body)) {
      this.#auth = this.#widget = undefined;
      this.#set('error', this.#account, new TkError('unavailable', 'Malformed session'));
      return;
    }
    const expiresAt = Date.parse(body.expiresAt);
    const apiBase = body.apiBase.replace(/\/+$/, '');
    this.#auth = {
      apiBase,
      expiresAt,
      headers: body.mode === 'direct' ? widgetHeaders(body.email, body.token, body.app) : { authorization: `Bearer ${body.token}` },
    };
    const widget: TkWidgetCredential | undefined =
      body.mode === 'direct' ? { apiBase, app: body.app, email: body.email, token: body.token, expiresAt: body.expiresAt } : body.widget;
    this.#widget =
      widget && typeof widget.token === 'string'
        ? {
            credential: { ...widget, apiBase: widget.apiBase.replace(/\/+$/, '') },
            auth: {
              apiBase: widget.apiBase.replace(/\/+$/, ''),
              expiresAt: Date.parse(widget.expiresAt),
              headers: widgetHeaders(widget.email, widget.token, widget.app),
            },
          }
        : undefined;
    const previous = this.#account;
    const account: TkAccountInfo = { email: body.email, resourceId: body.resourceId, mode: body.mode, accounts: body.accounts };
    const sameAccount =
      previous !== null &&
      previous.resourceId === account.resourceId &&
      previous.accounts.map((a) => a.provider_id).join() === account.accounts.map((a) => a.provider_id).join();
    // The first credentials belong to the calendars a caller may already be loading: keep that load.
    if (!sameAccount && previous !== null) this.#dropCalendars();
    if (body.calendars && !this.#calendars) this.#calendars = Promise.resolve(body.calendars);
    this.#schedule(expiresAt);
    this.#set('ready', sameAccount ? previous : account, null);
  }

  async #fromCompanion(signal: AbortSignal): Promise<TkSessionResponse> {
    // No body and no custom headers: a simple request, no CORS preflight.
    const response = await fetch(`${this.endpoint}/session`, { method: 'POST', credentials: 'include', signal });
    if (!response.ok) throw await sessionRefusal(response, this.endpoint!);
    return (await response.json()) as TkSessionResponse;
  }

  async #loadCalendars(): Promise<TimekitCalendar[]> {
    const all: TimekitCalendar[] = [];
    for (let page = 1; ; page++) {
      const body = await this.request<TimekitPage<TimekitCalendar>>('GET', `/calendars?limit=${PAGE_SIZE}&page=${page}`);
      const data = Array.isArray(body?.data) ? body.data : [];
      all.push(...data);
      if (!((body?.last_page ?? 0) > page) || data.length === 0) return all;
    }
  }

  async #ready(signal: AbortSignal | undefined, widget: boolean): Promise<Auth> {
    if (this.#status === 'idle') void this.refresh();
    if (this.#inflight) await abortable(this.#inflight, signal);
    if (!this.#auth) throw this.#error ?? new TkError('unauthorized', 'Not connected');
    // Without a widget credential the calendar path is the only one; a relay refuses widget calls itself.
    return this.#authFor(widget)!;
  }

  #authFor(widget: boolean): Auth | undefined {
    return widget && this.#widget ? this.#widget.auth : this.#auth;
  }

  async #send(auth: Auth, method: string, path: string, { body, signal }: TkRequestOptions): Promise<Response> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    try {
      return await fetch(`${auth.apiBase}${path}`, {
        method,
        headers: body === undefined ? auth.headers : { ...auth.headers, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        credentials: 'omit',
        // A widget credential is bound to the page's origin; Timekit may check it on the Referer,
        // which a strict page policy (no-referrer) would otherwise leave out.
        referrerPolicy: 'strict-origin',
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted) throw new TkError('network', 'Timed out');
      throw toTkError(error);
    }
  }

  #schedule(expiresAt: number): void {
    this.stop();
    const life = expiresAt - Date.now();
    if (!(life > 0)) return; // already expired (clock skew): the next 401 refreshes
    this.#later(life - Math.min(this.#refreshMarginMs, life / 2));
  }

  #later(delay: number): void {
    this.stop();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.refresh();
    }, Math.min(delay, MAX_TIMEOUT));
  }

  #dropCalendars(): void {
    this.#calendars = undefined;
    this.#calendarsVersion++;
    this.dispatchEvent(new Event('calendars'));
  }

  #setSync(status: TkSyncStatus, error: TkError | null): void {
    if (status === this.#syncStatus && error === this.#syncError) return;
    this.#syncStatus = status;
    this.#syncError = error;
    this.dispatchEvent(new Event('sync'));
  }

  #set(status: TkSessionStatus, account: TkAccountInfo | null, error: TkError | null): void {
    if (status === this.#status && account === this.#account && error === this.#error) return;
    this.#status = status;
    this.#account = account;
    this.#error = error;
    this.dispatchEvent(new Event('change'));
  }
}

function widgetHeaders(email: string, token: string, app: string): Record<string, string> {
  return { authorization: `Basic ${utf8Base64(`${email}:${token}`)}`, 'timekit-app': app };
}

/** Waits for a shared promise, but stops waiting (with the signal's reason) when `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  return signal
    ? Promise.race([
        promise,
        new Promise<never>((_, reject) => {
          signal.throwIfAborted();
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      ])
    : promise;
}
