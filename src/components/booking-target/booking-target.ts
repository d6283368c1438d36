/** `<tk-booking-target>`'s class: the one calendar new bookings land in, as radio buttons. */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { TaskStatus } from '@lit/task';
import { TkPickerBase } from '../../internal/picker-base.js';
import { ConnectDefaults, primaryOnTop } from '../../internal/smart-defaults.js';
import { renderCalendarLabel } from '../../internal/calendar-label.js';
import { emitChange } from '../../internal/emit-change.js';
import { byPrimaryThenName, fromSeveralAccounts, groupCalendars, isWritable, syncedIds } from '../../internal/calendars.js';
import { sharedStyles } from '../../styles/shared.styles.js';
import { pickerStyles } from '../../styles/picker.styles.js';
import { pickerStatusStyles } from '../../styles/picker-status.styles.js';
import type { TimekitCalendar } from '../../shared/timekit.js';

/**
 * Chooses the one calendar new bookings land in. Only calendars the resource can write to
 * (owner or writer) can be chosen; read-only ones are listed disabled with the reason. Warns when
 * the chosen calendar is not among the availability calendars picked on the same page (or, with
 * no `<tk-calendar-picker>` on it, among those Timekit syncs). Calendars from more than one
 * account (several accounts, or Google and Microsoft), or of a disconnected account, are grouped
 * per provider as in `<tk-calendar-picker>`, the heading naming the accounts and their status.
 * The warning sits beside the chosen row, with a one-click fix that ticks the calendar in the
 * page's `<tk-calendar-picker>`. The choice is the host's to save (with its form, or on
 * `tk-change`): a line says "Saved when you save the form"; after a reload the host gives it back
 * in the `value` attribute. After the provider's first connect on the page, the writable primary
 * calendar is chosen (see `no-defaults`). A one-line summary names the chosen calendar.
 *
 * @summary Choose the calendar where new bookings land.
 * @tagname tk-booking-target
 * @fires {TkChangeEvent<TkCalendarChangeDetail>} tk-change - The user chose a calendar; `detail.calendarId`. Also fired, with `''`, when the provider's resource changed (another account connected) and took the chosen calendar with it. After a first connect, the picker's own choice of the writable primary calendar fires it with `detail.reason` `'default'`.
 * @fires {Event} change - The user chose a calendar.
 * @fires {TkErrorEvent} tk-error - Loading failed; `detail` is `{code, message, retryable}`.
 * @csspart retry-button - The retry button.
 * @csspart list - The list of calendars (one per provider when the calendars come from several accounts).
 * @csspart option - One calendar row; also `option-disabled` for read-only rows.
 * @csspart radio - A row's radio button.
 * @csspart color - A row's colour dot.
 * @csspart name - A row's calendar name.
 * @csspart badge - Every badge; also `badge-primary`.
 * @csspart reason - Why a row cannot be chosen.
 * @csspart warning - The warning, beside the chosen row, that the target does not count for availability.
 * @csspart availability-button - In the warning, "Also use it for availability" (with a `<tk-calendar-picker>` on the page).
 * @csspart summary - The one-line summary ("New bookings go to Work"), a polite status.
 * @csspart save-mode - The line saying the choice is saved with the form.
 * @cssprop [--tk-picker-accent=var(--tk-accent)] - Radio colour.
 * @cssprop [--tk-border-color=GrayText] - Button borders.
 * @cssstate outside-availability - The chosen calendar does not count for availability.
 */
export class TkBookingTarget extends TkPickerBase {
  static override styles = [sharedStyles, pickerStyles, pickerStatusStyles];

  /**
   * `no-defaults` attribute: after the provider's first connect on the page (a connect whose
   * resource syncs no calendar yet, with no value here), do not choose the writable primary
   * calendar. By default the picker chooses it, with `tk-change` `reason: 'default'`.
   */
  @property({ type: Boolean, attribute: 'no-defaults' }) noDefaults = false;

  private readonly connectDefaults = new ConnectDefaults();

  /**
   * The chosen calendar id (`''` for none); the `value` attribute gives it from the server-rendered
   * page. Setting it fires no event. An id that is not among the resource's writable calendars
   * shows nothing chosen, is not submitted, and the console says so once.
   */
  @property() value = '';

  /** Without a `value` attribute, the value the form resets to: the one it had when it joined the page (a framework sets its property binding before then). */
  private defaultValue: string | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    this.defaultValue ??= this.value;
  }

  protected override get label() {
    return this.locale.strings.targetLabel;
  }

  protected override calendarsLoaded(calendars: TimekitCalendar[], resourceChanged: boolean): void {
    if (resourceChanged) {
      // Another resource's calendars: the chosen one (and the one a reset returns to) is gone with
      // the old resource, so the form must not carry it.
      const isHere = (id: string | undefined) => calendars.some((c) => c.id === id);
      if (!isHere(this.defaultValue)) this.defaultValue = '';
      if (this.value !== '' && !isHere(this.value)) {
        this.value = '';
        // The host hears of it once: in the default's tk-change when the picker chooses one.
        if (!this.chooseDefault(calendars)) emitChange(this, { calendarId: '' });
        return;
      }
    }
    this.chooseDefault(calendars);
  }

  /**
   * The calendars `shown` (by default all) in the order the rows show, in groups when all the
   * calendars come from several accounts (so filtering does not change the layout).
   */
  private groupedRows(calendars: readonly TimekitCalendar[], shown: readonly TimekitCalendar[] = calendars) {
    // writable first, so the choosable calendars are together at the top (of each group)
    const order = (a: TimekitCalendar, b: TimekitCalendar) => Number(isWritable(b)) - Number(isWritable(a)) || byPrimaryThenName(a, b);
    const session = this.sessionController.session;
    const accounts = session?.account?.accounts ?? [];
    // A disconnected account gets its heading even alone: bookings written to its calendars may not reach them.
    const grouped = fromSeveralAccounts(calendars, accounts) || accounts.some((account) => session?.accountStatus(account) === 'disconnected');
    return grouped ? { groups: groupCalendars(shown, accounts, order) } : { list: [...shown].sort(order) };
  }

  private chooseLoadedDefault(): void {
    const calendars = this.calendarsTask.value;
    if (calendars && this.calendarsTask.status === TaskStatus.COMPLETE) this.chooseDefault(calendars);
  }

  /**
   * After a first connect (`ConnectDefaults`), chooses the writable primary calendar when it is
   * the first row shown; answers whether it did.
   */
  private chooseDefault(calendars: readonly TimekitCalendar[]): boolean {
    if (this.noDefaults || !this.connectDefaults.due(this.sessionController.session, calendars, this.value !== '')) return false;
    const rows = this.groupedRows(calendars);
    const primary = primaryOnTop(rows.groups ? rows.groups[0]?.calendars[0] : rows.list[0]);
    if (!primary || !isWritable(primary)) return false;
    this.value = primary.id;
    emitChange(this, { calendarId: primary.id, reason: 'default' });
    return true;
  }

  protected override get emptyText() {
    return this.locale.strings.empty;
  }

  protected override extraStates() {
    return this.outsideAvailability() ? ['outside-availability'] : [];
  }

  protected override renderContent(calendars: readonly TimekitCalendar[]): TemplateResult {
    const t = this.locale.strings;
    const row = (calendar: TimekitCalendar, index: number) => this.renderRow(calendar, index);
    const shown = this.filterCalendars(calendars);
    const rows = this.groupedRows(calendars, shown);
    const chosen = this.selectedCalendar;
    return html`
      <div part="summary" role="status">${chosen ? t.bookingsGoTo(`\u2068${chosen.name}\u2069`) : t.noBookingCalendar}</div>
      <div part="save-mode">${t.savedWithForm}</div>
      ${this.renderFilter(calendars)}
      ${shown.length === 0 ? html`<div part="empty">${t.noMatches}</div>` : nothing}
      ${rows.groups ? this.renderGroups(rows.groups, row) : this.renderFlatList(rows.list, row)}
      ${calendars.some(isWritable) ? nothing : html`<div part="empty">${t.emptyWritable}</div>`}
    `;
  }

  private renderRow(calendar: TimekitCalendar, index: number): TemplateResult {
    const t = this.locale.strings;
    const writable = isWritable(calendar);
    const reasonId = `reason-${index}`;
    return html`<div part=${writable ? 'option' : 'option option-disabled'} data-id=${calendar.id}>
      <label>
        <input
          part="radio"
          type="radio"
          name="target"
          tabindex=${this.rowTabIndex(calendar)}
          .value=${calendar.id}
          .checked=${calendar.id === this.chosenId}
          ?disabled=${!writable || this.isDisabled}
          aria-describedby=${writable ? nothing : reasonId}
          @change=${this.handleChange}
        />
        ${renderCalendarLabel(calendar, t.primary)}
      </label>
      ${writable ? nothing : html`<div part="reason" id=${reasonId}>${t.readOnlyReason}</div>`}
      ${calendar.id === this.chosenId && this.outsideAvailability() ? this.renderOverlapWarning() : nothing}
    </div>`;
  }

  /** Beside the chosen row: bookings may overlap, and (with a calendar picker on the page) the fix. */
  private renderOverlapWarning(): TemplateResult {
    const t = this.locale.strings;
    const canFix = this.sessionController.session?.pickedCalendarIds != null;
    return html`<div part="warning" role="status">
      <span>${t.notInAvailability}</span>
      ${canFix ? html`<button type="button" part="availability-button" @click=${this.handleUseForAvailability}>${t.useForAvailability}</button>` : nothing}
    </div>`;
  }

  /** Ticks the chosen calendar in the page's calendar picker; the warning goes, so the focus stays on the choice. */
  private async handleUseForAvailability(): Promise<void> {
    if (!this.sessionController.session?.pickForAvailability(this.chosenId)) return;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('[part~="radio"]:checked')?.focus();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const calendars = this.calendarsTask.value;
    if (calendars && this.value && !this.chosenId) this.warnUnknownIds([this.value]);
    // A connect the page loaded with (redirect) is known after its calendars came: the default is
    // chosen once this update is done (an update must not change what it renders).
    if (this.connectDefaults.pending(this.sessionController.session)) void this.updateComplete.then(() => this.chooseLoadedDefault());
  }

  /**
   * The value once it is one of the loaded, writable calendars, else `''`: what the form gets, so
   * it never submits an id the page does not show (one from another resource, or a stale one).
   */
  private get chosenId(): string {
    return this.calendarsTask.value?.some((c) => c.id === this.value && isWritable(c)) ? this.value : '';
  }

  protected override formValue(): string | null {
    return this.chosenId || null;
  }

  protected override hasNoValue() {
    return this.chosenId === '';
  }

  protected override tabStartId() {
    return this.chosenId || undefined;
  }

  protected override canChoose(calendar: TimekitCalendar) {
    return isWritable(calendar);
  }

  protected override requiredMessage() {
    return this.locale.strings.requiredTarget;
  }

  protected override restoreFormValue(state: FormData | string): void {
    if (typeof state === 'string') this.value = state;
  }

  /** Back to the `value` attribute, as a native control; an id of an old resource there still shows nothing chosen. */
  formResetCallback(): void {
    this.value = this.getAttribute('value') ?? this.defaultValue ?? '';
  }

  /** The selected calendar's object, once the calendars are loaded. */
  get selectedCalendar(): TimekitCalendar | undefined {
    // chosenId looks through the calendars: once, not per calendar (5,000 made that a long task)
    const id = this.chosenId;
    return id ? this.calendarsTask.value?.find((c) => c.id === id) : undefined;
  }

  private outsideAvailability(): boolean {
    const calendars = this.calendarsTask.value;
    if (!this.chosenId || !calendars) return false;
    const picked = this.sessionController.session?.pickedCalendarIds ?? syncedIds(calendars);
    return !picked.includes(this.chosenId);
  }

  private handleChange(event: Event): void {
    this.value = (event.target as HTMLInputElement).value;
    emitChange(this, { calendarId: this.value });
  }
}
