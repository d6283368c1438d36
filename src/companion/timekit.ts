/**
 * The server-side Timekit client: calls as the app (app key) or as a resource (its token), with a
 * timeout, and maps failures onto the companion's error codes. Errors and log lines name the
 * method and path only: never a header, a query string or a body, so no secret can leak through them.
 */
import type { TimekitAccount, TimekitCalendar, TimekitCredential, TimekitEnvelope, TimekitPage, TimekitResource } from '../shared/timekit.js';
import { basicAuthorization } from '../shared/server/basic-auth.js';
import { CompanionError } from './errors.js';

/** Who a call acts as: the app, or a resource by its email and token. */
export type TimekitAuth = { app: true } | { email: string; token: string };

export interface RawAnswer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  headers: Headers;
  body: string;
}

/** Beyond the call itself: the caller's end, headers of its own, another timeout than the default. */
export interface RawOptions {
  /** The caller is gone (the relay's browser): ends the call. */
  signal?: AbortSignal;
  /** Sent as well (`origin`, `referer`); the client's own headers win over them. */
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/**
 * Timekit refused a call (a 4xx other than 429): `timekit-rejected`, with the status and, for a
 * 422, the names of the fields it refused (never their values).
 */
export class TimekitRefusal extends CompanionError {
  readonly timekitStatus: number;
  readonly fields: readonly string[];

  constructor(method: string, path: string, answer: RawAnswer) {
    super('timekit-rejected', `Timekit refused ${method} ${path} (${answer.status})`);
    this.timekitStatus = answer.status;
    let errors: unknown;
    try {
      errors = (JSON.parse(answer.body) as { errors?: unknown }).errors;
    } catch {
      errors = undefined;
    }
    this.fields = errors && typeof errors === 'object' ? Object.keys(errors) : [];
  }
}

const TIMEOUT_MS = 10_000;
/** Timekit's largest page. */
const PAGE_SIZE = 1000;
/** A search that Timekit ignores lists the whole app: this many pages bound a walk through a list. */
const MAX_PAGES = 20;
/** The pause before a read's one retry: a blip passes, and a browser already waiting is not kept long. */
const RETRY_DELAY_MS = 250;
/** Timekit calls one instance keeps open at once unless `maxTimekitCalls` says otherwise. */
export const DEFAULT_MAX_TIMEKIT_CALLS = 100;

/** How one attempt ended when Timekit gave no answer. */
type NoAnswer = 'timeout' | 'caller-gone' | 'refused' | 'unreachable';

export class TimekitClient {
  private readonly appAuthorization: string;
  private readonly fetchTimekit: typeof fetch;
  private inFlight = 0;

  /**
   * `fetchImpl` defaults to `globalThis.fetch` as it is now, not as it is at each call: a framework
   * may swap the global for a while (SvelteKit's dev server does while it renders a page, and warns
   * about any fetch then), and the companion's calls are not the page's.
   */
  constructor(
    readonly apiBase: string,
    readonly app: string,
    appKey: string,
    private readonly log: ((line: string) => void) | null,
    private readonly maxCalls = DEFAULT_MAX_TIMEKIT_CALLS,
    fetchImpl: typeof fetch = globalThis.fetch,
  ) {
    this.appAuthorization = basicAuthorization('', appKey);
    // Called unbound: a platform fetch may refuse another `this` than the global one.
    this.fetchTimekit = (input, init) => fetchImpl(input, init);
  }

  /** `null`: no authorization at all, as a browser following a signup link. */
  private headers(auth: TimekitAuth | null, hasBody: boolean, extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { ...extra, accept: 'application/json' };
    if (auth !== null && 'app' in auth) headers.authorization = this.appAuthorization;
    else if (auth !== null) {
      headers.authorization = basicAuthorization(auth.email, auth.token);
      headers['timekit-app'] = this.app;
    }
    if (hasBody) headers['content-type'] = 'application/json';
    return headers;
  }

  /**
   * One call, answered as Timekit sent it, and tried only once: its caller (the relay's browser,
   * the doctor) has its own retries or none. Only transport failures throw (`timekit-unavailable`).
   */
  raw(method: string, pathAndQuery: string, auth: TimekitAuth | null, body?: unknown, options: RawOptions = {}): Promise<RawAnswer> {
    return this.send(method, pathAndQuery, auth, body, { ...options, retry: false });
  }

  /**
   * At most `maxCalls` calls are open at once, and past that a call fails at once: a hanging
   * Timekit then holds a bounded number of sockets, not one per browser request. With `retry`, a
   * read is tried once more after a 5xx (other than Timekit's 503 rate limit) or a lost connection,
   * and a write only when the connection was refused, so Timekit never saw it; neither after a
   * timeout, since the caller has waited long enough.
   */
  private async send(
    method: string,
    pathAndQuery: string,
    auth: TimekitAuth | null,
    body: unknown,
    { retry, ...options }: RawOptions & { retry: boolean },
  ): Promise<RawAnswer> {
    const path = pathAndQuery.split('?')[0];
    if (this.inFlight >= this.maxCalls) {
      this.log?.(`timekit ${method} ${path}: not sent, ${this.maxCalls} calls already waiting for Timekit`);
      throw new CompanionError('timekit-unavailable', 'Timekit is slow to answer; try again shortly', { 'retry-after': '1' });
    }
    this.inFlight += 1;
    try {
      const first = await this.attempt(method, pathAndQuery, auth, body, options);
      const read = method === 'GET';
      const again = retry && (typeof first === 'string' ? first === 'refused' || (read && first === 'unreachable') : read && isTimekitFailure(first));
      const answer = again ? await sleep(RETRY_DELAY_MS).then(() => this.attempt(method, pathAndQuery, auth, body, options)) : first;
      if (typeof answer !== 'string') return answer;
      const reason = answer === 'timeout' ? `no answer in ${(options.timeoutMs ?? TIMEOUT_MS) / 1000} s` : answer === 'caller-gone' ? "the browser's request was gone" : 'unreachable';
      this.log?.(`timekit ${method} ${path}: ${reason}`);
      throw new CompanionError('timekit-unavailable', 'Timekit is unavailable; try again shortly');
    } finally {
      this.inFlight -= 1;
    }
  }

  private async attempt(method: string, pathAndQuery: string, auth: TimekitAuth | null, body: unknown, options: RawOptions): Promise<RawAnswer | NoAnswer> {
    const { signal } = options;
    const timeout = AbortSignal.timeout(options.timeoutMs ?? TIMEOUT_MS);
    if (signal?.aborted) return 'caller-gone';
    try {
      const response = await this.fetchTimekit(`${this.apiBase}${pathAndQuery}`, {
        method,
        headers: this.headers(auth, body !== undefined, options.headers),
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        retryAfter: response.headers.get('retry-after'),
        headers: response.headers,
        body: await response.text(),
      };
    } catch (error) {
      if (timeout.aborted) return 'timeout';
      if (signal?.aborted) return 'caller-gone';
      return (error as { cause?: { code?: unknown } }).cause?.code === 'ECONNREFUSED' ? 'refused' : 'unreachable';
    }
  }

  /**
   * One call of the companion's own (a mint, a connect callback, a provision: no browser tries
   * them again, and a callback's nonce is spent), retried as `send` says. Any 2xx is a success,
   * parsed when it has a JSON body and `undefined` when it has none (`204`, or an empty `200`).
   * Any refusal becomes a CompanionError.
   */
  async call<T>(method: string, pathAndQuery: string, auth: TimekitAuth, body?: unknown): Promise<T | undefined> {
    const answer = await this.send(method, pathAndQuery, auth, body, { retry: true });
    const path = pathAndQuery.split('?')[0];
    if (answer.status >= 200 && answer.status < 300) {
      if (answer.body.trim() === '') return undefined;
      try {
        return JSON.parse(answer.body) as T;
      } catch {
        this.log?.(`timekit ${method} ${path}: ${answer.status} with malformed JSON`);
        // A write Timekit accepted stays accepted; only a read needs what the answer says.
        if (method !== 'GET') return undefined;
        throw new CompanionError('timekit-unavailable', 'Timekit answered malformed JSON; try again shortly');
      }
    }
    this.log?.(`timekit ${method} ${path}: ${answer.status}`);
    // Timekit limits test apps with 429 and live apps with 503, both with Retry-After.
    if (answer.status === 429 || (answer.status === 503 && answer.retryAfter !== null)) {
      const retry = answer.retryAfter && /^\d+$/.test(answer.retryAfter) ? answer.retryAfter : '1';
      throw new CompanionError('rate-limited', 'Timekit is rate limiting this app; try again shortly', { 'retry-after': retry });
    }
    if (answer.status >= 500) throw new CompanionError('timekit-unavailable', 'Timekit is failing; try again shortly');
    throw new TimekitRefusal(method, path, answer);
  }

  /** The `data` of a call whose answer must carry one (a create, a read). */
  async data<T>(method: string, pathAndQuery: string, auth: TimekitAuth, body?: unknown): Promise<T> {
    const answer = await this.call<TimekitEnvelope<T>>(method, pathAndQuery, auth, body);
    if (answer === undefined || answer === null || typeof answer !== 'object' || !('data' in answer) || answer.data == null) {
      this.log?.(`timekit ${method} ${pathAndQuery.split('?')[0]}: answered without data`);
      throw new CompanionError('timekit-unavailable', 'Timekit answered without the expected data; try again shortly');
    }
    return answer.data;
  }

  /**
   * A list page by page (`limit`, `page`; Laravel's `last_page`), or its one page when Timekit does
   * not paginate it; a caller may stop early. `path` must have no `limit` or `page` of its own.
   */
  async *pages<T>(path: string, auth: TimekitAuth): AsyncGenerator<T[]> {
    const joiner = path.includes('?') ? '&' : '?';
    for (let page = 1; ; page++) {
      if (page > MAX_PAGES) {
        throw new CompanionError('timekit-rejected', `Timekit listed more than ${MAX_PAGES * PAGE_SIZE} items for GET ${path.split('?')[0]}`);
      }
      const answer = await this.call<TimekitPage<T>>('GET', `${path}${joiner}limit=${PAGE_SIZE}&page=${page}`, auth);
      const data = Array.isArray(answer?.data) ? answer.data : [];
      yield data;
      if (data.length === 0 || !(Number(answer?.last_page) > page)) return;
    }
  }

  /** Every item of a list (see `pages`). */
  async list<T>(path: string, auth: TimekitAuth): Promise<T[]> {
    const items: T[] = [];
    for await (const data of this.pages<T>(path, auth)) items.push(...data);
    return items;
  }

  createResource(input: { name: string; email: string; timezone: string }) {
    return this.data<TimekitResource>('POST', '/resources', { app: true }, input);
  }

  /** The resource with this id, with the `include`s asked for. */
  resource(id: string, include: string) {
    return this.data<TimekitResource>('GET', `/resources/${encodeURIComponent(id)}?include=${include}`, { app: true });
  }

  /**
   * The resource with exactly this email (case-insensitive), as the app sees it, or null. The
   * search is only a hint: Timekit documents no `email` search on /resources, and an unknown search
   * field may be ignored (the whole list) or match loosely (docs/timekit-api.md), so every result's
   * email is checked, page after page (Laravel's `last_page`), up to `MAX_SEARCH_PAGES` pages.
   */
  async findResourceByEmail(email: string): Promise<TimekitResource | null> {
    const wanted = email.toLowerCase();
    for await (const data of this.pages<TimekitResource>(`/resources?search=${encodeURIComponent(`email:${email}`)}`, { app: true })) {
      const match = data.find((resource) => typeof resource?.email === 'string' && resource.email.toLowerCase() === wanted);
      if (match) return match;
    }
    return null;
  }

  createCalendar(resourceId: string, name: string) {
    return this.data<TimekitCalendar>('POST', '/calendars', { app: true }, { name, resource_id: resourceId });
  }

  /**
   * The credentials Timekit lists for `auth` (a resource: its own; the app: those of the search),
   * with `scopes` and `referrer` as arrays whichever way Timekit writes them. Timekit may ignore a
   * search it does not support, so callers check what comes back themselves.
   */
  async credentials(auth: TimekitAuth, search?: string): Promise<TimekitCredential[]> {
    const all = await this.list<TimekitCredential>(search ? `/credentials?search=${encodeURIComponent(search)}` : '/credentials', auth);
    return all.map((c) => ({ ...c, scopes: asArray(c.scopes), referrer: asArray(c.referrer) }));
  }

  /** The resource's own client-token credentials. */
  async listClientTokens(auth: TimekitAuth): Promise<TimekitCredential[]> {
    return (await this.credentials(auth)).filter((c) => c.type === 'client-token');
  }

  createWidgetCredential(auth: TimekitAuth, input: { origin: string; expires: string; description: string }) {
    // Strings, not arrays: the one documented request sends them so (Timekit answers with arrays).
    const body = { type: 'client-token', scopes: 'widget', referrer: input.origin, expires: input.expires, description: input.description };
    return this.data<TimekitCredential>('POST', '/credentials', auth, body);
  }

  async deleteCredential(auth: TimekitAuth, id: string): Promise<void> {
    await this.call('DELETE', `/credentials/${encodeURIComponent(id)}`, auth);
  }

  async sync(auth: TimekitAuth): Promise<void> {
    await this.call('POST', '/accounts/sync', auth);
  }

  /**
   * The resource's calendar accounts, as the session response passes them to the browser: only
   * entries with a text provider and provider_id, and only the fields the elements read.
   */
  async accounts(auth: TimekitAuth): Promise<TimekitAccount[]> {
    const accounts = await this.data<unknown>('GET', '/accounts', auth);
    return (Array.isArray(accounts) ? accounts : []).flatMap((account: Partial<Record<keyof TimekitAccount, unknown>> | null) =>
      typeof account?.provider === 'string' && typeof account.provider_id === 'string'
        ? [{ provider: account.provider, provider_id: account.provider_id, last_sync: typeof account.last_sync === 'string' ? account.last_sync : null } as TimekitAccount]
        : [],
    );
  }

  calendars(auth: TimekitAuth) {
    return this.list<TimekitCalendar>('/calendars', auth);
  }
}

/** Timekit failing (a 5xx), as opposed to its 503 rate limit, which says how long to wait (Retry-After). */
export function isTimekitFailure(answer: RawAnswer): boolean {
  return answer.status >= 500 && !(answer.status === 503 && answer.retryAfter !== null);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function asArray<T>(value: T | T[] | null | undefined): T[] {
  return value == null ? [] : Array.isArray(value) ? value : [value];
}
