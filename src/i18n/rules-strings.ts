/** `<tk-availability-rules>`'s string tables: English in the element's chunk, German and Spanish fetched on first use. */
import { stringTables } from './locale.js';
import { rulesEn, type TkRulesStrings } from './rules-en.js';

export const rulesStrings = stringTables<TkRulesStrings>(rulesEn, {
  de: () => import('./rules-de.js').then((m) => m.rulesDe),
  es: () => import('./rules-es.js').then((m) => m.rulesEs),
});

export type { TkRulesStrings };
