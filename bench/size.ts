/**
 * Bundle sizes of the built package (dist/, from `npm run build`): what a page pays for the kit.
 * Each figure is an esbuild bundle of a dist entry — minified, ES2022, as a consumer's bundler
 * would make it — compressed with gzip -9 and brotli (quality 11). "KB" is 1,000 bytes.
 * Used by `npm run bench` (bench/run.ts) and the budget check (test/node/package/size.test.ts).
 */
import { build, type Metafile } from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
/**
 * The design's size goal (docs/performance.md): a page with the core elements (session,
 * connect, both pickers) loads at most this much before it is interactive, Lit included, gzipped.
 */
export const KIT_BUDGET_BYTES = 15_000;
const ELEMENTS = ['tk-session', 'tk-google-connect', 'tk-calendar-picker', 'tk-booking-target', 'tk-availability-rules', 'tk-availability-preview', 'tk-microsoft-connect'] as const;
const LIT = [/^lit($|\/)/, /^@lit\//];

export interface Size {
  /** minified, uncompressed */
  min: number;
  gzip: number;
  brotli: number;
}

const compress = (bytes: Uint8Array): Size => ({
  min: bytes.length,
  gzip: gzipSync(bytes, { level: 9 }).length,
  brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/**
 * The initial script of `entry` (a path under dist/, or a bare module) minified: the entry and
 * the chunks it imports up front; lazy chunks (the German and Spanish strings, the connect round
 * trip) are left out, as a page fetches them only when it uses them.
 */
export async function bundle(entry: string, { withLit = true } = {}): Promise<{ size: Size; metafile: Metafile }> {
  const result = await build({
    stdin: { contents: `export * from ${JSON.stringify(entry)};`, resolveDir: root, loader: 'js' },
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir: 'out',
    write: false,
    minify: true,
    target: 'es2022',
    legalComments: 'none',
    metafile: true,
    logLevel: 'silent',
    plugins: withLit
      ? []
      : [
          {
            name: 'lit-external',
            setup(b) {
              b.onResolve({ filter: /^(lit|@lit\/)/ }, (args) => (LIT.some((re) => re.test(args.path)) ? { path: args.path, external: true } : undefined));
            },
          },
        ],
  });
  // The entry and the chunks it imports up front (esbuild moves code that a lazy chunk shares
  // with the entry into such chunks): everything the page loads before it is interactive.
  const byPath = new Map(result.outputFiles.map((f) => [relative(root, f.path), f.contents]));
  const initial = new Set<string>();
  const visit = (path: string) => {
    if (initial.has(path)) return;
    initial.add(path);
    // Lit left external (withLit: false) is no output file of ours
    for (const { path: imported, kind, external } of result.metafile.outputs[path]!.imports) if (kind === 'import-statement' && !external) visit(imported);
  };
  visit([...byPath.keys()].find((path) => path.endsWith('stdin.js'))!);
  return { size: compress(Buffer.concat([...initial].map((path) => byPath.get(path)!))), metafile: result.metafile };
}

/** The shipped CDN file as it is (already minified by `vite build --mode cdn`). */
const cdnSize = (): Size => compress(readFileSync(new URL('../dist/cdn/tk-elements.js', import.meta.url)));

const cdnDir = join(root, 'dist', 'cdn');
/** The files a module imports up front (`import … from "./x.js"`, not `import("./x.js")`). */
const staticImports = (code: string) => [...code.matchAll(/\bimport\s*(?:[\w${},*\s]+from\s*)?["'](\.\/[^"']+)["']/g)].map((m) => m[1]!.slice(2));

/**
 * The core page as shipped on dist/cdn/: what a page with the core elements (session, connect,
 * both pickers) loads before it is interactive, that is tk-elements.js and every file it imports
 * up front (none today), each compressed as served. `files` names them.
 */
export function corePageSize(): { size: Size; files: string[] } {
  const files: string[] = [];
  const visit = (file: string) => {
    if (files.includes(file)) return;
    files.push(file);
    for (const imported of staticImports(readFileSync(join(cdnDir, file), 'utf8'))) visit(imported);
  };
  visit('tk-elements.js');
  const sizes = files.map((file) => compress(readFileSync(join(cdnDir, file))));
  return { size: sizes.reduce((a, b) => ({ min: a.min + b.min, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli })), files };
}

/** Every lazy chunk beside the CDN file, as served: fetched only when a page needs it. */
const cdnChunks = (): Array<{ file: string; size: Size }> =>
  readdirSync(cdnDir)
    .filter((file) => file.endsWith('.js') && file !== 'tk-elements.js')
    .sort()
    .map((file) => ({ file, size: compress(readFileSync(join(cdnDir, file))) }));

export const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

/** The sizes table for `npm run bench`. */
export async function sizeFigures(): Promise<Array<{ figure: string; value: string; how: string }>> {
  const both = (s: Size) => `${kb(s.gzip)} gzip, ${kb(s.brotli)} brotli`;
  const how = 'esbuild bundle of the dist entry, minified, lazy locale chunks excluded; gzip -9, brotli q11';
  const kit = await bundle('./dist/index.js');
  const core = corePageSize();
  // loaded here, not at the top: it brings in Vite, which the size check importing this module has no use for
  const { corePageParts } = await import('./core-page-parts.js');
  const byPart = await corePageParts();
  const rows = [
    {
      figure: `size: core page before interactive (budget ${kb(KIT_BUDGET_BYTES)} gzip)`,
      value: both(core.size),
      how: `dist/cdn/: ${core.files.join(' + ')} (session, connect, both pickers, Lit inside) as served, compressed per file; ${kb(core.size.min)} minified`,
    },
    ...byPart.parts.map((part) => ({
      figure: `size: core page, ${part.name}`,
      value: `${kb(part.min)} minified (${Math.round((100 * part.min) / core.size.min)}%), ${kb(part.gzipAlone)} gzip alone`,
      how: 'dist/cdn/tk-elements.js built again with a source map, each minified byte counted to its source; gzip -9 of the part by itself',
    })),
    {
      figure: 'size: core page, the floor any structure loads before the first paint',
      value: `${kb(byPart.floor.gzip)} gzip`,
      how: `${byPart.floor.names.join(', ')}: gzip -9 of these parts together`,
    },
    ...cdnChunks().map(({ file, size }) => ({ figure: `size: chunk ${file}`, value: both(size), how: 'dist/cdn/ lazy chunk, fetched only when a page needs it' })),
    { figure: `size: whole kit with Lit (budget ${kb(KIT_BUDGET_BYTES)} gzip)`, value: both(kit.size), how: `${how}; ${kb(kit.size.min)} minified` },
    { figure: 'size: whole kit without Lit', value: both((await bundle('./dist/index.js', { withLit: false })).size), how: `${how}; lit, @lit/* external` },
    { figure: 'size: dist/cdn/tk-elements.js as shipped', value: both(cdnSize()), how: 'the CDN file (Lit inside, minified by vite build --mode cdn) compressed as is' },
  ];
  for (const element of ELEMENTS) {
    const alone = (await bundle(`./dist/${element}.js`)).size;
    const without = (await bundle(`./dist/${element}.js`, { withLit: false })).size;
    rows.push({ figure: `size: <${element}> alone, with Lit / without`, value: `${kb(alone.gzip)} / ${kb(without.gzip)} gzip`, how: `${how}; brotli ${kb(alone.brotli)} / ${kb(without.brotli)}` });
  }
  return rows;
}
