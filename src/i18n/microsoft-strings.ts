/** `<tk-microsoft-connect>`'s string tables: English in the element's chunk, German and Spanish fetched on first use. */
import { stringTables } from './locale.js';
import { microsoftEn, type TkMicrosoftStrings } from './microsoft-en.js';

export const microsoftStrings = stringTables<TkMicrosoftStrings>(microsoftEn, {
  de: () => import('./microsoft-de.js').then((m) => m.microsoftDe),
  es: () => import('./microsoft-es.js').then((m) => m.microsoftEs),
});

export type { TkMicrosoftStrings };
