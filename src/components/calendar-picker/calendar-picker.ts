/** `<tk-calendar-picker>`'s class: the availability calendars as checkboxes, and saving them. */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { TaskStatus } from '@lit/task';
import { TkPickerBase } from '../../internal/picker-base.js';
import { renderCalendarLabel } from '../../internal/calendar-label.js';
import { emitChange } from '../../internal/emit-change.js';
import { CalendarSelection } from '../../internal/calendar-selection.js';
import { ConnectDefaults, primaryOnTop } from '../../internal/smart-defaults.js';
import { groupCalendars, matches } from '../../internal/calendars.js';
import { TkChangeEvent, type TkCalendarsChangeDetail } from '../../events/change.js';
import type { TkError } from '../../session/errors.js';
import { sharedStyles } from '../../styles/shared.styles.js';
import { pickerStyles } from '../../styles/picker.styles.js';
import { pickerStatusStyles } from '../../styles/picker-status.styles.js';
import type { TimekitCalendar } from '../../shared/timekit.js';

/** How long a row says "Saved" (it fades out before). */
const SAVED_SHOWN_MS = 2_000;

const idsFromAttribute = (value: string | null): string[] => (value ?? '').split(/\s+/).filter(Boolean);

/**
 * Lists the resource's calendars (colour, name, badges for primary, read-only and provider,
 * grouped by account) as checkboxes: the calendars whose busy time counts for availability.
 * With `save="auto"` each toggle writes Timekit's `provider_sync` at once and rolls back, with an
 * inline retry on that row, if Timekit refuses. Once a burst of changes has landed, the session
 * asks Timekit to sync, so it imports the chosen calendars' events; a failed sync shows with a retry. With `save="manual"`, `.save()` writes the
 * changes, or the surrounding form submits the ids under `name` (a line says so).
 * Each written row shows "Saving…" (with "(retrying)" while a passing failure is tried again),
 * then "Saved", which fades; the polite status says it once for screen readers.
 * After the provider's first connect on the page, the primary calendar is chosen (see
 * `no-defaults`). A one-line summary says how many calendars count.
 *
 * @summary Choose the calendars that count for availability.
 * @tagname tk-calendar-picker
 * @fires {TkChangeEvent<TkCalendarsChangeDetail>} tk-change - The user changed the selection; `detail.calendarIds`. Also fired (alone) when a refused save rolls a toggle back, and when the provider's resource changed (another account connected): the new resource's calendars replace the old one's. After a first connect, the picker's own choice of the primary calendar fires it with `detail.reason` `'default'`.
 * @fires {Event} change - The user changed the selection.
 * @fires {TkErrorEvent} tk-error - Loading, saving or the sync after a change failed; `detail` is `{code, message, retryable}`.
 * @csspart retry-button - Retry buttons (load and row errors).
 * @csspart count - "N of M chosen", beside the filter box.
 * @csspart show-chosen - The "Show chosen only" switch (a toggle button), beside the filter box.
 * @csspart option - One calendar row.
 * @csspart checkbox - A row's checkbox.
 * @csspart color - A row's colour dot.
 * @csspart name - A row's calendar name.
 * @csspart badge - Every badge; also `badge-primary`, `badge-read-only`, `badge-provider` (with `provider-badges` only).
 * @csspart summary - The one-line summary ("Checking 2 calendars"), a polite status.
 * @csspart save-mode - In `save="manual"`, the line saying the choice is saved with the form.
 * @csspart row-status - A row's save status: "Saving…", then "Saved", which fades.
 * @csspart row-error - A row's save error, with its retry button.
 * @csspart sync-error - The sync that follows a change failed (the choice is saved), with its retry button.
 * @csspart warning - The notice that the selection shown is not what Timekit syncs (`save="auto"`).
 * @cssprop [--tk-picker-accent=var(--tk-accent)] - Checkbox colour.
 * @cssprop [--tk-border-color=GrayText] - Button and filter borders.
 * @cssstate saving - At least one toggle is being written.
 * @cssstate unsynced - In `save="auto"` mode, `.value` (set from code) differs from what Timekit syncs.
 */
export class TkCalendarPicker extends TkPickerBase {
  static override styles = [sharedStyles, pickerStyles, pickerStatusStyles];

  /**
   * `no-defaults` attribute: after the provider's first connect on the page (a connect whose
   * resource syncs no calendar yet, with no value in the picker), do not choose the primary
   * calendar. By default the picker chooses it, saved as a tick is, with `tk-change`
   * `reason: 'default'`.
   */
  @property({ type: Boolean, attribute: 'no-defaults' }) noDefaults = false;

  /** `provider-badges` attribute: a provider badge on every row, besides the group's heading that names the provider. */
  @property({ type: Boolean, attribute: 'provider-badges' }) providerBadges = false;

  /**
   * `save` attribute: `auto` (default) writes `provider_sync` on each toggle; `manual` leaves it
   * to `.save()` or the form. The property has another name because `.save()` is the method.
   */
  @property({ attribute: 'save' }) saveMode: 'auto' | 'manual' = 'auto';

  /** The selection, what Timekit syncs, and the writes between them. */
  private readonly selection = new CalendarSelection(() => this.requestUpdate());
  /** The session's sync failure this picker has reported in `tk-error` already. */
  private reportedSyncError: TkError | null = null;
  /** The console has been told once that the selection shown is not what Timekit syncs. */
  private warnedUnsynced = false;
  private readonly connectDefaults = new ConnectDefaults();
  /** Rows whose write is being tried again after a passing failure. */
  private readonly retryingRows = new Set<string>();
  /** Rows that say "Saved" now, and the timer that ends it. */
  private readonly savedRows = new Map<string, ReturnType<typeof setTimeout>>();
  /** What the polite status said last about a save. */
  private lastSaved = '';

  /**
   * The selected calendar ids; the `value` attribute gives them space-separated from the
   * server-rendered page. Setting it fires no event and saves nothing (with `save="auto"` a value
   * that differs from what Timekit syncs shows as unsaved). Ids the resource does not have are
   * dropped, as a `<select>` does, and the console says so once.
   */
  @property({ converter: { fromAttribute: idsFromAttribute } })
  get value(): readonly string[] {
    return this.chosenIds();
  }
  set value(ids: readonly string[]) {
    const old = this.selection.selected;
    this.selection.setFromCode(ids);
    const calendars = this.calendarsTask.value;
    if (calendars) {
      this.warnUnknownIds(this.selection.keepOnly(calendars));
      this.shareAvailability();
    }
    this.requestUpdate('value', old);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.sessionController.session?.reportPickedCalendars(this, null);
  }

  /**
   * Writes `provider_sync` for every calendar whose selection differs from Timekit's. Failed rows
   * show their error and retry; resolves to whether everything was saved.
   */
  async save(): Promise<boolean> {
    const changes = this.selection.unsavedChanges(this.calendarsTask.value ?? []);
    const results = await Promise.all(changes.map(({ calendar, sync }) => this.write(calendar, sync, false)));
    return results.every(Boolean);
  }

  protected override get label() {
    return this.locale.strings.pickerLabel;
  }

  protected override get emptyText() {
    return this.locale.strings.empty;
  }

  protected override extraStates() {
    return [...(this.selection.saving.size > 0 ? ['saving'] : []), ...(this.unsynced ? ['unsynced'] : [])];
  }

  /**
   * In `save="auto"` mode Timekit's `provider_sync` is the truth and each toggle writes it. A
   * `.value` from code that differs from it, once no write is under way, is shown with a notice
   * (and one console warning), never passed off as the saved selection.
   */
  private get unsynced(): boolean {
    return this.saveMode !== 'manual' && Boolean(this.calendarsTask.value) && this.selection.differsFromSaved;
  }

  /** After a render: reports the session's failed sync once, and warns once about an unsynced value. */
  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const syncError = this.sessionController.session?.syncError ?? null;
    if (syncError !== this.reportedSyncError) {
      this.reportedSyncError = syncError;
      if (syncError) this.emitError(syncError);
    }
    // A connect the page loaded with (redirect) is known after its calendars came: the default is
    // chosen once this update is done (an update must not change what it renders).
    if (this.connectDefaults.pending(this.sessionController.session)) void this.updateComplete.then(() => this.chooseLoadedDefault());
    if (!this.unsynced || this.warnedUnsynced) return;
    this.warnedUnsynced = true;
    void import('../../internal/diagnostics.js').then((diagnostics) => diagnostics.warnUnsyncedValue());
  }

  protected override calendarsLoaded(calendars: TimekitCalendar[], resourceChanged: boolean): void {
    const before = this.value;
    const dropped = this.selection.loaded(calendars, resourceChanged);
    // The old resource's ids go without a warning: the host hears of it in tk-change.
    if (!resourceChanged) this.warnUnknownIds(dropped);
    this.shareAvailability();
    this.requestUpdate();
    // Another resource: its calendars replace the old one's, and the host hears of it once.
    // One tk-change: the default, when the picker chooses one, says the new value.
    if (this.chooseDefault(calendars)) return;
    const after = this.value;
    if (resourceChanged && (after.length !== before.length || after.some((id, i) => id !== before[i]))) emitChange(this, { calendarIds: after });
  }

  private chooseLoadedDefault(): void {
    const calendars = this.calendarsTask.value;
    if (calendars && this.calendarsTask.status === TaskStatus.COMPLETE) this.chooseDefault(calendars);
  }

  /**
   * After a first connect (`ConnectDefaults`), ticks the primary calendar when it is the first row
   * shown, as the provider's tick would (saved in `save="auto"`); answers whether it did.
   */
  private chooseDefault(calendars: readonly TimekitCalendar[]): boolean {
    if (this.noDefaults || !this.connectDefaults.due(this.sessionController.session, calendars, this.selection.selected.length > 0)) return false;
    const accounts = this.sessionController.session?.account?.accounts ?? [];
    const primary = primaryOnTop(groupCalendars(calendars, accounts)[0]?.calendars[0]);
    if (!primary || !matches(primary, this.query)) return false;
    this.selection.toggle(primary.id, true, this.saveMode === 'manual');
    this.shareAvailability();
    emitChange(this, { calendarIds: this.selection.selected, reason: 'default' });
    if (this.saveMode !== 'manual') void this.write(primary, true, true);
    return true;
  }

  protected override renderContent(calendars: readonly TimekitCalendar[]): TemplateResult {
    const t = this.locale.strings;
    const selected = new Set(this.selection.selected);
    const shown = this.filterCalendars(calendars);
    const groups = groupCalendars(shown, this.sessionController.session?.account?.accounts ?? []);
    const syncError = this.sessionController.session?.syncError;
    return html`
      <div part="summary" role="status">${t.checking(this.chosenIds().length)}</div>
      ${this.saveMode === 'manual' ? html`<div part="save-mode">${t.savedWithForm}</div>` : nothing}
      ${syncError
        ? html`<div part="sync-error" role="alert">
            <span>${t.syncFailed} ${this.errorMessage(syncError.code)}</span>
            <button type="button" part="retry-button" @click=${this.handleSyncRetry}>${t.retry}</button>
          </div>`
        : nothing}
      ${this.renderFilter(calendars, this.value)}
      ${shown.length === 0 ? html`<div part="empty">${t.noMatches}</div>` : nothing}
      ${this.renderGroups(groups, (calendar) => this.renderRow(calendar, selected.has(calendar.id)))}
      ${this.unsynced ? html`<div part="warning" role="status">${t.notSynced}</div>` : nothing}
    `;
  }

  private renderRow(calendar: TimekitCalendar, checked: boolean): TemplateResult {
    const t = this.locale.strings;
    const rowError = this.selection.rowErrors.get(calendar.id);
    return html`<div part="option" data-id=${calendar.id}>
      <label>
        <input
          part="checkbox"
          type="checkbox"
          tabindex=${this.rowTabIndex(calendar)}
          .checked=${checked}
          ?disabled=${this.isDisabled}
          aria-busy=${String(this.selection.saving.has(calendar.id))}
          @change=${(event: Event) => this.handleToggle(calendar, (event.target as HTMLInputElement).checked)}
        />
        ${renderCalendarLabel(calendar, t.primary)}
        ${calendar.provider_access === 'reader' ? html`<span part="badge badge-read-only">${t.readOnly}</span>` : nothing}
        ${calendar.provider && this.providerBadges ? html`<span part="badge badge-provider">${this.providerName(calendar.provider)}</span>` : nothing}
      </label>
      ${this.renderRowStatus(calendar.id)} ${rowError
        ? html`<div part="row-error" role="alert">
            <span>${t.saveFailed(calendar.name)} ${this.errorMessage(rowError.error.code)}</span>
            <button type="button" part="retry-button" @click=${() => this.handleRowRetry(calendar)}>${t.retry}</button>
          </div>`
        : nothing}
    </div>`;
  }

  /** "Saving…" (and "(retrying)") while the row's write is under way, then "Saved" for a moment. */
  private renderRowStatus(id: string): TemplateResult | typeof nothing {
    const t = this.locale.strings;
    if (this.selection.saving.has(id)) return html`<span part="row-status">${this.retryingRows.has(id) ? t.retrying : t.saving}</span>`;
    return this.savedRows.has(id) ? html`<span part="row-status" class="saved">${t.saved}</span>` : nothing;
  }

  /** The polite status says each landed save once (the row's "Saved" fades). */
  protected override announcement(calendars: readonly TimekitCalendar[]): string {
    return this.lastSaved || super.announcement(calendars);
  }

  /**
   * What the form gets: the selection once the calendars are loaded (it keeps only their ids),
   * none before, so the form never submits an id the page does not show.
   */
  private get shownIds(): readonly string[] {
    return this.calendarsTask.value ? this.chosenIds() : [];
  }

  /**
   * The chosen ids in the order of the resource's calendars, whatever order they were ticked in,
   * so the value a host saves is the same before and after a reload; before the calendars load,
   * as given.
   */
  private chosenIds(): string[] {
    const chosen = this.selection.selected;
    const calendars = this.calendarsTask.value;
    if (!calendars) return [...chosen];
    // sets: with thousands of calendars, includes() made this quadratic (a long task per render)
    const chosenSet = new Set(chosen);
    const listed = calendars.filter((c) => chosenSet.has(c.id)).map((c) => c.id);
    const listedSet = new Set(listed);
    return [...listed, ...chosen.filter((id) => !listedSet.has(id))];
  }

  protected override formValue(): FormData | null {
    if (!this.name) return null;
    const data = new FormData();
    for (const id of this.shownIds) data.append(this.name, id);
    return data;
  }

  protected override hasNoValue() {
    return this.shownIds.length === 0;
  }

  protected override requiredMessage() {
    return this.locale.strings.requiredCalendars;
  }

  protected override restoreFormValue(state: FormData | string): void {
    this.value = typeof state === 'string' ? [state] : state.getAll(this.name).filter((id) => typeof id === 'string');
  }

  /** Back to the `value` attribute's ids, as a native control; without one, to what Timekit syncs. */
  formResetCallback(): void {
    this.selection.reset(this.hasAttribute('value') ? idsFromAttribute(this.getAttribute('value')) : undefined);
    const calendars = this.calendarsTask.value;
    if (calendars) this.selection.keepOnly(calendars);
    this.shareAvailability();
    this.requestUpdate('value');
  }

  private handleToggle(calendar: TimekitCalendar, checked: boolean): void {
    this.selection.toggle(calendar.id, checked, this.saveMode === 'manual');
    this.shareAvailability();
    emitChange(this, { calendarIds: this.value });
    if (this.saveMode !== 'manual') void this.write(calendar, checked, true);
  }

  private handleSyncRetry(): void {
    void this.sessionController.session?.sync();
  }

  private handleRowRetry(calendar: TimekitCalendar): void {
    const failed = this.selection.rowErrors.get(calendar.id);
    if (!failed) return;
    this.selection.clearRowErrors(calendar.id);
    if (this.saveMode === 'manual') {
      void this.write(calendar, failed.sync, false);
      return;
    }
    this.selection.setSelected(calendar.id, failed.sync);
    this.shareAvailability();
    emitChange(this, { calendarIds: this.value });
    void this.write(calendar, failed.sync, true);
  }

  /**
   * Writes one calendar's `provider_sync`; `rollback` undoes the optimistic toggle on failure, and
   * tells the page with `tk-change` alone (the user did not choose the new value).
   */
  private async write(calendar: TimekitCalendar, sync: boolean, rollback: boolean): Promise<boolean> {
    const session = this.sessionController.session;
    if (!session) return false;
    // Switching a Microsoft calendar on has answered 5xx for Timekit's users (the emulator's
    // microsoftSyncEnableFails): trying it again in the background would only delay the row's
    // error, so the session sends it once and the row's Retry sends it again.
    const retry = !(calendar.provider === 'microsoft' && sync);
    const onRetry = () => {
      this.retryingRows.add(calendar.id);
      this.requestUpdate();
    };
    this.showSaved(calendar, false);
    const outcome = await this.selection.write(calendar.id, sync, rollback, (id, value) => session.setProviderSync(id, value, { retry, onRetry }));
    if (!this.selection.saving.has(calendar.id)) this.retryingRows.delete(calendar.id);
    if (outcome.saved) this.showSaved(calendar, true);
    if (outcome.saved || outcome.aborted) return outcome.saved;
    if (outcome.rolledBack) {
      this.shareAvailability();
      this.dispatchEvent(new TkChangeEvent<TkCalendarsChangeDetail>({ calendarIds: this.value }));
    }
    this.emitError(outcome.error);
    return false;
  }

  /** Shows "Saved" on the row for a moment (`on`), and says it once in the polite status; or ends it. */
  private showSaved(calendar: TimekitCalendar, on: boolean): void {
    clearTimeout(this.savedRows.get(calendar.id));
    this.savedRows.delete(calendar.id);
    if (on) {
      this.lastSaved = this.locale.strings.savedRow(calendar.name);
      this.savedRows.set(
        calendar.id,
        setTimeout(() => {
          this.savedRows.delete(calendar.id);
          this.requestUpdate();
        }, SAVED_SHOWN_MS),
      );
    }
    this.requestUpdate();
  }

  /** Tells the page's booking targets which calendars this picker has chosen, and lets them add one. */
  private shareAvailability(): void {
    this.sessionController.session?.reportPickedCalendars(this, this.selection.selected, this.pickForTarget);
  }

  /** The booking target's one-click fix: ticks its calendar here, as the provider would. */
  private readonly pickForTarget = (calendarId: string): void => {
    const calendar = this.calendarsTask.value?.find((c) => c.id === calendarId);
    if (calendar && !this.isDisabled && !this.selection.selected.includes(calendarId)) this.handleToggle(calendar, true);
  };
}
