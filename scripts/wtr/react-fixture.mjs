/**
 * Serves the React fixture of test/browser/package/react.test.ts. React ships CommonJS, which the
 * test runner's ES module resolution cannot load, so the browser half is bundled here, as an
 * app's bundler would; the server half runs in its own Node process (tsx), so the DOM shim that
 * Lit's Node build installs never touches the test runner's own globals.
 *
 * - GET /__tk-react/client.js: test/browser/fixtures/react/client.ts bundled with React, ESM
 * - GET /__tk-react/server.html: the fixture app as react-dom/server renders it
 *
 * Use in the wtr config: `plugins: [reactFixture()]`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (file) => fileURLToPath(new URL(`../../test/browser/fixtures/react/${file}`, import.meta.url));

export function reactFixture() {
  return {
    name: 'tk-react-fixture',
    async serve(context) {
      if (context.path === '/__tk-react/client.js') {
        const bundle = await build({
          entryPoints: [fixture('client.ts')],
          bundle: true,
          format: 'esm',
          target: 'es2022',
          write: false,
          tsconfig: `${root}/tsconfig.json`,
          define: { 'process.env.NODE_ENV': '"development"' },
          // package.json's sideEffects names the dist/ files; this bundles the src/ ones, whose
          // tk-*.ts imports register the tags
          ignoreAnnotations: true,
          logLevel: 'silent',
        });
        return { body: bundle.outputFiles[0].text, type: 'js', headers: { 'cache-control': 'no-store' } };
      }
      if (context.path === '/__tk-react/server.html') {
        const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture('server.ts')], { cwd: root });
        return { body: stdout, type: 'html', headers: { 'cache-control': 'no-store' } };
      }
      return undefined;
    },
  };
}
