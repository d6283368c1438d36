// ESLint flat config. `npm run lint` runs `eslint . --max-warnings=0`.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import lit from 'eslint-plugin-lit';
import litA11y from 'eslint-plugin-lit-a11y';
import globals from 'globals';

/** Code that runs in Node: servers, the emulator, tooling, node tests and config files. */
const NODE_FILES = [
  'src/emulator/**',
  'src/companion/**',
  'src/node/**',
  'scripts/**',
  'bench/**',
  'bin/**',
  'test/node/**',
  'demo/**/*server*.ts', // the demo's Vite plugin (server side)
  '*.config.{js,mjs,cjs,ts}',
];

/** Browser code that ships: everything in src/ but the Node parts. */
const BROWSER_SRC = ['src/**/*.ts'];
const NOT_BROWSER_SRC = ['src/emulator/**', 'src/companion/**', 'src/node/**'];

const nodeBuiltins = builtinModules.filter((name) => !name.startsWith('_')).map((name) => name.replace(/[/]/g, '\\/'));

export default tseslint.config(
  // .docs-snippets: the docs' code blocks, written out (and removed) by test/node/package/docs-snippets.test.ts
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.docs-snippets/**'] },

  js.configs.recommended,
  ...tseslint.configs.recommended,

  {
    rules: {
      // `_name` marks a binding that is deliberately unused (rest-omit, required parameters).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },

  // Globals: browser by default for src/, demo/ and the browser tests; Node for the rest.
  {
    files: ['src/**', 'demo/**', 'test/browser/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['src/shared/**'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
  },
  {
    files: ['test/browser/**'],
    languageOptions: { globals: { ...globals.mocha } },
  },
  {
    files: NODE_FILES,
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // Tests read untyped JSON bodies; `any` there is a convenience, not a leak into the API.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Node's own helpers, bin scripts and configs may be plain JavaScript.
    files: ['**/*.{js,mjs,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },

  // Lit templates: lit and lit-a11y recommended rules.
  {
    files: ['src/**/*.ts', 'demo/**/*.ts'],
    ...lit.configs['flat/recommended'],
  },
  {
    files: ['src/**/*.ts', 'demo/**/*.ts'],
    ...litA11y.configs.recommended,
  },

  // Browser code must not reach Node built-ins or the server-side modules.
  {
    files: BROWSER_SRC,
    ignores: NOT_BROWSER_SRC,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(node:.*|(${nodeBuiltins.join('|')})(\\/.*)?)$`,
              message: 'Browser code cannot import Node built-ins (src/emulator, src/companion and src/node are the Node parts).',
            },
            {
              regex: '^\\.{1,2}\\/(.*\\/)?(emulator|companion|node)(\\/|$)',
              message: 'Browser code cannot import src/emulator, src/companion or src/node (Node-only); share types through src/shared.',
            },
          ],
        },
      ],
    },
  },
);
