/**
 * The pair of events a picker fires when the user changes its value: `tk-change` with the ids,
 * then the native `change`, as form controls do. Never fired when code sets `.value`.
 */
import { TkChangeEvent, type TkChangeEventDetail } from '../events/change.js';

/**
 * A function rather than a base-class method: the manifest analyzer would list the events of a
 * method on the base class a second time, as inherited, beside each picker's own `@fires`.
 */
export function emitChange(picker: HTMLElement, detail: TkChangeEventDetail): void {
  picker.dispatchEvent(new TkChangeEvent(detail));
  picker.dispatchEvent(new Event('change', { bubbles: true, composed: true }));
}
