/** Which string table an element uses: its nearest `lang`, English built in, the others fetched once. */
import { isServer } from 'lit';
import { en, type TkStrings } from './en.js';

// English is built in; the other tables are separate chunks, fetched the first time an element
// sits under that `lang`, so a page pays only for the languages it shows.
const tables = new Map<string, TkStrings>([['en', en]]);
// A Map, not an object literal: `lang="constructor"` must not find Object.prototype's members.
const loaders = new Map<string, () => Promise<TkStrings>>([
  ['de', () => import('./de.js').then((m) => m.de)],
  ['es', () => import('./es.js').then((m) => m.es)],
]);
const loading = new Map<string, Promise<void>>();

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

/** Adds (or replaces) the table for a language, for languages the kit does not ship. */
export function registerTkStrings(lang: string, strings: TkStrings): void {
  tables.set(primary(lang), strings);
}

/**
 * The string table for a language tag (`de-AT` → German; unknown → English), with overrides on
 * top. While a shipped table is still loading this answers English and resolves `ready` once it
 * is there, so the caller can render again.
 */
export function stringsFor(lang: string, overrides?: Partial<TkStrings>): { strings: TkStrings; ready?: Promise<void> } {
  const code = primary(lang);
  const table = tables.get(code);
  const load = table ? undefined : loaders.get(code);
  let ready: Promise<void> | undefined;
  if (load) {
    ready = loading.get(code);
    if (!ready) {
      ready = load().then((strings) => void tables.set(code, strings));
      loading.set(code, ready);
    }
  }
  const base = table ?? en;
  return { strings: overrides ? { ...base, ...overrides } : base, ready };
}

export type { TkStrings };
