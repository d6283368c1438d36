import { de } from './de.js';
import { en, type TkStrings } from './en.js';
import { es } from './es.js';

const TABLES: Record<string, TkStrings> = { en, de, es };

/** The `lang` of the nearest ancestor that has one, crossing shadow roots; then the browser's. */
export function closestLang(element: Element): string {
  for (let node: Node | null = element; node; ) {
    if (node instanceof Element && node.hasAttribute('lang')) return node.getAttribute('lang')!;
    node = node.parentNode ?? (node instanceof ShadowRoot ? node.host : null);
  }
  return navigator.language;
}

/** The string table for a language tag (`de-AT` → German; unknown → English), with overrides on top. */
export function stringsFor(lang: string, overrides?: Partial<TkStrings>): TkStrings {
  const base = TABLES[lang.toLowerCase().split('-')[0]] ?? en;
  return overrides ? { ...base, ...overrides } : base;
}

export type { TkStrings };
