/**
 * The calendar picker's selection and how it is saved, without the DOM: the ids chosen, the ids
 * Timekit syncs, optimistic writes with rollback, per-row errors, and how a reload merges with
 * writes still under way. The element renders it and fires the events; tests drive it in Node.
 */
import type { TimekitCalendar } from '../shared/timekit.js';
import { isAbort, toTkError, type TkError } from '../session/errors.js';
import { syncedIds } from './calendars.js';

export interface RowError {
  error: TkError;
  /** The `provider_sync` value the user asked for, for the retry. */
  sync: boolean;
}

/** What became of one write. */
export type WriteOutcome =
  | { saved: true }
  /** Cancelled (the picker went away, or a newer request replaced it): nothing to report. */
  | { saved: false; aborted: true }
  /** Timekit refused; `rolledBack` when the optimistic toggle was undone (only for the latest write). */
  | { saved: false; aborted: false; error: TkError; rolledBack: boolean };

/** Writes one calendar's `provider_sync` and answers the calendar as Timekit now has it. */
export type WriteProviderSync = (calendarId: string, sync: boolean) => Promise<Pick<TimekitCalendar, 'provider_sync'>>;

export class CalendarSelection {
  /** The selected ids, in the order they were chosen. */
  private selectedIds: readonly string[] = [];
  /** The ids Timekit syncs, as last loaded or saved; a form reset returns to them. */
  private readonly savedIds = new Set<string>();
  /** Code set the value, or the user changed it in manual mode: a reload must not replace it. */
  private selectionIsUserOwned = false;
  /**
   * The latest write per calendar and the value it asks for: an older write's failure must not
   * undo a newer toggle, and a reload that lands mid-write keeps what the user chose.
   */
  private readonly latestWrites = new Map<string, { sync: boolean }>();
  private savingIds: ReadonlySet<string> = new Set();
  private errorsByRow: ReadonlyMap<string, RowError> = new Map();
  /** Called after every change the element must render. */
  private readonly onChange: () => void;

  constructor(onChange: () => void) {
    this.onChange = onChange;
  }

  get selected(): readonly string[] {
    return this.selectedIds;
  }

  /** The calendars being written now. */
  get saving(): ReadonlySet<string> {
    return this.savingIds;
  }

  get rowErrors(): ReadonlyMap<string, RowError> {
    return this.errorsByRow;
  }

  /** Whether the selection differs from what Timekit syncs, once no write is under way. */
  get differsFromSaved(): boolean {
    if (this.latestWrites.size > 0) return false;
    return this.selectedIds.length !== this.savedIds.size || this.selectedIds.some((id) => !this.savedIds.has(id));
  }

  /** The calendars whose selection differs from Timekit's, with the value each should get. */
  unsavedChanges(calendars: readonly TimekitCalendar[]): { calendar: TimekitCalendar; sync: boolean }[] {
    const selected = new Set(this.selectedIds);
    return calendars.filter((c) => selected.has(c.id) !== this.savedIds.has(c.id)).map((calendar) => ({ calendar, sync: selected.has(calendar.id) }));
  }

  /** `.value` set from code: kept across reloads. */
  setFromCode(ids: readonly string[]): void {
    this.selectedIds = [...ids];
    this.selectionIsUserOwned = true;
  }

  /** A toggle by the user; in manual mode the selection is the user's from then on. */
  toggle(id: string, on: boolean, manual: boolean): void {
    if (manual) this.selectionIsUserOwned = true;
    this.setSelected(id, on);
    this.clearRowErrors(id);
  }

  setSelected(id: string, on: boolean): void {
    const without = this.selectedIds.filter((c) => c !== id);
    this.selectedIds = on ? [...without, id] : without;
    this.onChange();
  }

  /**
   * Keeps only the ids among `calendars`, as a `<select>` takes no value it has no option for;
   * answers the ids it dropped.
   */
  keepOnly(calendars: readonly TimekitCalendar[]): string[] {
    const here = new Set(calendars.map((c) => c.id));
    const dropped = this.selectedIds.filter((id) => !here.has(id));
    if (dropped.length > 0) this.selectedIds = this.selectedIds.filter((id) => here.has(id));
    return dropped;
  }

  /**
   * A load of the calendars: what Timekit syncs becomes the saved state and, unless code or the
   * user owns the selection, the selection too, with the writes under way on top. An owned
   * selection keeps only the ids the resource has. For another resource's calendars nothing of
   * the old one stands: its writes and row errors are forgotten. Answers the owned ids dropped.
   */
  loaded(calendars: readonly TimekitCalendar[], resourceChanged = false): string[] {
    this.savedIds.clear();
    for (const id of syncedIds(calendars)) this.savedIds.add(id);
    if (resourceChanged) {
      this.latestWrites.clear();
      this.clearRowErrors();
    }
    const dropped = this.keepOnly(calendars);
    if (this.selectionIsUserOwned) return dropped;
    const ids = new Set(this.savedIds);
    for (const [id, { sync }] of this.latestWrites) {
      if (sync) ids.add(id);
      else ids.delete(id);
    }
    this.selectedIds = [...ids];
    // the ids dropped were Timekit's own, not a value given
    return [];
  }

  /** A form reset: back to `ids` (the page's `value` attribute) when given, else to what Timekit syncs; no row errors. */
  reset(ids?: readonly string[]): void {
    this.selectedIds = [...(ids ?? this.savedIds)];
    this.selectionIsUserOwned = ids !== undefined;
    this.clearRowErrors();
  }

  clearRowErrors(id?: string): void {
    if (id === undefined) this.errorsByRow = new Map();
    else if (this.errorsByRow.has(id)) {
      const next = new Map(this.errorsByRow);
      next.delete(id);
      this.errorsByRow = next;
    }
    this.onChange();
  }

  /** Writes one calendar's `provider_sync`; `rollback` undoes the optimistic toggle on failure. */
  async write(id: string, sync: boolean, rollback: boolean, writeProviderSync: WriteProviderSync): Promise<WriteOutcome> {
    const latestWrite = { sync };
    this.latestWrites.set(id, latestWrite);
    this.savingIds = new Set(this.savingIds).add(id);
    this.onChange();
    try {
      const saved = await writeProviderSync(id, sync);
      if (saved.provider_sync) this.savedIds.add(id);
      else this.savedIds.delete(id);
      return { saved: true };
    } catch (error) {
      if (isAbort(error)) return { saved: false, aborted: true };
      const tkError = toTkError(error);
      const isLatest = this.latestWrites.get(id) === latestWrite;
      if (isLatest) {
        this.errorsByRow = new Map(this.errorsByRow).set(id, { error: tkError, sync });
        if (rollback) this.setSelected(id, !sync);
      }
      return { saved: false, aborted: false, error: tkError, rolledBack: isLatest && rollback };
    } finally {
      if (this.latestWrites.get(id) === latestWrite) {
        this.latestWrites.delete(id);
        const saving = new Set(this.savingIds);
        saving.delete(id);
        this.savingIds = saving;
        this.onChange();
      }
    }
  }
}
