import minifyHtmlLiterals from '@lit-labs/rollup-plugin-minify-html-literals';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { tkDemo } from './demo/dev-server.js';

/** Every public browser module: one entry per element, the registering and the side-effect-free one. */
const entries = {
  index: 'src/index.ts',
  classes: 'src/classes.ts',
  'tk-session': 'src/tk-session.ts',
  'tk-google-connect': 'src/tk-google-connect.ts',
  'tk-calendar-picker': 'src/tk-calendar-picker.ts',
  'tk-booking-target': 'src/tk-booking-target.ts',
  // not in index: a page without the preview never loads it
  'tk-availability-preview': 'src/tk-availability-preview.ts',
  'tk-availability-rules': 'src/tk-availability-rules.ts',
  'tk-microsoft-connect': 'src/tk-microsoft-connect.ts',
  react: 'src/react.ts',
};

/**
 * package.json's `sideEffects` names the published dist/ files, so the bundler would take the
 * registering src modules for pure and drop `import './tk-session.js'`: say what they are.
 */
const registering: Plugin = {
  name: 'tk-registering-modules',
  transform: (code, id) => (/\/src\/(index|cdn|react|tk-[a-z-]+)\.ts$/.test(id) ? { code, moduleSideEffects: true } : null),
};

/**
 * `vite build`: the npm package in dist/ — ESM, not minified, html`` and css`` text included (the
 * consumer's bundler minifies, and readable dist helps debugging), Lit left to the consumer so
 * one copy is shared, modules preserved so each file lines up with its dist/*.d.ts from
 * tsconfig.build.json.
 */
const library: UserConfig = {
  publicDir: false,
  plugins: [registering],
  build: {
    outDir: 'dist',
    // dist/node (tsc) and dist/cdn (the other build) live beside it; `npm run build` cleans first.
    emptyOutDir: false,
    target: 'es2022',
    minify: false,
    lib: { entry: entries, formats: ['es'] },
    rolldownOptions: {
      // React and @lit/react (for tk-elements/react) are the app's, like Lit.
      external: [/^lit/, /^@lit\//, /^react($|\/)/],
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
};

/**
 * `vite build --mode cdn`: dist/cdn/tk-elements.js, Lit bundled and minified, for a plain
 * `<script type="module">` from a CDN. Lit's literal minifier also shrinks the text inside our
 * html`` and css`` templates, which a JavaScript minifier leaves as written. German and Spanish
 * stay lazy chunks beside it, fetched relative to the file only when a page uses those
 * languages, and so do the elements outside the core (src/cdn.ts), fetched when a page has
 * their tag. Their names carry no hash (`tk-elements.de.js`), so a host that copies the folder
 * into its own static files keeps working across releases.
 */
const cdn: UserConfig = {
  publicDir: false,
  plugins: [registering, minifyHtmlLiterals({ include: 'src/**/*.ts', failOnError: true })],
  build: {
    outDir: 'dist/cdn',
    emptyOutDir: false,
    target: 'es2022',
    lib: { entry: { 'tk-elements': 'src/cdn.ts' }, formats: ['es'] },
    // lib mode keeps whitespace in ES output (for the consumer's tree shaking); this file is final
    rolldownOptions: {
      preserveEntrySignatures: 'allow-extension',
      output: {
        minify: true,
        chunkFileNames: 'tk-elements.[name].js',
        // Everything the entry imports up front stays in it, so the core page is one request:
        // without this, a lazy chunk that uses Lit's directives (the pickers' virtualizer) made
        // rolldown move Lit into two chunks of its own, fetched up front.
        codeSplitting: { groups: [{ name: 'tk-elements', tags: ['$initial'] }] },
      },
    },
  },
};

export default defineConfig(({ command, mode }) => {
  if (command === 'build') return mode === 'cdn' ? cdn : library;
  // `npm start` serves demo/ with the embedded Timekit emulator (see demo/dev-server.ts).
  return {
    root: 'demo',
    plugins: [tkDemo()],
    // A fixed port: the companion allows exactly this page origin.
    server: { host: '127.0.0.1', port: Number(process.env.PORT ?? 5173), strictPort: true },
  };
});
