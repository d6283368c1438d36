/**
 * The package as a front-end app installs it: `npm pack` of the built package, then a real
 * `npm install` of the tarball into an empty app. It must pull Lit and nothing else (no native
 * compile, no server-only package the app does not use), ship the docs, keep the CDN folder's
 * file names stable, and name the one install command when a server-only part is started
 * without its optional peer.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
// Offline when the cache has Lit (it does after `npm ci`); no audit or funding calls.
const NPM_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

interface PackedPackage {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
  repository?: { url?: string } | string;
  files: string[];
}

describe('package: install from the packed tarball', () => {
  let work: string;
  let tarball: string;
  let packed: { files: { path: string }[] };
  let app: string;

  before(async () => {
    assert.ok(existsSync(join(root, 'dist', 'cdn', 'tk-elements.js')), 'dist/ is missing: run `npm run build` first (npm test does)');
    work = mkdtempSync(join(tmpdir(), 'tk-install-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work, ...NPM_FLAGS], { cwd: root });
    const [pack] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    packed = pack!;
    tarball = join(work, pack!.filename);
    app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'front-end-app', version: '1.0.0', private: true, type: 'module' }));
  });

  after(() => rmSync(work, { recursive: true, force: true }));

  it("declares only Lit's packages as dependencies; the server-only and framework packages are optional peers", async () => {
    await run('tar', ['-xzf', tarball, '-C', work, 'package/package.json']);
    const pkg = JSON.parse(readFileSync(join(work, 'package', 'package.json'), 'utf8')) as PackedPackage;
    assert.deepEqual(Object.keys(pkg.dependencies ?? {}).sort(), ['@lit-labs/virtualizer', '@lit/context', '@lit/task', 'lit']);
    assert.equal(pkg.optionalDependencies, undefined, 'npm installs optional dependencies for every consumer');
    for (const peer of ['better-sqlite3', 'zod', '@lit/react', 'react']) {
      assert.ok(pkg.peerDependencies?.[peer], `${peer} is a peer`);
      assert.equal(pkg.peerDependenciesMeta?.[peer]?.optional, true, `${peer} is optional`);
    }
    assert.ok(typeof pkg.repository === 'string' || pkg.repository?.url, 'repository (npm builds the README links from it)');
  });

  it('ships the docs, SECURITY.md and the CDN files under stable names', () => {
    const paths = new Set(packed.files.map((file) => file.path));
    for (const path of ['README.md', 'SECURITY.md', 'docs/elements.md', 'docs/quick-start.md', 'docs/react.md', 'docs/vue.md', 'docs/next.md', 'docs/html.md', 'docs/companion.md', 'docs/reference.md', 'docs/scaling.md', 'docs/performance.md', 'docs/booking-pages.md', 'dist/cdn/tk-elements.js']) {
      assert.ok(paths.has(path), `${path} is in the tarball`);
    }
    // The lazy files (German, Spanish, the developer texts of misconfigurations, the elements
    // outside the core and what they share, the session's account status and pending answer) are fetched
    // relative to tk-elements.js by these exact names, so a host that copies dist/cdn/ into its
    // static folder keeps working across releases.
    assert.deepEqual([...paths].filter((path) => path.startsWith('dist/cdn/')).sort(), [
      'dist/cdn/tk-elements.account-status.js',
      'dist/cdn/tk-elements.availability-requests.js',
      'dist/cdn/tk-elements.connect-question.js',
      'dist/cdn/tk-elements.connect-round-trip.js',
      'dist/cdn/tk-elements.constraints.js',
      'dist/cdn/tk-elements.context-root.js',
      'dist/cdn/tk-elements.de.js',
      'dist/cdn/tk-elements.diagnostics.js',
      'dist/cdn/tk-elements.directive-helpers.js',
      'dist/cdn/tk-elements.en-errors.js',
      'dist/cdn/tk-elements.es.js',
      'dist/cdn/tk-elements.flow.js',
      'dist/cdn/tk-elements.js',
      'dist/cdn/tk-elements.live.js',
      'dist/cdn/tk-elements.long-list.js',
      'dist/cdn/tk-elements.microsoft-de.js',
      'dist/cdn/tk-elements.microsoft-es.js',
      'dist/cdn/tk-elements.pending-account.js',
      'dist/cdn/tk-elements.preview-de.js',
      'dist/cdn/tk-elements.preview-es.js',
      'dist/cdn/tk-elements.question-de.js',
      'dist/cdn/tk-elements.question-es.js',
      'dist/cdn/tk-elements.rules-de.js',
      'dist/cdn/tk-elements.rules-es.js',
      'dist/cdn/tk-elements.tk-availability-preview.js',
      'dist/cdn/tk-elements.tk-availability-rules.js',
      'dist/cdn/tk-elements.tk-microsoft-connect.js',
      'dist/cdn/tk-elements.zoned-time.js',
    ]);
    const cdn = readFileSync(join(root, 'dist', 'cdn', 'tk-elements.js'), 'utf8');
    assert.ok(!/\bimport\s*["'`{*]/.test(cdn), 'tk-elements.js imports no other file up front');
    for (const chunk of ['de', 'es', 'diagnostics', 'connect-round-trip', 'connect-question', 'tk-microsoft-connect', 'long-list']) {
      assert.ok(new RegExp(`import\\([\`'"]\\./tk-elements\\.${chunk}\\.js[\`'"]\\)`).test(cdn), `tk-elements.js imports ./tk-elements.${chunk}.js`);
    }
  });

  it('installs into a front-end app with Lit only: no native build, no server-only package', async () => {
    const { stdout } = await run('npm', ['install', tarball, ...NPM_FLAGS, '--foreground-scripts'], { cwd: app });
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8')) as { packages: Record<string, { hasInstallScript?: boolean }> };
    const installed = Object.keys(lock.packages)
      .filter((path) => path !== '')
      .map((path) => path.replace(/^.*node_modules\//, ''));
    for (const name of installed) {
      // tslib: @lit-labs/virtualizer's runtime helpers
      assert.ok(name === 'tk-elements' || /^(lit|lit-html|lit-element|@lit\/|@lit-labs\/(ssr-dom-shim|virtualizer)|@types\/trusted-types|tslib$)/.test(name), `${name} is Lit's or ours`);
    }
    for (const name of ['better-sqlite3', 'zod', 'react', '@lit/react']) assert.ok(!installed.includes(name), `${name} is not installed`);
    const scripted = Object.entries(lock.packages).filter(([, entry]) => entry.hasInstallScript);
    assert.deepEqual(scripted, [], 'no package runs an install script');
    assert.doesNotMatch(stdout, /node-gyp|prebuild/);
  });

  it('the installed elements and companion import in Node', async () => {
    const probe = "const c = await import('tk-elements/classes.js'); const s = await import('tk-elements/companion'); console.log(typeof c.TkCalendarPicker, typeof s.createCompanion)";
    const { stdout } = await run('node', ['--input-type=module', '-e', probe], { cwd: app });
    assert.equal(stdout.trim(), 'function function');
  });

  it("ships the store contract suite as tk-elements/companion/testing, and it runs on the host's runner", async () => {
    const paths = new Set(packed.files.map((file) => file.path));
    for (const path of ['dist/node/companion/testing.js', 'dist/node/companion/testing.d.ts']) assert.ok(paths.has(path), `${path} is in the tarball`);
    const host = [
      "import { describe, it } from 'node:test';",
      "import { memoryStore } from 'tk-elements/companion';",
      "import { storeContract } from 'tk-elements/companion/testing';",
      'storeContract(memoryStore, { describe, it });',
    ].join(' ');
    // Without node:test's own marker, which would make the child report to this runner instead of in TAP.
    const { NODE_TEST_CONTEXT: _parentRunner, ...env } = process.env;
    const { stdout } = await run('node', ['--test-reporter=tap', '--input-type=module', '-e', host], { cwd: app, env });
    assert.match(stdout, /^# pass 5$/m);
    assert.match(stdout, /^# fail 0$/m);
  });

  it('tk-companion without better-sqlite3 names the install command for a SQLite file', async () => {
    const args = ['tk-companion', '--app', 'a', '--app-key', 'k', '--origin', 'http://127.0.0.1:1', '--dev-user', 'dev', '--store', 'tk-companion.db'];
    const failure = await run('npx', ['--no-install', ...args], { cwd: app }).then(
      () => assert.fail('tk-companion started without its store driver'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(failure.code, 2);
    assert.match(failure.stderr, /better-sqlite3/);
    assert.match(failure.stderr, /npm install better-sqlite3/);
  });

  it('tk-companion --store :memory: starts without better-sqlite3', async () => {
    const args = ['--app', 'a', '--app-key', 'k', '--origin', 'http://127.0.0.1:1', '--dev-user', 'dev', '--store', ':memory:', '--port', '0', '--json'];
    // The installed bin itself, one process to stop (npx would leave the server behind it running).
    const bin = join(app, 'node_modules', '.bin', 'tk-companion');
    const child = spawn(process.execPath, [bin, ...args], { cwd: app, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      const first = await Promise.race([
        new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve)),
        new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`tk-companion exited ${code}: ${stderr}`)))),
      ]);
      assert.match((JSON.parse(first) as { url: string }).url, /^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await gone;
    }
  });

  it('tk-emulator without zod names the install command', async () => {
    const failure = await run('npx', ['--no-install', 'tk-emulator', '--port', '0'], { cwd: app }).then(
      () => assert.fail('tk-emulator started without zod'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(failure.code, 1);
    assert.match(failure.stderr, /npm install --save-dev zod/);
  });
});
