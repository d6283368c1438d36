/**
 * The server-side Timekit client: calls as the app (app key) or as a resource (its token), with a
 * timeout, and maps failures onto the companion's error codes. Errors and log lines name the
 * method and path only: never a header, a query string or a body, so no secret can leak through them.
 */
import type { TimekitAccount, TimekitCalendar, TimekitCredential, TimekitEnvelope, TimekitPage, TimekitResource } from '../shared/timekit.js';
import { CompanionError } from './http.js';

/** Who a call acts as: the app, or a resource by its email and token. */
export type TimekitAuth = { app: true } | { email: string; token: string };

export interface RawAnswer {
  status: number;
  contentType: string | null;
  retryAfter: string | null;
  body: string;
}

const TIMEOUT_MS = 10_000;
/** Resources per page when looking one up by email (Timekit's maximum `limit`). */
const SEARCH_PAGE_SIZE = 1000;
/** A search that Timekit ignores lists the whole app: this many pages bound the walk. */
const MAX_SEARCH_PAGES = 20;

export class TimekitClient {
  private readonly appAuthorization: string;

  constructor(
    readonly apiBase: string,
    readonly app: string,
    appKey: string,
    private readonly log: ((line: string) => void) | null,
  ) {
    this.appAuthorization = `Basic ${Buffer.from(`:${appKey}`).toString('base64')}`;
  }

  private headers(auth: TimekitAuth, hasBody: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if ('app' in auth) headers.authorization = this.appAuthorization;
    else {
      headers.authorization = `Basic ${Buffer.from(`${auth.email}:${auth.token}`).toString('base64')}`;
      headers['timekit-app'] = this.app;
    }
    if (hasBody) headers['content-type'] = 'application/json';
    return headers;
  }

  /** One call, answered as Timekit sent it; only transport failures throw (`timekit-unavailable`). */
  async raw(method: string, pathAndQuery: string, auth: TimekitAuth, body?: unknown): Promise<RawAnswer> {
    const path = pathAndQuery.split('?')[0];
    try {
      const response = await fetch(`${this.apiBase}${pathAndQuery}`, {
        method,
        headers: this.headers(auth, body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        retryAfter: response.headers.get('retry-after'),
        body: await response.text(),
      };
    } catch (error) {
      const reason = (error as Error).name === 'TimeoutError' ? `no answer in ${TIMEOUT_MS / 1000} s` : 'unreachable';
      this.log?.(`timekit ${method} ${path}: ${reason}`);
      throw new CompanionError(502, 'timekit-unavailable', 'Timekit is unavailable; try again shortly');
    }
  }

  /** One call whose success is JSON; any refusal becomes a CompanionError. */
  async call<T>(method: string, pathAndQuery: string, auth: TimekitAuth, body?: unknown): Promise<T> {
    const answer = await this.raw(method, pathAndQuery, auth, body);
    const path = pathAndQuery.split('?')[0];
    if (answer.status === 204) return undefined as T;
    if (answer.status >= 200 && answer.status < 300) {
      try {
        return JSON.parse(answer.body) as T;
      } catch {
        this.log?.(`timekit ${method} ${path}: ${answer.status} with malformed JSON`);
        throw new CompanionError(502, 'timekit-unavailable', 'Timekit answered malformed JSON; try again shortly');
      }
    }
    this.log?.(`timekit ${method} ${path}: ${answer.status}`);
    // Timekit limits test apps with 429 and live apps with 503, both with Retry-After.
    if (answer.status === 429 || (answer.status === 503 && answer.retryAfter !== null)) {
      const retry = answer.retryAfter && /^\d+$/.test(answer.retryAfter) ? answer.retryAfter : '1';
      throw new CompanionError(429, 'rate-limited', 'Timekit is rate limiting this app; try again shortly', { 'retry-after': retry });
    }
    if (answer.status >= 500) throw new CompanionError(502, 'timekit-unavailable', 'Timekit is failing; try again shortly');
    throw new CompanionError(502, 'timekit-rejected', `Timekit refused ${method} ${path} (${answer.status})`);
  }

  createResource(input: { name: string; email: string; timezone: string }) {
    return this.call<TimekitEnvelope<TimekitResource>>('POST', '/resources', { app: true }, input).then((r) => r.data);
  }

  /**
   * The resource with exactly this email (case-insensitive), as the app sees it, or null. The
   * search is only a hint: Timekit documents no `email` search on /resources, and an unknown search
   * field may be ignored (the whole list) or match loosely (docs/timekit-api.md), so every result's
   * email is checked, page after page (Laravel's `last_page`), up to `MAX_SEARCH_PAGES` pages.
   */
  async findResourceByEmail(email: string): Promise<TimekitResource | null> {
    const wanted = email.toLowerCase();
    for (let page = 1; page <= MAX_SEARCH_PAGES; page++) {
      const query = new URLSearchParams({ search: `email:${email}`, limit: String(SEARCH_PAGE_SIZE), page: String(page) });
      const answer = await this.call<TimekitPage<TimekitResource>>('GET', `/resources?${query}`, { app: true });
      const data = Array.isArray(answer?.data) ? answer.data : [];
      const match = data.find((resource) => typeof resource?.email === 'string' && resource.email.toLowerCase() === wanted);
      if (match) return match;
      const lastPage = typeof answer?.last_page === 'number' ? answer.last_page : page;
      if (data.length === 0 || page >= lastPage) return null;
    }
    throw new CompanionError(
      502,
      'timekit-rejected',
      `Timekit's search for the resource went past ${MAX_SEARCH_PAGES * SEARCH_PAGE_SIZE} resources without an exact email match`,
    );
  }

  createCalendar(resourceId: string, name: string) {
    return this.call<TimekitEnvelope<TimekitCalendar>>('POST', '/calendars', { app: true }, { name, resource_id: resourceId }).then(
      (r) => r.data,
    );
  }

  /** The resource's client-token credentials (first page of up to 1,000). */
  listClientTokens(auth: TimekitAuth) {
    return this.call<TimekitPage<TimekitCredential>>('GET', '/credentials?search=type:client-token&limit=1000', auth).then((r) => r.data);
  }

  createWidgetCredential(auth: TimekitAuth, input: { origin: string; expires: string; description: string }) {
    const body = { type: 'client-token', scopes: ['widget'], referrer: [input.origin], expires: input.expires, description: input.description };
    return this.call<TimekitEnvelope<TimekitCredential>>('POST', '/credentials', auth, body).then((r) => r.data);
  }

  deleteCredential(auth: TimekitAuth, id: string) {
    return this.call<void>('DELETE', `/credentials/${encodeURIComponent(id)}`, auth);
  }

  sync(auth: TimekitAuth) {
    return this.call<unknown>('POST', '/accounts/sync', auth);
  }

  accounts(auth: TimekitAuth) {
    return this.call<TimekitEnvelope<TimekitAccount[]>>('GET', '/accounts', auth).then((r) => r.data);
  }

  calendars(auth: TimekitAuth) {
    return this.call<TimekitPage<TimekitCalendar>>('GET', '/calendars?limit=1000', auth).then((r) => r.data);
  }
}
