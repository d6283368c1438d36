/** The base class of both pickers: the calendar load, the five states and form association. */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { Task, TaskStatus, initialState } from '@lit/task';
import type { CalendarProvider, TimekitCalendar } from '../shared/timekit.js';
import { isAbort, toTkError } from '../session/errors.js';
import type { TkViewState } from './tk-element.js';
import { TkFormElement, type TkValidityProblem } from './tk-form-element.js';
import { matches, sanitizeCalendars, type CalendarGroup } from './calendars.js';
import { RovingRows, type RowList } from './roving-rows.js';

/** Lists with more calendars than this get a filter box. */
const FILTER_THRESHOLD = 10;
/** Lists with more rows than this render only the rows on screen (and these first, while the virtualizer loads). */
const LONG_LIST = 200;

type LongList = typeof import('./long-list.js');
/** The virtualizer, once a long list has loaded it (shared by every picker on the page). */
let longList: LongList | undefined;
let loadingLongList: Promise<LongList> | undefined;

/**
 * What both pickers share: the calendar load, the five states, and form association. Not API.
 * The tags below are the styling surface both pickers have; the analyzer copies them into each
 * picker's manifest entry (before the picker's own), where a picker's tag of the same name wins.
 *
 * @slot signed-out - Shown instead of the default text while nothing is connected.
 * @slot empty - Shown instead of the default text when the resource has no calendars.
 * @slot error - Shown instead of the default error text (the retry button stays).
 * @csspart base - The fieldset around everything.
 * @csspart label - The legend.
 * @csspart status - The polite live region (visible while loading).
 * @csspart signed-out - The signed-out message.
 * @csspart empty - The empty message.
 * @csspart error - The load error, with its retry button.
 * @csspart group-label - The legend of a provider's group: the provider and its accounts' emails.
 * @csspart account-status - In a group's legend, an account whose grant stopped working, and what to do.
 * @csspart list - The list of calendars (one per group when grouped).
 * @csspart scroller - The box around the list(s), at most `--tk-picker-max-height` tall, that scrolls.
 * @csspart filter - The filter box (more than 10 calendars).
 * @cssprop [--tk-picker-accent=var(--tk-accent)] - The checkboxes' or radios' colour.
 * @cssprop [--tk-accent=auto] - Kit-wide accent colour.
 * @cssprop [--tk-picker-gap=0.25em] - Space between rows.
 * @cssprop [--tk-picker-max-height=20rem] - The most the list(s) take before they scroll inside the element.
 * @cssprop [--tk-picker-option-background=transparent] - Row background.
 * @cssprop [--tk-radius=6px] - Corner radius.
 * @cssprop [--tk-color=CanvasText] - Text colour.
 * @cssprop [--tk-muted-color=#595959] - Secondary text and badges (#c4c4c4 under a dark `color-scheme`).
 * @cssprop [--tk-error-color=#b3261e] - Error text (#f2b8b5 under a dark `color-scheme`).
 * @cssprop [--tk-warning-color=#8a5300] - Warnings, and a disconnected account in a group's legend (#ffb95c under a dark `color-scheme`).
 * @cssprop [--tk-button-background=transparent] - Retry button background.
 * @cssprop [--tk-button-color=inherit] - Retry button text.
 * @cssprop [--tk-focus-ring=var(--tk-accent, Highlight)] - Focus outline.
 * @cssstate signed-out - Nothing connected.
 * @cssstate loading - Calendars loading for the first time.
 * @cssstate empty - No calendars.
 * @cssstate error - Loading failed.
 * @cssstate content - Calendars shown.
 * @internal
 */
export abstract class TkPickerBase extends TkFormElement {

  /** The filter box's text. */
  @state() protected query = '';
  /** With "Show chosen only" on: the ids chosen when it was turned on (a row unticked meanwhile stays until it is off). */
  @state() private chosenOnly: ReadonlySet<string> | null = null;
  /** All rows one Tab stop, the arrow keys inside. */
  private readonly roving = new RovingRows(this, { canChoose: (calendar) => this.canChoose(calendar), startId: () => this.tabStartId() });
  /**
   * The shadow root came from a server render (declarative shadow DOM), which had no session: the
   * first render must be the same signed-out view for Lit to hydrate it, the real state follows.
   */
  private hydrating = false;
  /** The resource the last load's calendars belong to. */
  private loadedResource: string | undefined;

  protected readonly calendarsTask = new Task(this, {
    task: async ([session, status], { signal }) => {
      if (!session || status !== 'ready') return initialState;
      return session.calendars({ signal }).then(sanitizeCalendars);
    },
    args: () => [this.sessionController.session, this.sessionController.status, this.sessionController.session?.calendarsVersion] as const,
    onComplete: (calendars) => {
      const resource = this.sessionController.session?.account?.resourceId;
      const resourceChanged = this.loadedResource !== undefined && resource !== this.loadedResource;
      this.loadedResource = resource;
      this.calendarsLoaded(calendars, resourceChanged);
    },
    onError: (error) => {
      if (!isAbort(error)) this.emitError(toTkError(error));
    },
  });

  override connectedCallback(): void {
    // Before Lit makes its render root: a root already there is the server's.
    if (!this.hasUpdated) this.hydrating = this.internals.shadowRoot !== null;
    super.connectedCallback();
  }

  /** The usual precedence: signed out wins over an error, an error over loading, loading over the calendars. */
  protected override get viewState(): TkViewState {
    if (this.hydrating) return 'signed-out';
    const status = this.sessionController.status;
    if (status === 'none' || status === 'signed-out') return 'signed-out';
    if (status === 'error' || this.calendarsTask.status === TaskStatus.ERROR) return this.errorState();
    const calendars = this.calendarsTask.value;
    if (!calendars) return 'loading';
    return calendars.length === 0 ? 'empty' : 'content';
  }

  protected override customStates(): string[] {
    return [this.viewState, ...this.extraStates()];
  }

  protected override render() {
    const state = this.viewState;
    const busy = state === 'loading' || this.calendarsTask.status === TaskStatus.PENDING;
    return html`
      <fieldset part="base" ?disabled=${this.isDisabled || state === 'signed-out'} aria-busy=${busy ? 'true' : 'false'}>
        <legend part="label" tabindex="-1">${this.label}</legend>
        <div part="status" role="status" class=${state === 'loading' ? '' : 'visually-hidden'}>${this.renderStatusText(state)}</div>
        ${this.renderState(state)}
      </fieldset>
    `;
  }

  /** What the polite live region says: "loading", then how many calendars arrived. */
  private renderStatusText(state: TkViewState): string {
    if (state === 'loading') return this.locale.strings.loading;
    if (state === 'content') return this.announcement(this.calendarsTask.value ?? []);
    return '';
  }

  private renderState(state: TkViewState): TemplateResult {
    switch (state) {
      case 'signed-out':
        return html`<div part="signed-out"><slot name="signed-out">${this.locale.strings.signedOut}</slot></div>`;
      case 'loading':
        return html`<div aria-hidden="true"><span class="skeleton"></span><span class="skeleton"></span><span class="skeleton"></span></div>`;
      case 'error': {
        const session = this.sessionController.session;
        return this.renderErrorBlock(toTkError(session?.status === 'error' ? session.error : this.calendarsTask.error), this.handleRetry);
      }
      case 'empty':
        return html`<div part="empty"><slot name="empty">${this.emptyText}</slot></div>`;
      case 'content':
        return this.renderContent(this.calendarsTask.value ?? []);
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // The first render of a server-rendered picker matched the server's signed-out view, for
    // Lit to hydrate it; now render the real state.
    if (this.hydrating) {
      this.hydrating = false;
      this.requestUpdate();
    }
  }

  protected override validityProblem(): TkValidityProblem | null {
    return this.required && this.hasNoValue() ? { flags: { valueMissing: true }, message: this.requiredMessage() } : null;
  }

  /**
   * Where the browser shows its "required" message and puts the focus when a submit is blocked:
   * the first calendar that can be chosen, else the label (focusable for this, out of the tab
   * order).
   */
  protected override validityAnchor(): HTMLElement {
    // the label is the first legend: the account groups' legends come after it
    return this.renderRoot.querySelector<HTMLElement>('[part=checkbox]:enabled,[part=radio]:enabled') ?? this.renderRoot.querySelector('legend')!;
  }

  /**
   * The filter box, for lists of more than 10 calendars; given `chosen`, also "N of M chosen" and
   * the "Show chosen only" switch, so the chosen calendars are at hand however long the list.
   */
  protected renderFilter(calendars: readonly TimekitCalendar[], chosen?: readonly string[]): TemplateResult | typeof nothing {
    if (calendars.length <= FILTER_THRESHOLD) return nothing;
    const t = this.locale.strings;
    return html`<div class="tools">
      <input part="filter" type="search" aria-label=${t.filter} placeholder=${t.filter} .value=${this.query} @input=${this.handleFilter} />
      ${chosen
        ? html`<span part="count">${t.chosenCount(chosen.length, calendars.length)}</span>
            <button type="button" part="show-chosen" aria-pressed=${this.chosenOnly ? 'true' : 'false'} @click=${() => this.toggleChosenOnly(chosen)}>
              ${t.showChosen}
            </button>`
        : nothing}
    </div>`;
  }

  /** The calendars the filter (and "Show chosen only") let through. */
  protected filterCalendars(calendars: readonly TimekitCalendar[]): TimekitCalendar[] {
    return calendars.filter((c) => matches(c, this.query) && (!this.chosenOnly || this.chosenOnly.has(c.id)));
  }

  /**
   * The calendars in one fieldset per group, its legend naming the provider, its accounts and
   * those whose grant stopped working (their rows stay, with their choices), so assistive tech
   * announces the group with each row; rows stay in one tab and arrow-key order. `renderRow`
   * gets each row's index among all groups' rows.
   */
  protected renderGroups(groups: readonly CalendarGroup[], renderRow: (calendar: TimekitCalendar, index: number) => TemplateResult): TemplateResult {
    return this.renderScroller(
      groups.map((group) => ({ group, rows: group.calendars })),
      renderRow,
    );
  }

  /** The calendars as one list without a legend. */
  protected renderFlatList(calendars: readonly TimekitCalendar[], renderRow: (calendar: TimekitCalendar, index: number) => TemplateResult): TemplateResult {
    return this.renderScroller([{ rows: calendars }], renderRow);
  }

  /**
   * The lists in a box of at most `--tk-picker-max-height` that scrolls, so a thousand calendars
   * do not make the page a thousand rows tall. One Tab stop for all rows (roving focus): the
   * arrow keys, Home and End move the focus; Space ticks or chooses. A list over `LONG_LIST` rows
   * renders only the rows on screen, each with its position for assistive tech.
   */
  private renderScroller(lists: RowList[], renderRow: (calendar: TimekitCalendar, index: number) => TemplateResult): TemplateResult {
    const session = this.sessionController.session;
    this.roving.setLists(lists);
    const all = lists.flatMap((list) => list.rows);
    const long = all.length > LONG_LIST;
    if (long && !longList) this.loadLongList();
    let offset = 0;
    const rendered = lists.map(({ group, rows }) => {
      const first = offset;
      offset += rows.length;
      const list = this.renderRows(rows, first, long, renderRow);
      return group
        ? html`<fieldset>
            <legend part="group-label">${this.providerName(group.provider)}${group.accounts.map((account, i) => html`${i === 0 ? ' · ' : ', '}<bdi>${account.provider_id}</bdi>`)}
              ${group.accounts
                .filter((account) => session?.accountStatus(account) === 'disconnected')
                .map((account) => html`<span part="account-status"><bdi>${account.provider_id}</bdi>: ${this.locale.strings.accountDisconnected}</span>`)}
            </legend>
            ${list}
          </fieldset>`
        : list;
    });
    return html`<div part="scroller" tabindex="-1" @keydown=${this.roving.handleKeydown} @focusin=${this.roving.handleFocusin} @focus=${this.roving.handleScrollerFocus} @focusout=${this.roving.handleFocusout}>
      ${rendered}
    </div>`;
  }

  /** Each row control's `tabindex`: 0 for the list's one Tab stop, -1 for the others. */
  protected rowTabIndex(calendar: TimekitCalendar): number {
    return this.roving.tabIndex(calendar);
  }

  private renderRows(rows: readonly TimekitCalendar[], first: number, long: boolean, renderRow: (calendar: TimekitCalendar, index: number) => TemplateResult): TemplateResult {
    if (!long) return html`<div part="list">${rows.map((calendar, i) => renderRow(calendar, first + i))}</div>`;
    // until the virtualizer is here: the first rows, at once
    if (!longList) return html`<div part="list">${rows.slice(0, Math.max(0, LONG_LIST - first)).map((calendar, i) => renderRow(calendar, first + i))}</div>`;
    return html`<div part="list" role="list">
      ${longList.virtualRows(
        [...rows],
        (calendar) => calendar.id,
        (calendar, i) => html`<div role="listitem" aria-setsize=${rows.length} aria-posinset=${i + 1}>${renderRow(calendar, first + i)}</div>`,
      )}
    </div>`;
  }

  private handleFilter(event: Event): void {
    this.query = (event.target as HTMLInputElement).value.trim();
  }

  private toggleChosenOnly(chosen: readonly string[]): void {
    this.chosenOnly = this.chosenOnly ? null : new Set(chosen);
  }

  private loadLongList(): void {
    loadingLongList ??= import('./long-list.js');
    void loadingLongList.then((module) => {
      longList = module;
      this.requestUpdate();
    });
  }

  /** The provider's name from the string table; one it does not know shows as Timekit sent it. */
  protected providerName(provider: string): string {
    return Object.hasOwn(this.locale.strings.providers, provider) ? this.locale.strings.providers[provider as CalendarProvider] : provider;
  }

  // What each picker says and does with its calendars.
  protected abstract get label(): string;
  protected abstract get emptyText(): string;
  protected abstract extraStates(): string[];
  protected abstract renderContent(calendars: readonly TimekitCalendar[]): TemplateResult;
  protected abstract hasNoValue(): boolean;
  protected abstract requiredMessage(): string;
  /**
   * The row the Tab stop starts on rather than the first: a radio group's checked radio, as
   * browsers have it (they let Tab reach only that one of a group that has one).
   */
  protected tabStartId(): string | undefined {
    return undefined;
  }

  /** Whether the calendar's row can be chosen (the arrow keys skip those that cannot). */
  protected canChoose(_calendar: TimekitCalendar): boolean {
    return true;
  }

  /**
   * Called once per completed load, before the render. `resourceChanged`: the calendars are
   * another resource's than the last load's (the provider connected another account and Timekit
   * made a new resource), so ids of the old one's calendars in the value mean nothing any more.
   */
  protected calendarsLoaded(_calendars: TimekitCalendar[], _resourceChanged: boolean): void {}

  /** Tells the console, once per value, of ids in the value the element cannot show (they are not submitted). */
  protected warnUnknownIds(ids: readonly string[]): void {
    if (ids.length > 0) void import('./diagnostics.js').then((diagnostics) => diagnostics.warnUnknownValue(this.localName, ids));
  }

  protected announcement(calendars: readonly TimekitCalendar[]): string {
    return this.locale.strings.loaded(calendars.length);
  }

  private handleRetry(): void {
    if (!this.retrySession()) void this.calendarsTask.run();
  }
}
