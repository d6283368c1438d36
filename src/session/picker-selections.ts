/**
 * What the pickers on one page have picked for availability, so `<tk-booking-target>` can warn
 * when its target is not among them. Each picker reports its own selection; the session keeps
 * the union. (Not Timekit's `/availability` endpoint: this is page state only.)
 */
export class PickerSelections {
  /** Keyed by the reporting picker, so one picker's report replaces only its own. */
  readonly #byPicker = new Map<object, readonly string[]>();
  /** How each picker that can adds a calendar to its selection. */
  readonly #pickers = new Map<object, (calendarId: string) => void>();

  /** The union of every picker's selection, or null when no picker reported any. */
  get union(): string[] | null {
    if (this.#byPicker.size === 0) return null;
    return [...new Set([...this.#byPicker.values()].flat())];
  }

  /** A picker reports its selection, and how to add to it; `null` withdraws it (the picker left the page). */
  set(picker: object, calendarIds: readonly string[] | null, pick?: (calendarId: string) => void): void {
    this.#pickers.delete(picker);
    if (calendarIds === null) this.#byPicker.delete(picker);
    else this.#byPicker.set(picker, calendarIds);
    if (calendarIds !== null && pick) this.#pickers.set(picker, pick);
  }

  /** Adds a calendar in the first picker that can; answers whether one did. */
  pick(calendarId: string): boolean {
    const [pick] = this.#pickers.values();
    pick?.(calendarId);
    return pick !== undefined;
  }
}
