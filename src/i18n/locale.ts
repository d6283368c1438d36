/** Which string table an element uses: its nearest `lang`, English built in, the others fetched once. */
import { isServer } from 'lit';
import { en, type TkStrings, type TkTableStrings } from './en.js';
import { stringTables } from './string-tables.js';

export { stringTables, type StringTables } from './string-tables.js';

/** The `lang` of the nearest ancestor that has one, crossing shadow roots; then the browser's. */
export function closestLang(element: Element): string {
  // A server render sees no ancestors: English, until the browser renders in the page's language.
  if (isServer) return 'en';
  for (let node: Node | null = element; node; ) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang')!;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return navigator.language;
}

// English is built in; the other tables are separate chunks, fetched the first time an element
// sits under that `lang`, so a page pays only for the languages it shows.
export const kitStrings = stringTables<TkTableStrings>(en, {
  de: () => import('./de.js').then((m) => m.de),
  es: () => import('./es.js').then((m) => m.es),
});

/** Adds (or replaces) the table for a language, for languages the kit does not ship. */
export function registerTkStrings(lang: string, strings: TkStrings): void {
  kitStrings.register(lang, strings);
}

export type { TkStrings, TkTableStrings };
