/**
 * Registers `<tk-availability-rules>` (once, whoever imports it first), types the tag for
 * TypeScript, and exports its class. The element is an entry of its own, outside `index.js`, so a
 * page with only the core elements never loads it.
 */
import { TkAvailabilityRulesElement } from './components/availability-rules/availability-rules.js';

if (!customElements.get('tk-availability-rules')) customElements.define('tk-availability-rules', TkAvailabilityRulesElement);

export { TkAvailabilityRulesElement };
export type { TkRulesStrings } from './i18n/rules-strings.js';
export type { TkAvailabilityRules, TkConstraint, TkPeriod, TkWeekday } from './shared/constraints.js';
export { TK_WEEKDAYS } from './shared/constraints.js';

declare global {
  interface HTMLElementTagNameMap {
    'tk-availability-rules': TkAvailabilityRulesElement;
  }
}
