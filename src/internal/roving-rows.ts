/**
 * Roving focus over a picker's rows: all its rows are one Tab stop, the arrow keys, Home and End
 * move the focus among the rows that can be chosen, and a virtualized list that has the Tab stop's
 * row off screen (out of the DOM) hands the Tab stop to its scroller, which passes the focus on.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { TimekitCalendar } from '../shared/timekit.js';
import type { CalendarGroup } from './calendars.js';

/** One list of rows in the scroller: a provider's group with its legend, or the flat list. */
export interface RowList {
  group?: CalendarGroup;
  rows: readonly TimekitCalendar[];
}

export interface RovingRowsHost extends ReactiveControllerHost {
  readonly renderRoot: HTMLElement | DocumentFragment;
}

export interface RovingRowsOptions {
  /** Whether a calendar's row can be chosen (the arrow keys skip those that cannot). */
  canChoose(calendar: TimekitCalendar): boolean;
  /** The row the Tab stop starts on rather than the first (a radio group's checked one). */
  startId(): string | undefined;
}

/** Row moves for the arrow keys (left/right as up/down, as native radios do). */
const STEPS: Record<string, number> = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };

export class RovingRows implements ReactiveController {
  readonly #host: RovingRowsHost;
  readonly #options: RovingRowsOptions;
  /** The row last moved to or focused in the list; none: the start row, else the first. */
  #activeId: string | undefined;
  /** The lists rendered last, in order, to find a row's list when scrolling to it. */
  #lists: RowList[] = [];
  /** Their rows that can be chosen, in order: the ones the arrow keys move among. */
  #choosable: TimekitCalendar[] = [];
  /** The calendar whose control is the list's one Tab stop. */
  #tabStop: string | undefined;

  constructor(host: RovingRowsHost, options: RovingRowsOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The lists about to be rendered: the Tab stop is chosen among their rows. */
  setLists(lists: RowList[]): void {
    this.#lists = lists;
    const choosable = lists.flatMap((list) => list.rows).filter((c) => this.#options.canChoose(c));
    this.#choosable = choosable;
    const start = [this.#activeId, this.#options.startId()].find((id) => id !== undefined && choosable.some((c) => c.id === id));
    this.#tabStop = start ?? choosable[0]?.id;
  }

  /** Each row control's `tabindex`: 0 for the list's one Tab stop, -1 for the others. */
  tabIndex(calendar: TimekitCalendar): number {
    return calendar.id === this.#tabStop ? 0 : -1;
  }

  hostConnected(): void {
    // The virtualizer renders other rows as the list scrolls, without an update of the host (its
    // event does not bubble: capture).
    this.#host.renderRoot.addEventListener('rangeChanged', this.#handleRangeChanged, { capture: true });
  }

  hostDisconnected(): void {
    this.#host.renderRoot.removeEventListener('rangeChanged', this.#handleRangeChanged, { capture: true });
  }

  /** The event comes before the rows of the new range are rendered (by a listener of its own): look once they are. */
  readonly #handleRangeChanged = (): void => queueMicrotask(this.#updateScrollerTabStop);

  hostUpdated(): void {
    this.#updateScrollerTabStop();
  }

  /** The scroller takes the Tab stop while its row is out of the DOM (a virtualized list scrolled away). */
  readonly #updateScrollerTabStop = (): void => {
    const scroller = this.#scroller();
    if (scroller) scroller.tabIndex = this.#tabStop !== undefined && !this.#rowControl(this.#tabStop) ? 0 : -1;
  };

  readonly handleKeydown = (event: KeyboardEvent): void => {
    const target = event.target as HTMLElement;
    const onRow = target instanceof HTMLInputElement && (target.type === 'checkbox' || target.type === 'radio');
    if (!onRow && target.getAttribute('part') !== 'scroller') return;
    const rows = this.#choosable;
    if (rows.length === 0) return;
    const here = onRow ? target.closest<HTMLElement>('[data-id]')?.dataset['id'] : this.#tabStop;
    const from = Math.max(0, rows.findIndex((c) => c.id === here));
    let to: number;
    if (event.key === 'Home') to = 0;
    else if (event.key === 'End') to = rows.length - 1;
    else if (event.key in STEPS && !event.altKey && !event.ctrlKey && !event.metaKey) to = Math.min(rows.length - 1, Math.max(0, from + STEPS[event.key]!));
    else return;
    // also stops a native radio's arrow keys choosing every calendar passed through
    event.preventDefault();
    void this.#focusRow(rows[to]!.id);
  };

  /** A row focused by pointer or Tab becomes the one the arrow keys move from. */
  readonly handleFocusin = (event: FocusEvent): void => {
    const id = (event.target as HTMLElement).closest<HTMLElement>('[data-id]')?.dataset['id'];
    if (id !== undefined && event.target instanceof HTMLInputElement) this.#setActive(id);
  };

  /** The scroller itself got the focus (it had the Tab stop): on to the row. */
  readonly handleScrollerFocus = (event: FocusEvent): void => {
    if (event.target === event.currentTarget && this.#tabStop !== undefined) void this.#focusRow(this.#tabStop);
  };

  /**
   * Leaving the list, the Tab stop goes back to the start row (browsers let Tab reach only a radio
   * group's checked radio), else the first.
   */
  readonly handleFocusout = (event: FocusEvent): void => {
    const scroller = event.currentTarget as HTMLElement;
    if (!scroller.contains(event.relatedTarget as Node | null)) this.#setActive(undefined);
  };

  #setActive(id: string | undefined): void {
    if (id === this.#activeId) return;
    this.#activeId = id;
    this.#host.requestUpdate();
  }

  /** Moves the Tab stop to a row and focuses it, scrolling a virtualized list to it first. */
  async #focusRow(id: string): Promise<void> {
    this.#setActive(id);
    await this.#host.updateComplete;
    let control = this.#rowControl(id);
    if (!control) {
      this.#scrollNear(id);
      // the virtualizer renders it after the scroll (a frame or so; background tabs get fewer)
      for (let wait = 0; wait < 100 && !control; wait++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        control = this.#rowControl(id);
      }
    }
    control?.focus();
    this.#updateScrollerTabStop();
  }

  /**
   * Scrolls a virtualized list to about where a row is, so the virtualizer renders it (focusing
   * it then scrolls it fully into view). The list is as tall as the virtualizer estimates all its
   * rows, so the row's share of that height is close.
   */
  #scrollNear(id: string): void {
    const scroller = this.#scroller();
    const index = this.#lists.findIndex((l) => l.rows.some((c) => c.id === id));
    const list = this.#host.renderRoot.querySelectorAll<HTMLElement>('[part~=list]')[index];
    if (!scroller || !list) return;
    const rows = this.#lists[index]!.rows;
    const box = list.getBoundingClientRect();
    const top = box.top - scroller.getBoundingClientRect().top + scroller.scrollTop;
    const share = rows.findIndex((c) => c.id === id) / rows.length;
    scroller.scrollTop = top + share * box.height - scroller.clientHeight / 2;
    // The browser dispatches `scroll` at its next rendering; the virtualizer hears it now.
    scroller.dispatchEvent(new Event('scroll'));
  }

  #scroller(): HTMLElement | null {
    return this.#host.renderRoot.querySelector<HTMLElement>('[part~=scroller]');
  }

  #rowControl(id: string | undefined): HTMLInputElement | null {
    if (id === undefined) return null;
    return this.#host.renderRoot.querySelector<HTMLInputElement>(`[data-id="${CSS.escape(id)}"] input`);
  }
}
