/**
 * The docs a newcomer reads first hold together: README.md stays an entry point (at most 300
 * lines, "Two commands" shows two), it and the Quick start install the package the way that works
 * before it is published (a packed tarball), and every relative link and anchor in README.md,
 * CONTRIBUTING.md, SECURITY.md and docs/*.md leads somewhere.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const docs = readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`);
const pages = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', ...docs];
const read = (page: string) => readFileSync(join(root, page), 'utf8');
const { version } = JSON.parse(read('package.json')) as { version: string };

/** The page without its fenced code blocks: a `#` line or a `[x](y)` in code is neither a heading nor a link. */
const prose = (markdown: string) => markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[ \t]*$/gm, '');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of prose(markdown).matchAll(/^#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const plain = text!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = plain.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  for (const [, id] of markdown.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(id!);
  return anchors;
}

/** Every link target in the page's prose, inline code left out. */
function linksOf(markdown: string): string[] {
  const text = prose(markdown).replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(([, target]) => target!);
}

/** The lines of the first ```sh block after a heading, comments and blank lines left out. */
function commandsUnder(markdown: string, heading: string): string[] {
  const section = markdown.slice(markdown.indexOf(`\n${heading}\n`));
  const block = /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('docs: an entry point whose links lead somewhere', () => {
  it('README.md is an entry point of at most 300 lines', () => {
    const lines = read('README.md').split('\n').length;
    assert.ok(lines <= 300, `README.md has ${lines} lines: move detail to a page under docs/`);
  });

  it('"Two commands" shows two commands', () => {
    assert.deepEqual(commandsUnder(read('README.md'), '## Two commands'), ['npm start', 'npm test']);
  });

  it('README and the Quick start install the packed tarball, and no page tells to install the unpublished name', () => {
    for (const page of ['README.md', 'docs/quick-start.md']) {
      const markdown = read(page);
      assert.match(markdown, /npm run build && npm pack/, `${page}: how to make the tarball`);
      assert.ok(markdown.includes(`npm install ./tk-elements-${version}.tgz`), `${page}: npm install ./tk-elements-${version}.tgz`);
    }
    for (const page of pages) {
      // Until tk-elements is on the npm registry, this command fails with E404.
      assert.doesNotMatch(read(page), /^npm install tk-elements\b/m, `${page}: npm install tk-elements cannot work before it is published`);
    }
  });

  it('every relative link names a file that exists, and every anchor a heading there', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const link of linksOf(read(page))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
        const [path, anchor] = link.split('#') as [string, string | undefined];
        const target = path === '' ? join(root, page) : join(root, dirname(page), decodeURI(path));
        if (!existsSync(target)) {
          broken.push(`${page}: ${link} (no ${relative(root, target)})`);
          continue;
        }
        if (anchor !== undefined && target.endsWith('.md') && !anchorsOf(readFileSync(target, 'utf8')).has(anchor)) {
          broken.push(`${page}: ${link} (no heading #${anchor} in ${relative(root, target)})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('finds the links and anchors it checks', () => {
    const readme = linksOf(read('README.md'));
    assert.ok(readme.includes('docs/quick-start.md') && readme.includes('CONTRIBUTING.md'), 'README links the Quick start and CONTRIBUTING.md');
    assert.ok(anchorsOf(read('docs/quick-start.md')).has('5-the-ids-to-save-and-who-owns-which-state'));
    assert.ok(anchorsOf(read('docs/companion.md')).has('the-authenticate-and-store-hooks'));
    assert.ok(!anchorsOf(read('docs/companion.md')).has('development-against-the-emulator-everybody-signed-in-as-user-dev'), 'a # line in a code block is no heading');
  });
});
