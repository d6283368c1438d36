/**
 * The session's credentials: where they come from (the companion's `POST <endpoint>/session`, or
 * the host's own `fetchCredentials`), where they are kept (ES private fields, memory only), and
 * when they are renewed (shortly before they expire; concurrent callers share one request). The
 * Timekit client asks this module for the headers of each call.
 */
import type { TkPendingAccount, TkReadySession, TkSessionMode, TkSessionResponse, TkWidgetCredential } from '../shared/companion-protocol.js';
import type { TimekitAccount, TimekitCalendar } from '../shared/timekit.js';
import { abortable } from './abortable.js';
import { TkError, sessionRefusal, toTkError, unreachableRelay } from './errors.js';
import { RETRY_MS, retrying } from './retry.js';

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
  /**
   * A later connect put the provider on another resource, which waits for a yes or no
   * (`TkSession#resolvePendingAccount`); `provider` is null for a plain resource.
   */
  readonly pendingAccount: TkPendingAccount | null;
}

/** The host's own way to get a session (instead of a companion `endpoint`). */
export type TkCredentialsFetcher = (init: { signal: AbortSignal }) => Promise<TkSessionResponse>;

/** How a call reaches Timekit with one credential: where to send it and the headers that authenticate it. */
export interface CallCredential {
  readonly apiBase: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly expiresAt: number;
}

export interface CredentialsOptions {
  fetchCredentials: TkCredentialsFetcher;
  /** The companion's absolute URL, when the session has one: a relay `apiBase` that is only a path is resolved against it. */
  endpoint?: string;
  /** How long before `expiresAt` to refresh (at most half the credential's life). */
  refreshMarginMs: number;
  /** Give up on one credential request after this long. */
  timeoutMs: number;
  /** The first retry's delay after a passing failure. */
  retryDelayMs: number;
  /** `status`, `account` or `error` changed. */
  onChange(): void;
  /** The credentials now belong to another account, or to none: what was cached for the old one is stale. */
  onAccountChange(): void;
  /** The session answer came with the resource's calendars (saves the first calendar load). */
  onCalendars(calendars: TimekitCalendar[]): void;
}

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_TIMEOUT = 2 ** 31 - 1;

/** The credential request to the companion: `POST <endpoint>/session` with the page's cookies. */
export function companionCredentials(endpoint: string): TkCredentialsFetcher {
  return async ({ signal }) => {
    // No body and no custom headers: a simple request, no CORS preflight.
    const response = await fetch(`${endpoint}/session`, { method: 'POST', credentials: 'include', signal });
    if (!response.ok) throw await sessionRefusal(response, endpoint);
    return (await response.json()) as TkSessionResponse;
  };
}

export class Credentials {
  readonly #options: CredentialsOptions;
  // Secrets live in ES private fields: invisible to JSON.stringify, devtools property lists of
  // the elements, and any code holding the session object.
  #auth: CallCredential | undefined;
  /** The endpoint, when the relay `apiBase` is not `<endpoint>/api/v2` (the companion's `publicUrl` named another place). */
  #relayAwayFrom: string | undefined;
  #widget: { auth: CallCredential; credential: TkWidgetCredential } | undefined;
  #status: TkSessionStatus = 'idle';
  #account: TkAccountInfo | null = null;
  #error: TkError | null = null;
  #inflight: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: CredentialsOptions) {
    this.#options = options;
  }

  get status(): TkSessionStatus {
    return this.#status;
  }

  get account(): TkAccountInfo | null {
    return this.#account;
  }

  get error(): TkError | null {
    return this.#error;
  }

  /** A copy of the widget credential, or null when there is none. */
  get widgetCredential(): TkWidgetCredential | null {
    return this.#widget ? { ...this.#widget.credential } : null;
  }

  /** Asks for credentials the first time; later calls only re-arm the refresh timer. */
  start(): Promise<void> {
    if (this.#status === 'idle') return this.refresh();
    if (this.#status === 'ready' && this.#timer === undefined && this.#auth) this.#schedule(this.#auth.expiresAt);
    return this.#inflight ?? Promise.resolve();
  }

  /** Stops the refresh timer. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Gets fresh credentials; concurrent calls share one request. */
  refresh(): Promise<void> {
    this.#inflight ??= this.#load().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /**
   * The credential for one call, once any request under way has answered: the widget credential
   * for a widget call when there is one, else the calendar path's. Throws the session's error, or
   * `unauthorized` when signed out.
   */
  async ready(widget: boolean, signal?: AbortSignal): Promise<CallCredential> {
    if (this.#status === 'idle') void this.refresh();
    if (this.#inflight) await abortable(this.#inflight, signal);
    if (!this.#auth) throw this.#error ?? new TkError('unauthorized', 'Not connected');
    // Without a widget credential the calendar path is the only one; a relay refuses widget calls itself.
    return this.current(widget)!;
  }

  /**
   * What a call that got no answer from `auth.apiBase` (`error`, from fetch) failed with: on a relay
   * away from the endpoint that answered the session, `misconfigured` (see `unreachableRelay`),
   * else a plain `network` error.
   */
  unreachable(auth: CallCredential, error: unknown): TkError {
    const endpoint = this.#relayAwayFrom;
    return endpoint && auth === this.#auth ? unreachableRelay(auth.apiBase, endpoint) : toTkError(error);
  }

  /** The credential a call would use now, without waiting (to tell whether a 401 met the current one). */
  current(widget: boolean): CallCredential | undefined {
    return widget && this.#widget ? this.#widget.auth : this.#auth;
  }

  async #load(): Promise<void> {
    const { fetchCredentials, timeoutMs, retryDelayMs } = this.#options;
    if (this.#status === 'idle' || this.#status === 'error') this.#set('loading', this.#account, null);
    let body: TkSessionResponse;
    try {
      body = await retrying(
        () => {
          const signal = AbortSignal.timeout(timeoutMs);
          // raced with the signal too: a host's fetchCredentials may ignore it
          return abortable(fetchCredentials({ signal }), signal).catch((error: unknown) => {
            throw toTkError(error);
          });
        },
        { firstDelayMs: retryDelayMs },
      );
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
    this.apply(body);
  }

  /** Takes a session answer as a refresh would (the companion's answer to another request, such as `/accounts/pending`). */
  apply(body: TkSessionResponse): void {
    if (body?.status === 'signed-out') {
      this.#auth = this.#widget = undefined;
      this.stop();
      if (this.#account) this.#options.onAccountChange();
      this.#set('signed-out', null, null);
      return;
    }
    const apiBase = isReady(body) ? this.#resolve(body.apiBase) : null;
    if (!isReady(body) || apiBase === null) {
      this.#auth = this.#widget = undefined;
      this.#set('error', this.#account, new TkError('unavailable', 'Malformed session'));
      return;
    }
    this.#keep(body, apiBase);
    const previous = this.#account;
    const account: TkAccountInfo = {
      email: body.email,
      resourceId: body.resourceId,
      mode: body.mode,
      accounts: body.accounts,
      pendingAccount: body.pendingAccount ?? null,
    };
    const sameAccount =
      previous !== null &&
      previous.resourceId === account.resourceId &&
      previous.accounts.map((a) => a.provider_id).join() === account.accounts.map((a) => a.provider_id).join();
    // The first credentials belong to the calendars a caller may already be loading: keep that load.
    if (!sameAccount && previous !== null) this.#options.onAccountChange();
    if (body.calendars) this.#options.onCalendars(body.calendars);
    this.#schedule(this.#auth!.expiresAt);
    const samePending = previous?.pendingAccount?.email === account.pendingAccount?.email;
    this.#set('ready', sameAccount && samePending ? previous : account, null);
  }

  /**
   * Keeps the credentials of a ready answer: in direct mode one Timekit credential serves both
   * paths (Basic + Timekit-App); in relay mode calendar calls carry the relay token (Bearer) and
   * widget calls the widget credential, when the answer has one.
   */
  #keep(body: TkReadySession, apiBase: string): void {
    const { endpoint } = this.#options;
    this.#relayAwayFrom = body.mode === 'relay' && apiBase !== `${endpoint}/api/v2` ? endpoint : undefined;
    this.#auth = {
      apiBase,
      expiresAt: Date.parse(body.expiresAt),
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
  }

  /**
   * `apiBase` as an absolute URL without a trailing slash, a path resolved against the endpoint
   * (without one, the page's); null when it is no URL at all.
   */
  #resolve(apiBase: string): string | null {
    try {
      return new URL(apiBase, this.#options.endpoint ?? globalThis.document?.baseURI).href.replace(/\/+$/, '');
    } catch {
      return null;
    }
  }

  #schedule(expiresAt: number): void {
    this.stop();
    const life = expiresAt - Date.now();
    if (!(life > 0)) return; // already expired (clock skew): the next 401 refreshes
    this.#later(life - Math.min(this.#options.refreshMarginMs, life / 2));
  }

  #later(delay: number): void {
    this.stop();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.refresh();
    }, Math.min(delay, MAX_TIMEOUT));
  }

  #set(status: TkSessionStatus, account: TkAccountInfo | null, error: TkError | null): void {
    if (status === this.#status && account === this.#account && error === this.#error) return;
    this.#status = status;
    this.#account = account;
    this.#error = error;
    this.#options.onChange();
  }
}

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

/** Timekit's own authentication: Basic `email:token` (UTF-8) plus the app's slug. */
function widgetHeaders(email: string, token: string, app: string): Record<string, string> {
  return { authorization: `Basic ${utf8Base64(`${email}:${token}`)}`, 'timekit-app': app };
}

const utf8Base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
