import { readFileSync } from 'node:fs';

// `npm run manifest` writes custom-elements.json from the elements' JSDoc (STYLE.md B9) and the
// reference tables in docs/reference.md from it; test/node/package/manifest.test.ts fails when either is stale.
export default {
  // src/internal holds the base classes: without them inherited members and events are missing
  globs: ['src/components/**/*.ts', 'src/internal/*.ts', 'src/tk-*.ts'],
  // the pickers' shared helpers (calendars, the row label, the change pair, the calendar picker's
  // selection and saves) are no element API
  exclude: [
    '**/*.styles.ts',
    '**/*.api.ts',
    'src/internal/calendars.ts',
    'src/internal/calendar-label.ts',
    'src/internal/emit-change.ts',
    'src/internal/calendar-selection.ts',
  ],
  litelement: true,
  // package.json names the manifest itself; a check run into a temp dir must not rewrite it
  packagejson: false,
  // The analyzer reads files in the order the file system lists them, which varies under load,
  // and inherited members come out in a different order with it: read them sorted instead.
  overrideModuleCreation: ({ ts, globs }) =>
    [...globs].sort().map((glob) => ts.createSourceFile(glob, readFileSync(new URL(glob, import.meta.url), 'utf8'), ts.ScriptTarget.ES2015, true)),
  plugins: [
    {
      // The pickers' shared styling tags are written once, on their base class, and the analyzer
      // appends what a class inherits after its own tags: list the inherited ones first, so each
      // reference table starts with what both pickers have (base, label, the five states …).
      name: 'tk-inherited-styling-first',
      packageLinkPhase({ customElementsManifest }) {
        for (const mod of customElementsManifest.modules) {
          for (const declaration of mod.declarations ?? []) {
            for (const key of ['slots', 'cssParts', 'cssProperties', 'cssStates']) {
              const items = declaration[key];
              if (items) declaration[key] = [...items.filter((item) => item.inheritedFrom), ...items.filter((item) => !item.inheritedFrom)];
            }
          }
        }
      },
    },
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
