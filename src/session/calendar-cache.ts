/**
 * The resource's calendars, loaded once (every page of them) and shared by every element that
 * uses the session. The cache is dropped when the credentials change account; `version` grows
 * each time, so elements can put it in their task arguments and reload.
 */
import type { TimekitCalendar, TimekitPage } from '../shared/timekit.js';
import { abortable } from './abortable.js';
import type { TimekitClient } from './timekit-client.js';

/** Timekit's largest page: most resources fit in one request. */
const PAGE_SIZE = 1000;

export class CalendarCache {
  readonly #client: Pick<TimekitClient, 'request'>;
  readonly #onDrop: () => void;
  #calendars: Promise<TimekitCalendar[]> | undefined;
  #version = 0;

  /** `onDrop` runs after each drop, when elements should load again. */
  constructor(client: Pick<TimekitClient, 'request'>, onDrop: () => void) {
    this.#client = client;
    this.#onDrop = onDrop;
  }

  /** Grows each time the cache is dropped. */
  get version(): number {
    return this.#version;
  }

  /** The calendars, fetched once and shared; each caller's `signal` only stops its own wait. */
  list(signal?: AbortSignal): Promise<TimekitCalendar[]> {
    if (!this.#calendars) {
      const load = this.load();
      this.#calendars = load;
      // A failed load is not cached: the next call (a retry) asks again.
      load.catch(() => {
        if (this.#calendars === load) this.#calendars = undefined;
      });
    }
    return abortable(this.#calendars, signal);
  }

  /** Calendars that came with the session answer; a load already under way is kept. */
  seed(calendars: TimekitCalendar[]): void {
    if (!this.#calendars) this.#calendars = Promise.resolve(calendars);
  }

  /** Puts one calendar, as saved, in place of the cached copy. */
  replace(calendarId: string, saved: TimekitCalendar): void {
    const cached = this.#calendars;
    if (cached) this.#calendars = cached.then((list) => list.map((c) => (c.id === calendarId ? saved : c)));
  }

  /** The list loaded (or loading) now, if any. */
  get cached(): Promise<TimekitCalendar[]> | undefined {
    return this.#calendars;
  }

  /** Drops the cached list, for `fresh` when given (a sync changed it), and lets elements reload. */
  drop(fresh?: TimekitCalendar[]): void {
    this.#calendars = fresh && Promise.resolve(fresh);
    this.#version++;
    this.#onDrop();
  }

  /** Every page of the list from Timekit, bypassing the cache. */
  async load(): Promise<TimekitCalendar[]> {
    const all: TimekitCalendar[] = [];
    for (let page = 1; ; page++) {
      const body = await this.#client.request<TimekitPage<TimekitCalendar>>('GET', `/calendars?limit=${PAGE_SIZE}&page=${page}`);
      const data = Array.isArray(body?.data) ? body.data : [];
      all.push(...data);
      if (!((body?.last_page ?? 0) > page) || data.length === 0) return all;
    }
  }
}
