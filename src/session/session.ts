/**
 * TkSession: one per page (or per provider subtree). Gets widget credentials from the companion
 * (or the host's own `fetchCredentials`), keeps them in memory only, refreshes them shortly before
 * they expire, and talks to Timekit for the elements: direct mode (Basic + Timekit-App) or relay
 * mode (Bearer), with one calendar cache shared by every element that uses the session.
 */
import type { TkSessionResponse, TkReadySession, TkSessionMode } from '../shared/session.js';
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
}

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
 * - `availability`: the calendars picked for availability on this page changed.
 */
export class TkSession extends EventTarget {
  /** The companion's base URL, absolute, without a trailing slash; undefined with `fetchCredentials` only. */
  readonly endpoint: string | undefined;

  // Secrets live in ES private fields: invisible to JSON.stringify, devtools property lists of
  // the elements, and any code holding the session object.
  #auth: Auth | undefined;
  readonly #fetchCredentials: TkCredentialsFetcher;
  readonly #refreshMarginMs: number;
  readonly #timeoutMs: number;
  readonly #retryDelayMs: number;
  #status: TkSessionStatus = 'idle';
  #account: TkAccountInfo | null = null;
  #error: TkError | null = null;
  #inflight: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #calendars: Promise<TimekitCalendar[]> | undefined;
  #calendarsVersion = 0;
  readonly #picks = new Map<object, readonly string[]>();

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
   * A Timekit call with the session's credentials, JSON in and out. On a 401 it refreshes the
   * credentials once and retries once. A passing failure (network, timeout, 429, 5xx, malformed
   * JSON) is tried again up to twice, after `Retry-After` or a doubling delay, capped. Throws
   * TkError, or the reason `signal` was aborted with (an AbortError for a plain `abort()`).
   */
  request<T>(method: string, path: string, options: TkRequestOptions = {}): Promise<T> {
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
        // `||`: no, an unparsable (NaN) or a zero Retry-After all take the doubling delay (`<<`: whole ms, and smaller than `* 2 **`).
        const wait = Math.min((error as TkError).retryAfterMs || this.#retryDelayMs << attempt, RETRY_MS);
        await abortable(new Promise((resolve) => setTimeout(resolve, wait)), signal);
      }
    }
  }

  async #attempt<T>(method: string, path: string, options: TkRequestOptions): Promise<T> {
    const { signal } = options;
    let auth = await this.#ready(signal);
    let response = await this.#send(auth, method, path, options);
    if (response.status === 401) {
      // Another request may have refreshed already: only refresh for the credential that failed.
      if (this.#auth === auth) await this.refresh();
      auth = await this.#ready(signal);
      response = await this.#send(auth, method, path, options);
    }
    if (!response.ok) {
      // Number(null) is 0: no Retry-After means the session's own delay
      throw new TkError(codeForStatus(response.status), `HTTP ${response.status}`, response.status, Number(response.headers.get('retry-after')) * 1e3);
    }
    try {
      return (await response.json()) as T;
    } catch {
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

  /** Writes `provider_sync` for one calendar and updates the shared cache. */
  async setProviderSync(calendarId: string, sync: boolean, options: { signal?: AbortSignal } = {}): Promise<TimekitCalendar> {
    const { data } = await this.request<TimekitEnvelope<TimekitCalendar>>('PUT', `/calendars/${encodeURIComponent(calendarId)}`, {
      body: { provider_sync: sync },
      signal: options.signal,
    });
    const cached = this.#calendars;
    if (cached) {
      this.#calendars = cached.then((list) => list.map((c) => (c.id === data.id ? data : c)));
    }
    return data;
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
      this.#auth = undefined;
      this.stop();
      this.#set('error', this.#account, tkError);
      return;
    }
    if (body?.status === 'signed-out') {
      this.#auth = undefined;
      this.stop();
      if (this.#account) this.#dropCalendars();
      this.#set('signed-out', null, null);
      return;
    }
    if (!isReady(body)) {
      this.#auth = undefined;
      this.#set('error', this.#account, new TkError('unavailable', 'Malformed session'));
      return;
    }
    const expiresAt = Date.parse(body.expiresAt);
    this.#auth = {
      apiBase: body.apiBase.replace(/\/+$/, ''),
      expiresAt,
      headers:
        body.mode === 'direct'
          ? { authorization: `Basic ${utf8Base64(`${body.email}:${body.token}`)}`, 'timekit-app': body.app }
          : { authorization: `Bearer ${body.token}` },
    };
    const previous = this.#account;
    const account: TkAccountInfo = { email: body.email, resourceId: body.resourceId, mode: body.mode, accounts: body.accounts };
    const sameAccount =
      previous !== null &&
      previous.resourceId === account.resourceId &&
      previous.accounts.map((a) => a.provider_id).join() === account.accounts.map((a) => a.provider_id).join();
    if (!sameAccount) this.#dropCalendars();
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
      all.push(...body.data);
      if (!(body.last_page > page) || body.data.length === 0) return all;
    }
  }

  async #ready(signal?: AbortSignal): Promise<Auth> {
    if (this.#status === 'idle') void this.refresh();
    if (this.#inflight) await abortable(this.#inflight, signal);
    if (!this.#auth) throw this.#error ?? new TkError('unauthorized', 'Not connected');
    return this.#auth;
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

  #set(status: TkSessionStatus, account: TkAccountInfo | null, error: TkError | null): void {
    if (status === this.#status && account === this.#account && error === this.#error) return;
    this.#status = status;
    this.#account = account;
    this.#error = error;
    this.dispatchEvent(new Event('change'));
  }
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
