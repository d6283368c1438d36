/**
 * String tables per language, without any table of its own: a module that imports nothing and
 * runs nothing when loaded, so a lazy chunk can import it without making the CDN build split the
 * core file in two (locale.ts builds the kit's tables when it loads).
 */
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
