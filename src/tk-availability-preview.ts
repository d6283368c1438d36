/**
 * Registers `<tk-availability-preview>` (once, whoever imports it first), exports its class and
 * types the tag for TypeScript. An entry of its own, outside `tk-elements` (index): a page without
 * the preview never loads it.
 */
import { TkAvailabilityPreview } from './components/availability-preview/availability-preview.js';

if (!customElements.get('tk-availability-preview')) customElements.define('tk-availability-preview', TkAvailabilityPreview);

export { TkAvailabilityPreview };
export type { TkPreviewStrings } from './i18n/preview-en.js';
export type { TkAvailabilityRules, TkConstraint, TkSlot, TkWeekday } from './shared/constraints.js';

declare global {
  interface HTMLElementTagNameMap {
    'tk-availability-preview': TkAvailabilityPreview;
  }
}
