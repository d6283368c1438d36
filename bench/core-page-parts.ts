/**
 * Where the core page's bytes go: the CDN file built once more with a source map (into a
 * temporary folder, dist/ is left as built), each minified byte counted to the source it came
 * from, grouped by part. Gzip does not add up by part (each part compresses better beside the
 * rest), so a part's gzip is the part compressed alone, and the floor (what the first paint needs
 * whatever the structure) is compressed together.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { SourceMapConsumer, type MappingItem, type RawSourceMap } from 'source-map-js';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The parts, first match wins; a source is a path from the map (node_modules/… or src/…). */
const PARTS: ReadonlyArray<{ name: string; sources: RegExp; floor?: boolean }> = [
  { name: 'Lit (lit-html, @lit/reactive-element, lit-element)', sources: /node_modules\/(lit|lit-html|lit-element|@lit\/reactive-element)\//, floor: true },
  { name: '@lit/context and @lit/task', sources: /node_modules\/@lit\/(context|task)\//, floor: true },
  { name: 'the elements\' styles', sources: /src\/.*styles\.ts$/, floor: true },
  { name: 'the English strings and the locale controller', sources: /src\/i18n\// },
  { name: 'the session (credentials, Timekit client, calendar cache, <tk-session>, events)', sources: /src\/(session|components\/session|events|shared)\// },
  { name: 'both pickers (base, rows\' keyboard model, selection and saves, defaults, grouping)', sources: /src\/(components\/(calendar-picker|booking-target)\/|internal\/(picker|calendar|roving|smart|emit))/ },
  { name: 'the connect button (account list, the wait, the question\'s loader)', sources: /src\/(components\/google-connect\/|internal\/(tk-connect|connect))/ },
  { name: 'the elements\' base classes (states, form association)', sources: /src\/internal\/tk-(element|form-element)\.ts$/ },
];
const REST = 'the CDN loader and the bundler\'s glue';

export interface CorePagePart {
  name: string;
  /** minified bytes from this part's sources */
  min: number;
  /** those bytes gzipped (-9) alone */
  gzipAlone: number;
}

/** The core page by part, and its floor: Lit, @lit/context, @lit/task and the styles gzipped together. */
export async function corePageParts(): Promise<{ parts: CorePagePart[]; floor: { names: string[]; gzip: number } }> {
  const outDir = mkdtempSync(join(tmpdir(), 'tk-core-parts-'));
  try {
    await build({ root, configFile: join(root, 'vite.config.ts'), mode: 'cdn', logLevel: 'silent', build: { outDir, sourcemap: true } });
    const code = readFileSync(join(outDir, 'tk-elements.js'), 'utf8');
    const map = JSON.parse(readFileSync(join(outDir, 'tk-elements.js.map'), 'utf8')) as RawSourceMap;
    const textByPart = new Map<string, string>([...PARTS.map((p): [string, string] => [p.name, '']), [REST, '']]);
    const lines = code.split('\n');
    const mappings: MappingItem[] = [];
    new SourceMapConsumer(map).eachMapping((m) => mappings.push(m), null, SourceMapConsumer.GENERATED_ORDER);
    mappings.forEach((mapping, i) => {
      // a mapping's bytes run to the next mapping on its line, or to the line's end
      const next = mappings[i + 1];
      const line = lines[mapping.generatedLine - 1]!;
      const end = next?.generatedLine === mapping.generatedLine ? next.generatedColumn : line.length;
      const part = PARTS.find((p) => mapping.source && p.sources.test(mapping.source))?.name ?? REST;
      textByPart.set(part, textByPart.get(part)! + line.slice(mapping.generatedColumn, end));
    });
    const gzip = (text: string) => gzipSync(text, { level: 9 }).length;
    const floorParts = PARTS.filter((p) => p.floor);
    return {
      parts: [...textByPart].map(([name, text]) => ({ name, min: text.length, gzipAlone: gzip(text) })),
      floor: { names: floorParts.map((p) => p.name), gzip: gzip(floorParts.map((p) => textByPart.get(p.name)).join('')) },
    };
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}
