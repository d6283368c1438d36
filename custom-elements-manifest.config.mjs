import { readFileSync } from 'node:fs';

// `npm run manifest` writes custom-elements.json from the elements' JSDoc (STYLE.md B9) and the
// README reference tables from it; test/node/package/manifest.test.ts fails when either is stale.
export default {
  // src/internal holds the base classes: without them inherited members and events are missing
  globs: ['src/components/**/*.ts', 'src/internal/*.ts', 'src/tk-*.ts'],
  exclude: ['**/*.styles.ts', '**/*.api.ts'],
  litelement: true,
  // package.json names the manifest itself; a check run into a temp dir must not rewrite it
  packagejson: false,
  // The analyzer reads files in the order the file system lists them, which varies under load,
  // and inherited members come out in a different order with it: read them sorted instead.
  overrideModuleCreation: ({ ts, globs }) =>
    [...globs].sort().map((glob) => ts.createSourceFile(glob, readFileSync(new URL(glob, import.meta.url), 'utf8'), ts.ScriptTarget.ES2015, true)),
  plugins: [
    {
      // The base class dispatches `new TkErrorEvent(…)`, whose name the analyzer cannot see; each
      // element documents `tk-error` with @fires, so the nameless copy is noise.
      name: 'tk-drop-nameless-events',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            if (declaration.events) declaration.events = declaration.events.filter((event) => event.name);
          }
        }
      },
    },
  ],
};
