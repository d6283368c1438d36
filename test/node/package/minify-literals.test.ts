/**
 * scripts/build/minify-literals.ts: the build shrinks css`` and html`` text without changing what it means.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyCss, minifyLitLiterals } from '../../../scripts/build/minify-literals.js';

describe('build: Lit literal minifier', () => {
  it('drops comments, whitespace around braces, semicolons and >, and the last semicolon of a block', () => {
    const css = `
      /* a comment */
      :host([hidden]), label > span {
        display: none ;
        margin-block: 0.75em 0.25em;
      }
    `;
    assert.equal(minifyCss(css), ':host([hidden]), label>span{display:none;margin-block:0.75em 0.25em}');
  });

  it('keeps the space that makes a descendant selector and the spaces inside values', () => {
    assert.equal(minifyCss('a :focus-visible { outline: 2px solid var(--x, Highlight); }'), 'a :focus-visible{outline:2px solid var(--x, Highlight)}');
    assert.equal(minifyCss('@media (min-width: 30em) and (prefers-color-scheme: dark) { a { b: c } }'), '@media (min-width:30em) and (prefers-color-scheme:dark){a{b:c}}');
  });

  it('rewrites css`` and html`` in src modules only; css`` with ${…} and other templates stay', () => {
    const plugin = minifyLitLiterals();
    const transform = plugin.transform as (code: string, id: string) => { code: string } | null;
    assert.equal(transform('const s = css` a { b: c; } `;', '/repo/src/x.styles.ts')!.code, 'const s = css`a{b:c}`;');
    assert.equal(transform('const s = css` a { b: c; } `;', '/repo/node_modules/lit/x.js'), null);
    assert.equal(transform('const s = css` a { b: ${v}; } `;', '/repo/src/x.styles.ts'), null);
    const template = [
      'const t = html`',
      '  <ul part="list" aria-label=${label}>',
      '    ${items.map((item) => html`',
      '      <li>${item} · ${`x\n  y`}</li>`)}',
      '  </ul>`;',
      'const other = `a',
      '  b`;',
    ].join('\n');
    assert.equal(
      transform(template, '/repo/src/x.ts')!.code,
      ['const t = html` <ul part="list" aria-label=${label}> ${items.map((item) => html` <li>${item} · ${`x\n  y`}</li>`)} </ul>`;', 'const other = `a', '  b`;'].join('\n'),
    );
  });
});
