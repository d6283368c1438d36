/**
 * Which preview string table an element uses: English built in, German and Spanish fetched the
 * first time a preview sits under that `lang` (see `stringTables`).
 */
import { stringTables } from '../locale.js';
import { previewEn, type TkPreviewStrings } from './en.js';

export const previewStringTables = stringTables<TkPreviewStrings>(previewEn, {
  de: () => import('./de.js').then((m) => m.previewDe),
  es: () => import('./es.js').then((m) => m.previewEs),
});

export type { TkPreviewStrings };
