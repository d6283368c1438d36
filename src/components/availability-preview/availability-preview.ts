/** `<tk-availability-preview>`'s class: the provider's bookable time for the coming days, read-only. */
import { html, nothing, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import { TkElement, type TkViewState } from '../../internal/tk-element.js';
import { closestLang } from '../../i18n/locale.js';
import { LocaleController } from '../../i18n/locale-controller.js';
import { previewStrings, type TkPreviewStrings } from '../../i18n/preview-strings.js';
import { abortable } from '../../session/abortable.js';
import { isAbort, toTkError } from '../../session/errors.js';
import type { TkAvailabilityRules, TkSlot } from '../../shared/constraints.js';
import type { TkSession } from '../../session/session-service.js';
import { sharedStyles } from '../../styles/shared.styles.js';
import { previewStyles } from './availability-preview.styles.js';
import {
  bookingWindow,
  dayCount,
  dayLabel,
  fullSlotFormat,
  intlLocale,
  knownZone,
  slotsByDay,
  timeFormat,
  zoneName,
  type ShownSlot,
} from './availability-preview.api.js';

/** How long the inputs must stay still before the preview asks Timekit: one request per burst of edits. */
const DEBOUNCE_MS = 300;

/** What one completed load shows. */
interface Preview {
  /** The provider's zone the days are in (the rules' `timezone`). */
  zone: string | undefined;
  days: string[];
  slots: TkSlot[];
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
const pause = (ms: number, signal: AbortSignal) => abortable(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal);

/**
 * The provider's bookable time for the coming `days`, as customers will get it: the slots Timekit
 * answers for the rules the page's `<tk-availability-rules>` shows (saved or not; else the
 * resource's saved rules) over the calendars chosen in the page's `<tk-calendar-picker>`. It
 * follows both, one request per burst of edits (the one before is cancelled), and while the
 * picker's sync imports newly chosen calendars it shows "refreshing" and asks again once that
 * sync is done. A week grid when the element is wide, a list of days when it is narrow (a
 * container query: the element's own width counts, not the window's). Times are in the
 * provider's zone; with `timezone` each slot also shows the customer's time, and both zones are
 * named. Read-only: it books nothing.
 *
 * @summary Preview the bookable time customers will see.
 * @tagname tk-availability-preview
 * @slot signed-out - Shown instead of the default text while nothing is connected.
 * @slot empty - Shown instead of the default text when there is no bookable time.
 * @slot error - Shown instead of the default error text (the retry button stays).
 * @fires {TkErrorEvent} tk-error - Loading failed; `detail` is `{code, message, retryable}`.
 * @csspart base - The section around everything.
 * @csspart header - The heading and the refresh button.
 * @csspart label - The heading.
 * @csspart refresh-button - The refresh button.
 * @csspart zones - The names of the provider's and the customer's zones (with `timezone`).
 * @csspart status - The polite live region (visible while loading or refreshing).
 * @csspart signed-out - The signed-out message.
 * @csspart empty - The message when there is no bookable time, with its hint.
 * @csspart error - The load error, with its retry button.
 * @csspart retry-button - The retry button.
 * @csspart days - The days: a grid of columns when wide, a list when narrow.
 * @csspart day - One day.
 * @csspart day-label - A day's heading.
 * @csspart day-empty - The note under a day without bookable time.
 * @csspart slots - The list of a day's slots.
 * @csspart slot - One bookable slot.
 * @csspart customer-time - A slot's time in the customer's zone.
 * @cssprop [--tk-accent=auto] - Kit-wide accent colour: the slots' border.
 * @cssprop [--tk-preview-slot-background=transparent] - A slot's background.
 * @cssprop [--tk-preview-gap=0.5em] - Space between days and between slots.
 * @cssprop [--tk-radius=6px] - Corner radius.
 * @cssprop [--tk-color=CanvasText] - Text colour.
 * @cssprop [--tk-muted-color=#595959] - Secondary text (#c4c4c4 under a dark `color-scheme`).
 * @cssprop [--tk-error-color=#b3261e] - Error text (#f2b8b5 under a dark `color-scheme`).
 * @cssprop [--tk-border-color=GrayText] - Button borders.
 * @cssprop [--tk-button-background=transparent] - Button background.
 * @cssprop [--tk-button-color=inherit] - Button text.
 * @cssprop [--tk-focus-ring=var(--tk-accent, Highlight)] - Focus outline.
 * @cssstate signed-out - Nothing connected.
 * @cssstate loading - The first load.
 * @cssstate refreshing - Slots are shown and an update is under way (an edit, or the picker's sync).
 * @cssstate empty - No bookable time in the coming days.
 * @cssstate error - Loading failed.
 * @cssstate content - Slots shown.
 */
export class TkAvailabilityPreview extends TkElement {
  static override styles = [sharedStyles, previewStyles];

  /** Each slot's length, as Timekit takes it (`length` attribute, e.g. `"1 hour"`). */
  @property() length = '30 minutes';

  /** How many days to show, today first (`days` attribute; 1–31). */
  @property({ type: Number }) days = 7;

  /** The customer's IANA zone (`timezone` attribute); each slot then shows its time there too. */
  @property() timezone = '';

  /** Overrides for some of the preview's strings (see `TkPreviewStrings`). */
  @property({ attribute: false }) previewStrings?: Partial<TkPreviewStrings>;

  /** The next load skips the debounce (the first load, Refresh, Retry). */
  private immediate = true;
  /** The resource's saved rules, asked for once per session (and per Refresh) when no rules element reports any. */
  private savedRules?: { session: TkSession; rules: Promise<TkAvailabilityRules> };
  private readonly previewLocale = new LocaleController<TkPreviewStrings>(this, previewStrings, () => this.previewStrings);

  private readonly slotsTask = new Task(this, {
    task: async ([session, status, rulesJson, calendarIdsJson, length, days, syncBusy], { signal }) => {
      if (!session || status !== 'ready') return initialState;
      // While Timekit imports the calendars just chosen, its answer would miss their busy time:
      // keep showing the last slots, refreshing; the end of the sync runs this again.
      if (syncBusy) return abortable(new Promise<never>(() => {}), signal);
      if (!this.immediate) await pause(DEBOUNCE_MS, signal);
      this.immediate = false;
      const rules = rulesJson ? (JSON.parse(rulesJson) as TkAvailabilityRules) : await abortable(this.loadSavedRules(session), signal);
      const zone = knownZone(rules.timezone);
      const window = bookingWindow(Date.now(), dayCount(days), zone);
      const calendarIds = JSON.parse(calendarIdsJson) as string[] | null;
      const slots = await session.bookableSlots({
        rules: { constraints: rules.constraints, timezone: rules.timezone },
        length,
        from: window.from,
        to: window.to,
        ...(calendarIds ? { calendarIds } : {}),
        signal,
      });
      return { zone, days: window.days, slots } satisfies Preview;
    },
    // JSON text for the rules and the calendars: an equal edit is no change, a new object with the same content re-runs nothing
    args: () => {
      const session = this.sessionController.session;
      const rules = session?.availabilityRules;
      return [
        session,
        this.sessionController.status,
        rules ? JSON.stringify({ constraints: rules.constraints, timezone: rules.timezone }) : '',
        JSON.stringify(session?.pickedCalendarIds ?? null),
        this.length,
        this.days,
        session?.syncStatus === 'pending' || session?.syncStatus === 'syncing',
        session?.calendarsVersion,
      ] as const;
    },
    onError: (error) => {
      if (!isAbort(error)) this.emitError(toTkError(error));
    },
  });

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // a run waiting for the picker's sync would wait for ever
    this.slotsTask.abort();
  }

  /** Asks Timekit again now, without waiting for an edit (and re-reads the saved rules when no rules element reports any). */
  refresh(): void {
    this.immediate = true;
    this.savedRules = undefined;
    void this.slotsTask.run();
  }

  private get text(): TkPreviewStrings {
    return this.previewLocale.strings;
  }

  /** The resource's saved rules, asked for once per session (again after a failure). */
  private loadSavedRules(session: TkSession): Promise<TkAvailabilityRules> {
    if (this.savedRules?.session !== session) {
      const rules = session.loadAvailabilityRules();
      rules.catch(() => {
        if (this.savedRules?.rules === rules) this.savedRules = undefined;
      });
      this.savedRules = { session, rules };
    }
    return this.savedRules.rules;
  }

  /** The usual precedence: signed out, an error, loading, then no slots or the slots. */
  protected override get viewState(): TkViewState {
    const status = this.sessionController.status;
    if (status === 'none' || status === 'signed-out') return 'signed-out';
    if (status === 'error' || this.slotsTask.status === TaskStatus.ERROR) return this.errorState();
    const preview = this.slotsTask.value;
    if (!preview) return 'loading';
    return this.slots.length === 0 ? 'empty' : 'content';
  }

  /** Slots are shown and newer ones are on their way. */
  private get refreshing(): boolean {
    const state = this.viewState;
    return (state === 'content' || state === 'empty') && this.slotsTask.status === TaskStatus.PENDING;
  }

  protected override customStates(): string[] {
    return [this.viewState, ...(this.refreshing ? ['refreshing'] : [])];
  }

  /**
   * The bookable slots shown now, in time order (empty until the first answer): what a host needs
   * to book one of them, for instance a test appointment in the first.
   */
  get slots(): TkSlot[] {
    const preview = this.slotsTask.value;
    if (!preview) return [];
    return [...slotsByDay(preview.slots, preview.days, preview.zone).values()].flat().map(({ start, end }) => ({ start: start.toISOString(), end: end.toISOString() }));
  }

  protected override render() {
    const state = this.viewState;
    const refreshing = this.refreshing;
    const t = this.text;
    return html`
      <section part="base" aria-labelledby="label" aria-busy=${state === 'loading' || refreshing ? 'true' : 'false'}>
        <div part="header">
          <h2 part="label" id="label">${t.label}</h2>
          <button type="button" part="refresh-button" ?disabled=${state === 'signed-out'} @click=${this.handleRefresh}>${t.refresh}</button>
        </div>
        <div part="status" role="status" class=${state === 'loading' || refreshing ? '' : 'visually-hidden'}>${this.statusText(state, refreshing)}</div>
        ${this.renderState(state)}
      </section>
    `;
  }

  /** What the polite live region says: loading or refreshing, then how many slots arrived. */
  private statusText(state: TkViewState, refreshing: boolean): string {
    const t = this.text;
    if (state === 'loading') return t.loading;
    if (refreshing) return t.refreshing;
    if (state === 'content') return t.loaded(this.slots.length);
    return '';
  }

  private renderState(state: TkViewState): TemplateResult {
    const t = this.text;
    switch (state) {
      case 'signed-out':
        return html`<div part="signed-out"><slot name="signed-out">${this.locale.strings.signedOut}</slot></div>`;
      case 'loading':
        return html`<div aria-hidden="true"><span class="skeleton"></span><span class="skeleton"></span><span class="skeleton"></span></div>`;
      case 'error': {
        const session = this.sessionController.session;
        return this.renderErrorBlock(toTkError(session?.status === 'error' ? session.error : this.slotsTask.error), this.handleRetry);
      }
      case 'empty':
        return html`${this.renderZones(this.slotsTask.value!)}
          <div part="empty">
            <slot name="empty"><p>${t.empty(this.slotsTask.value!.days.length)}</p><p>${t.emptyHint}</p></slot>
          </div>`;
      case 'content':
        return this.renderDays(this.slotsTask.value!);
    }
  }


  /** Names both zones when the customer's differs from the provider's. */
  private renderZones(preview: Preview): TemplateResult | typeof nothing {
    const customer = this.customerZone(preview);
    if (!customer) return nothing;
    const t = this.text;
    const locale = intlLocale(closestLang(this));
    const now = Date.now();
    return html`<p part="zones">
      <span>${t.providerZone(zoneName(preview.zone, locale, now))}</span>
      <span>${t.customerZone(zoneName(customer, locale, now))}</span>
    </p>`;
  }

  /** The customer's zone when it is one `Intl` knows and differs from the provider's. */
  private customerZone(preview: Preview): string | undefined {
    const zone = knownZone(this.timezone);
    return zone && zone !== preview.zone ? zone : undefined;
  }

  private renderDays(preview: Preview): TemplateResult {
    const t = this.text;
    const locale = intlLocale(closestLang(this));
    const customer = this.customerZone(preview);
    const formats = {
      time: timeFormat(locale, preview.zone),
      full: fullSlotFormat(locale, preview.zone),
      customerTime: customer ? timeFormat(locale, customer) : undefined,
      customerFull: customer ? fullSlotFormat(locale, customer) : undefined,
    };
    let first = true;
    const days = [...slotsByDay(preview.slots, preview.days, preview.zone)].map(([day, slots], index) => {
      const headingId = `day-${index}`;
      return html`<div part="day">
        <h3 part="day-label" id=${headingId}>${dayLabel(day, locale)}</h3>
        ${slots.length === 0
          ? html`<p part="day-empty">${t.dayEmpty}</p>`
          : html`<ul part="slots" aria-labelledby=${headingId}>
              ${slots.map((slot) => {
                // one tab stop for all slots: the first; the arrow keys move on from there
                const tabIndex = first ? 0 : -1;
                first = false;
                return this.renderSlot(slot, tabIndex, formats);
              })}
            </ul>`}
      </div>`;
    });
    return html`${this.renderZones(preview)}
      <div part="days" @keydown=${this.handleKeydown}>${days}</div>`;
  }

  private renderSlot(
    slot: ShownSlot,
    tabIndex: number,
    formats: { time: Intl.DateTimeFormat; full: Intl.DateTimeFormat; customerTime?: Intl.DateTimeFormat; customerFull?: Intl.DateTimeFormat },
  ): TemplateResult {
    const full = formats.full.formatRange(slot.start, slot.end);
    const announced = formats.customerFull ? this.text.bothZones(full, formats.customerFull.formatRange(slot.start, slot.end)) : full;
    // live: the arrow keys move the tab stop in the DOM; a new render puts it back on the first slot
    return html`<li part="slot" tabindex=${live(String(tabIndex))}>
      <span aria-hidden="true">${formats.time.format(slot.start)}</span>
      ${formats.customerTime ? html`<span part="customer-time" aria-hidden="true">${formats.customerTime.format(slot.start)}</span>` : nothing}
      <span class="visually-hidden">${announced}</span>
    </li>`;
  }

  /**
   * Arrow keys move between slots: up and down within a day, left and right to the nearest slot
   * of the next day with any (mirrored under `dir="rtl"`), Home and End to a day's first and last.
   */
  private handleKeydown(event: KeyboardEvent): void {
    const current = (event.target as HTMLElement).closest('[part~="slot"]');
    if (!current) return;
    const columns = [...this.renderRoot.querySelectorAll('[part~="slots"]')].map((list) => [...list.querySelectorAll<HTMLElement>('[part~="slot"]')]);
    const column = columns.findIndex((slots) => slots.includes(current as HTMLElement));
    const row = columns[column]!.indexOf(current as HTMLElement);
    const rtl = getComputedStyle(this).direction === 'rtl';
    const across = (step: number) => {
      const next = columns[column + step];
      return next?.[Math.min(row, next.length - 1)];
    };
    const targets: Record<string, HTMLElement | undefined> = {
      ArrowDown: columns[column]![row + 1],
      ArrowUp: columns[column]![row - 1],
      ArrowRight: across(rtl ? -1 : 1),
      ArrowLeft: across(rtl ? 1 : -1),
      Home: columns[column]![0],
      End: columns[column]!.at(-1),
    };
    const target = targets[event.key];
    if (!target) return;
    event.preventDefault();
    current.setAttribute('tabindex', '-1');
    target.setAttribute('tabindex', '0');
    target.focus();
  }

  private handleRefresh(): void {
    this.refresh();
  }

  private handleRetry(): void {
    if (!this.retrySession()) this.refresh();
  }
}
