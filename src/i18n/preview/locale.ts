/**
 * Which preview string table an element uses: English built in, German and Spanish fetched the
 * first time a preview sits under that `lang` (as `../locale.ts` does for `TkStrings`).
 */
import { previewEn, type TkPreviewStrings } from './en.js';

const tables = new Map<string, TkPreviewStrings>([['en', previewEn]]);
const loaders: Record<string, () => Promise<TkPreviewStrings>> = {
  de: () => import('./de.js').then((m) => m.previewDe),
  es: () => import('./es.js').then((m) => m.previewEs),
};
const loading = new Map<string, Promise<void>>();

/** The table for a language tag (`de-AT` → German; unknown → English); `ready` resolves once a table still loading is there. */
export function previewStringsFor(lang: string): { strings: TkPreviewStrings; ready?: Promise<void> } {
  const code = lang.toLowerCase().split('-')[0]!;
  const table = tables.get(code);
  if (table || !loaders[code]) return { strings: table ?? previewEn };
  let ready = loading.get(code);
  if (!ready) {
    ready = loaders[code]().then((strings) => void tables.set(code, strings));
    loading.set(code, ready);
  }
  return { strings: previewEn, ready };
}

export type { TkPreviewStrings };
