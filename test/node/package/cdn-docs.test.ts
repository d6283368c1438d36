/**
 * The CDN docs against the CDN build (dist/, from `npm run build`, which `npm test` runs first):
 * every `tk-elements….js` file a page names is one `dist/cdn/` has, and no page that talks about
 * `dist/cdn/` counts its files (the build adds chunks; a host that copied only the counted ones lost
 * the developer messages).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cdn = join(root, 'dist', 'cdn');
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];
const read = (page: string) => readFileSync(join(root, page), 'utf8');

describe('package: the CDN docs name what dist/cdn/ has', () => {
  before(() => {
    assert.ok(existsSync(join(cdn, 'tk-elements.js')), 'dist/cdn/ is missing: run `npm run build` first (npm test does)');
  });

  it('every tk-elements….js a page names is in dist/cdn/', () => {
    const built = new Set(readdirSync(cdn));
    for (const page of pages) {
      for (const [name] of read(page).matchAll(/\btk-elements(?:\.[\w-]+)*\.js\b/g)) {
        assert.ok(built.has(name), `${page} names ${name}, which dist/cdn/ does not have (it has ${[...built].join(', ')})`);
      }
    }
  });

  it('no page that mentions dist/cdn/ counts its files', () => {
    for (const page of pages) {
      const text = read(page);
      if (!text.includes('dist/cdn')) continue;
      const count = /\b(?:one|two|three|four|five|six|\d+) (?:files|names)\b/i.exec(text);
      assert.equal(count, null, `${page} says "${count?.[0]}": dist/cdn/ has ${readdirSync(cdn).length} files, and more may come`);
    }
  });
});
