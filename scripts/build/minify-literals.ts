import type { Plugin } from 'vite';

/**
 * Shrinks the static text of Lit's css`` literals in src/: comments go, whitespace collapses,
 * and the spaces around CSS punctuation disappear. The CSS means the same; only bytes change
 * (about a tenth of the kit's own code is style text). html`` templates are left alone: there
 * whitespace can be content.
 */
export function minifyLitLiterals(): Plugin {
  return {
    name: 'tk-minify-lit-literals',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      return { code: code.replace(/\bcss`([^`]*)`/g, (_, body: string) => `css\`${minifyCss(body)}\``), map: null };
    },
  };
}

/** Minifies CSS text; `${…}` interpolations (no braces inside) pass through untouched. */
export function minifyCss(text: string): string {
  return text
    .split(/(\$\{[^}]*\})/)
    .map((part, i) =>
      i % 2
        ? part
        : part
            .replace(/\/\*[\s\S]*?\*\//g, '')
            .replace(/\s+/g, ' ')
            // not before ':', where a space means a descendant (`a :focus`), and not around ',',
            // whose spaces a var() fallback keeps (`var(--a, b)` serialises differently)
            .replace(/\s*([{};>])\s*/g, '$1')
            .replace(/:\s+/g, ':')
            .replace(/;}/g, '}'),
    )
    .join('')
    .trim();
}
