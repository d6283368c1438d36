/**
 * The docs' code compiles as written, the way a reader gets the package before it is published:
 * `npm pack`, then `npm install ./tk-elements-<version>.tgz` into an app. Every ```ts, ```tsx and
 * ```vue block in README.md and docs/*.md is written out as a file of that app (named by its
 * first-line comment, `// companion.ts`, so blocks can import each other) and compiled under
 * `strict` against the installed package, with tsc and vue-tsc. And no snippet loads the
 * elements from a path that only works with a bundler.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
// The app sits inside the checkout: `tk-elements` resolves to the tarball installed in its own
// node_modules, and what the snippets import besides (express, hono, react, vue) to the checkout's.
const work = join(root, '.docs-snippets');
// Offline when the cache has Lit (it does after `npm ci`); no audit or funding calls.
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const pages = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/**
 * The modules SvelteKit and Astro generate or ship, which are not installed here, declared with
 * the members the docs use, as those frameworks type them.
 */
const FRAMEWORK_MODULES = `
declare module '$env/dynamic/private' {
  export const env: Record<string, string | undefined>;
}
declare module '@sveltejs/kit' {
  export interface RequestEvent { request: Request; url: URL }
  export type Handle = (input: { event: RequestEvent; resolve(event: RequestEvent): Response | Promise<Response> }) => Response | Promise<Response>;
}
declare module 'astro:env/server' {
  export function getSecret(key: string): string | undefined;
}
declare module 'astro' {
  export type APIRoute = (context: { request: Request }) => Response | Promise<Response>;
}
`;

interface Snippet {
  page: string;
  lang: string;
  file: string;
  code: string;
}

function snippets(): Snippet[] {
  return pages.flatMap((page) => {
    const markdown = readFileSync(join(root, page), 'utf8');
    return [...markdown.matchAll(/^```(ts|tsx|vue)\n([\s\S]*?)^```$/gm)].map((match, index) => {
      const [, lang, code] = match as unknown as [string, string, string];
      const named = /^(?:\/\/|<!--)\s*([\w./[\]-]+\.(?:ts|tsx|vue))\b/.exec(code);
      return { page, lang, code, file: named?.[1] ?? `${page.replace(/\W/g, '-')}-${index}.${lang}` };
    });
  });
}

const tsc = (bin: string, project: string) =>
  run(process.execPath, [join(root, 'node_modules', bin), '--noEmit', '-p', project], { cwd: work }).then(
    () => '',
    (error: { stdout: string }) => error.stdout,
  );

describe('docs: every snippet compiles as written against the installed tarball', () => {
  const all = snippets();
  let packed: string;

  before(async () => {
    assert.ok(existsSync(join(root, 'dist', 'node', 'companion', 'index.d.ts')), 'dist/ is missing: run `npm run build` first (npm test does)');
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work);
    packed = mkdtempSync(join(tmpdir(), 'tk-docs-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', packed, ...NPM_FLAGS], { cwd: root });
    const [{ filename }] = JSON.parse(stdout) as { filename: string }[];
    writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'docs-reader-app', version: '1.0.0', private: true, type: 'module' }));
    await run('npm', ['install', join(packed, filename), ...NPM_FLAGS], { cwd: work });
    for (const snippet of all) {
      const path = join(work, snippet.file);
      assert.ok(!existsSync(path), `two snippets are named ${snippet.file}`);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, snippet.code);
    }
    const compilerOptions = {
      strict: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      types: ['node'],
      jsx: 'react-jsx',
      skipLibCheck: true,
      noEmit: true,
    };
    writeFileSync(join(work, 'frameworks.d.ts'), FRAMEWORK_MODULES);
    writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ compilerOptions, include: ['**/*.ts', '**/*.tsx'] }));
    writeFileSync(join(work, 'tsconfig.vue.json'), JSON.stringify({ compilerOptions, include: ['**/*.vue'], vueCompilerOptions: { strictTemplates: true } }));
  });

  after(() => {
    rmSync(work, { recursive: true, force: true });
    rmSync(packed, { recursive: true, force: true });
  });

  it('compiles against the tarball installed in the app, not against the checkout', () => {
    const installed = JSON.parse(readFileSync(join(work, 'node_modules', 'tk-elements', 'package.json'), 'utf8')) as { version: string };
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(installed.version, version);
    const app = JSON.parse(readFileSync(join(work, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    assert.match(app.dependencies['tk-elements']!, /^file:.*tk-elements-.*\.tgz$/, 'the app depends on the tarball');
    const options = { moduleResolution: ts.ModuleResolutionKind.Bundler, module: ts.ModuleKind.ESNext };
    for (const entry of ['tk-elements', 'tk-elements/companion', 'tk-elements/react', 'tk-elements/vue', 'tk-elements/svelte', 'tk-elements/solid', 'tk-elements/preact', 'tk-elements/astro']) {
      const resolved = ts.resolveModuleName(entry, join(work, 'companion.ts'), options, ts.sys).resolvedModule?.resolvedFileName;
      assert.ok(resolved?.startsWith(join(work, 'node_modules', 'tk-elements') + '/'), `${entry} resolves to ${resolved}`);
    }
  });

  it('finds the Quick start and framework pages’ snippets', () => {
    const files = new Set(all.map((s) => s.file));
    for (const file of ['companion.ts', 'express.ts', 'hono.ts', 'server.ts', 'app/timekit/[...path]/route.ts', 'hooks.server.ts', 'pages/timekit/[...path].ts']) {
      assert.ok(files.has(file), file);
    }
    for (const page of ['docs/react.md', 'docs/vue.md', 'docs/next.md', 'docs/frameworks.md']) assert.ok(all.some((s) => s.page === page), `${page} has a snippet`);
    assert.ok(all.some((s) => s.lang === 'vue'), 'a Vue single-file component');
  });

  it('TypeScript and TSX snippets type-check under strict', async () => {
    assert.equal(await tsc('typescript/bin/tsc', 'tsconfig.json'), '');
  });

  it('Vue snippets type-check with vue-tsc, templates included', async () => {
    assert.equal(await tsc('vue-tsc/bin/vue-tsc.js', 'tsconfig.vue.json'), '');
  });

  it('no snippet loads the elements from a path that needs a bundler', () => {
    for (const page of pages) {
      const markdown = readFileSync(join(root, page), 'utf8');
      assert.ok(!/src="[^"]*node_modules\/tk-elements\/dist\/(?!cdn\/)/.test(markdown), `${page}: dist/ modules import Lit by name, which needs a bundler`);
      assert.ok(!/src="tk-elements\//.test(markdown), `${page}: a bare package name is no URL`);
    }
  });
});
