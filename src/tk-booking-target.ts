/** Registers `<tk-booking-target>` (once, whoever imports it first) and types the tag for TypeScript. */
import { TkBookingTarget } from './components/booking-target/booking-target.js';

if (!customElements.get('tk-booking-target')) customElements.define('tk-booking-target', TkBookingTarget);

declare global {
  interface HTMLElementTagNameMap {
    'tk-booking-target': TkBookingTarget;
  }
}
