/**
 * The Timekit client: every call the elements make, JSON in and out, on one of two paths. Widget
 * calls (findtime, availability, bookings; what booking.js calls) go straight to Timekit with the
 * widget credential; calendar calls go through the companion's relay (or to Timekit in direct
 * mode). Any 2xx is a success, a 401 refreshes the credentials once, and passing failures are
 * tried again (retry.ts). A calendar write that Timekit answers without the calendar is read back.
 */
import type { TimekitCalendar, TimekitEnvelope } from '../shared/timekit.js';
import type { CallCredential, Credentials } from './credentials.js';
import { TkError, codeForStatus } from './errors.js';
import { retrying } from './retry.js';

export interface TkRequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /**
   * `false`: a passing failure (network, 429, 5xx) is answered at once instead of tried again,
   * for a call whose retry the user decides on (default `true`).
   */
  retry?: boolean;
  /** Called before each retry after a passing failure, so a picker row can say it is still trying. */
  onRetry?: () => void;
}

export interface TimekitClientOptions {
  /** Give up on one attempt after this long. */
  timeoutMs: number;
  /** The first retry's delay when Timekit gives no `Retry-After`. */
  retryDelayMs: number;
}

/** Timekit's widget endpoints (what booking.js calls): always straight to Timekit with the widget credential. */
const WIDGET_PATH = /^\/(findtime|availability|bookings)(\/|\?|$)/;

export class TimekitClient {
  readonly #credentials: Credentials;
  readonly #options: TimekitClientOptions;

  constructor(credentials: Credentials, options: TimekitClientOptions) {
    this.#credentials = credentials;
    this.#options = options;
  }

  /**
   * See `TkSession.request`. `route` `calendar` sends even a widget endpoint on the calendar path
   * (the relay in relay mode), for `/availability`, which no source shows a widget credential calling.
   */
  request<T>(method: string, path: string, options: TkRequestOptions = {}, route: 'auto' | 'calendar' = 'auto'): Promise<T | undefined> {
    return retrying(() => this.#attempt<T>(method, path, options, route), {
      firstDelayMs: this.#options.retryDelayMs,
      signal: options.signal,
      // The session's own error: the credential request has had its retries already.
      isFinal: (error) => options.retry === false || error === this.#credentials.error,
      onRetry: options.onRetry,
    });
  }

  /**
   * Writes `provider_sync` for one calendar and resolves to the calendar as saved. Timekit may
   * answer the write with the calendar or with no body (`204`): then the calendar is read back,
   * and a write Timekit has not kept is sent once more. `retry: false` leaves a failed write to
   * the caller (the read-back is still tried again).
   */
  async writeProviderSync(
    calendarId: string,
    sync: boolean,
    { signal, retry, onRetry }: Pick<TkRequestOptions, 'signal' | 'retry' | 'onRetry'> = {},
  ): Promise<TimekitCalendar> {
    const path = `/calendars/${encodeURIComponent(calendarId)}`;
    let saved: TimekitCalendar | undefined;
    for (let attempt = 0; saved?.provider_sync !== sync; attempt++) {
      if (attempt === 2) throw new TkError('unavailable', 'Timekit accepted the change but did not keep it');
      const answer = await this.request<TimekitEnvelope<TimekitCalendar>>('PUT', path, { body: { provider_sync: sync }, signal, retry, onRetry });
      saved = answer?.data?.id === calendarId ? answer.data : await this.#readCalendar(path, signal);
    }
    return saved;
  }

  /** One calendar as Timekit has it now. */
  async #readCalendar(path: string, signal?: AbortSignal): Promise<TimekitCalendar> {
    const answer = await this.request<TimekitEnvelope<TimekitCalendar>>('GET', path, { signal });
    if (!answer?.data) throw new TkError('unavailable', 'Malformed answer');
    return answer.data;
  }

  async #attempt<T>(method: string, path: string, options: TkRequestOptions, route: 'auto' | 'calendar'): Promise<T | undefined> {
    const { signal } = options;
    const widget = route === 'auto' && WIDGET_PATH.test(path);
    let auth = await this.#credentials.ready(widget, signal);
    let response = await this.#send(auth, method, path, options);
    if (response.status === 401) {
      // Another request may have refreshed already: only refresh for the credential that failed.
      if (this.#credentials.current(widget) === auth) await this.#credentials.refresh();
      auth = await this.#credentials.ready(widget, signal);
      response = await this.#send(auth, method, path, options);
    }
    if (!response.ok) {
      // Number(null) is 0: no Retry-After means the session's own delay. Timekit's words stay in
      // the (developer's) message: a refused sync names the account whose grant stopped working.
      const said = (await response.text().catch(() => '')).slice(0, 500);
      throw new TkError(codeForStatus(response.status), `HTTP ${response.status} ${said}`.trim(), response.status, Number(response.headers.get('retry-after')) * 1e3);
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

  async #send(auth: CallCredential, method: string, path: string, { body, signal }: TkRequestOptions): Promise<Response> {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs);
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
      throw this.#credentials.unreachable(auth, error);
    }
  }
}
