/**
 * The built package (dist/, from `npm run build`, which `npm test` runs first): every `exports`
 * entry exists with its types, and importing each browser entry in Node does not throw — server
 * rendering frameworks import components on the server, where Lit's Node build shims the DOM.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string | { types?: string; default: string }>;
  sideEffects: string[];
};
const browserEntries = ['.', './classes.js', './tk-session.js', './tk-google-connect.js', './tk-calendar-picker.js', './tk-booking-target.js', './tk-availability-rules.js', './tk-availability-preview.js', './tk-microsoft-connect.js'];
const tags = ['tk-session', 'tk-google-connect', 'tk-calendar-picker', 'tk-booking-target', 'tk-availability-rules', 'tk-availability-preview', 'tk-microsoft-connect'];

/** `sideEffects` globs (`*` within one path segment) as a test for a package-relative path. */
const hasSideEffects = (path: string) =>
  pkg.sideEffects.some((glob) => new RegExp(`^${glob.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`).test(path));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe('package: dist', () => {
  before(() => {
    assert.ok(existsSync(join(root, 'dist', 'index.js')), 'dist/ is missing: run `npm run build` first (npm test does)');
  });

  it('has every file the exports map names, types listed first', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      const paths = typeof target === 'string' ? [target] : Object.values(target);
      if (typeof target !== 'string') assert.equal(Object.keys(target)[0], 'types', `${entry}: types first`);
      for (const path of paths) assert.ok(existsSync(join(root, path)), `${entry}: ${path} is missing`);
    }
  });

  it('imports the side-effect-free entry in Node without registering anything', async () => {
    const classes = await import(`${pkg.name}/classes.js`);
    assert.equal(typeof classes.TkCalendarPicker, 'function');
    for (const tag of tags) assert.equal(customElements.get(tag), undefined, tag);
  });

  it('imports every browser entry in Node; each tk-*.js registers its tag', async () => {
    for (const tag of tags) {
      await import(`${pkg.name}/${tag}.js`);
      assert.ok(customElements.get(tag), `${tag} is registered`);
    }
    const index = await import(pkg.name);
    for (const entry of browserEntries) await import(entry === '.' ? pkg.name : `${pkg.name}/${entry.slice(2)}`);
    assert.equal(index.TkBookingTarget, customElements.get('tk-booking-target'));
  });

  it('imports the React wrapper in Node, as server rendering does', async () => {
    const react = await import(`${pkg.name}/react`);
    for (const name of ['TkSessionElement', 'TkGoogleConnect', 'TkCalendarPicker', 'TkBookingTarget']) {
      assert.equal(typeof react[name]?.render, 'function', `${name} is a React component (forwardRef)`);
    }
  });

  it('imports the Node entries', async () => {
    assert.equal(typeof (await import(`${pkg.name}/companion`)).createCompanion, 'function');
    assert.equal(typeof (await import(`${pkg.name}/companion/testing`)).storeContract, 'function');
    assert.equal(typeof (await import(`${pkg.name}/emulator`)).startEmulator, 'function');
  });

  it('marks every module that registers a tag in sideEffects, and no other browser module', () => {
    for (const file of files(join(root, 'dist')).filter((f) => f.endsWith('.js') && !f.includes('/dist/node/'))) {
      const path = `./${relative(root, file)}`;
      // defines a tag, or imports a module that does (index.js)
      const registers = /customElements\.define\(|^import "\.\/tk-/m.test(readFileSync(file, "utf8"));
      assert.equal(hasSideEffects(path), registers, `${path}: registers=${registers}`);
    }
  });
});
