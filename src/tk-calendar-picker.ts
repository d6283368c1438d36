/** Registers `<tk-calendar-picker>` (once, whoever imports it first) and types the tag for TypeScript. */
import { TkCalendarPicker } from './components/calendar-picker/calendar-picker.js';

if (!customElements.get('tk-calendar-picker')) customElements.define('tk-calendar-picker', TkCalendarPicker);

declare global {
  interface HTMLElementTagNameMap {
    'tk-calendar-picker': TkCalendarPicker;
  }
}
