import ts from 'typescript';
import type { Plugin } from 'vite';

/**
 * Shrinks the static text of Lit's literals in src/, so the kit fits its size budget; what the
 * text means stays the same:
 * - css`` (without `${…}`: none in src, and CSS tokens may span them): comments go, whitespace
 *   collapses, the spaces around CSS punctuation disappear;
 * - html``: a line break and the indentation around it become one space, as HTML renders them
 *   anyway (no element of ours keeps whitespace: no <pre>, no white-space: pre).
 * The literals are found with TypeScript's parser, so nested templates and `${…}` are exact.
 */
export function minifyLitLiterals(): Plugin {
  return {
    name: 'tk-minify-lit-literals',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\b(css|html)`/.test(code)) return null;
      let out = code;
      // from the end, so the earlier positions stay valid
      for (const { tag, start, end } of literalTexts(code, id).reverse()) {
        const text = code.slice(start, end);
        out = out.slice(0, start) + (tag === 'css' ? minifyCss(text) : text.replace(/\s*\n\s*/g, ' ')) + out.slice(end);
      }
      return out === code ? null : { code: out, map: null };
    },
  };
}

/** The static text of every css`` and html`` literal: positions of the parts between the `${…}`s. */
function literalTexts(code: string, id: string): Array<{ tag: 'css' | 'html'; start: number; end: number }> {
  const file = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true);
  const texts: Array<{ tag: 'css' | 'html'; start: number; end: number }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && (node.tag.text === 'css' || node.tag.text === 'html')) {
      const tag = node.tag.text;
      const template = node.template;
      if (tag === 'css' && !ts.isNoSubstitutionTemplateLiteral(template)) return;
      const parts = ts.isNoSubstitutionTemplateLiteral(template) ? [template] : [template.head, ...template.templateSpans.map((span) => span.literal)];
      for (const part of parts) {
        // `…` and }…` end with one character, `…${ and }…${ with two
        const closing = ts.isNoSubstitutionTemplateLiteral(part) || ts.isTemplateTail(part) ? 1 : 2;
        texts.push({ tag, start: part.getStart(file) + 1, end: part.getEnd() - closing });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return texts.sort((a, b) => a.start - b.start);
}

/** Minifies CSS text (a whole css`` literal without `${…}`). */
export function minifyCss(text: string): string {
  return (
    text
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      // not before ':', where a space means a descendant (`a :focus`), and not around ',',
      // whose spaces a var() fallback keeps (`var(--a, b)` serialises differently)
      .replace(/\s*([{};>])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/;}/g, '}')
      .trim()
  );
}
