/** Which string table an element uses: its nearest `lang`, English built in, the others fetched once. */
import { isServer } from 'lit';
import { en, type TkStrings } from './en.js';

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

const primary = (lang: string) => lang.toLowerCase().split('-')[0]!;

/** One set of string tables per language: English built in, the others fetched on first use. */
export interface StringTables<T> {
  /** Adds (or replaces) the table for a language. */
  register(lang: string, strings: T): void;
  /**
   * The table for a language tag (`de-AT` → German; unknown → English), with overrides on top.
   * While a shipped table is still loading this answers English and resolves `ready` once it is
   * there, so the caller can render again.
   */
  for(lang: string, overrides?: Partial<T>): { strings: T; ready?: Promise<void> };
}

/** String tables with `english` built in and `loaders` for the languages fetched as separate chunks. */
export function stringTables<T>(english: T, loaders: Record<string, () => Promise<T>>): StringTables<T> {
  const tables = new Map<string, T>([['en', english]]);
  const loading = new Map<string, Promise<void>>();
  return {
    register: (lang, strings) => void tables.set(primary(lang), strings),
    for(lang, overrides) {
      const code = primary(lang);
      const table = tables.get(code);
      let ready: Promise<void> | undefined;
      // own keys only: `lang="constructor"` must not find Object.prototype's members
      const load = table || !Object.hasOwn(loaders, code) ? undefined : loaders[code];
      if (load) {
        ready = loading.get(code);
        if (!ready) {
          ready = load().then((strings) => void tables.set(code, strings));
          loading.set(code, ready);
        }
      }
      const base = table ?? english;
      return { strings: overrides ? { ...base, ...overrides } : base, ready };
    },
  };
}

// English is built in; the other tables are separate chunks, fetched the first time an element
// sits under that `lang`, so a page pays only for the languages it shows.
export const kitStrings = stringTables<TkStrings>(en, {
  de: () => import('./de.js').then((m) => m.de),
  es: () => import('./es.js').then((m) => m.es),
});

/** Adds (or replaces) the table for a language, for languages the kit does not ship. */
export function registerTkStrings(lang: string, strings: TkStrings): void {
  kitStrings.register(lang, strings);
}

export type { TkStrings };
