/** `<tk-availability-preview>`'s string tables: English in the element's chunk, German and Spanish fetched on first use. */
import { stringTables } from './locale.js';
import { previewEn, type TkPreviewStrings } from './preview-en.js';

export const previewStrings = stringTables<TkPreviewStrings>(previewEn, {
  de: () => import('./preview-de.js').then((m) => m.previewDe),
  es: () => import('./preview-es.js').then((m) => m.previewEs),
});

export type { TkPreviewStrings };
