/**
 * Serves the server-rendered fixtures of test/browser/package/react.test.ts and
 * test/browser/ssr.test.ts. Each server half runs in its own Node process (tsx), so the DOM shim
 * that Lit's Node build installs never touches the test runner's own globals.
 *
 * - GET /__tk-react/client.js: test/browser/fixtures/react/client.ts bundled with React, ESM.
 *   React ships CommonJS, which the test runner's ES module resolution cannot load, so it is
 *   bundled here, as an app's bundler would.
 * - GET /__tk-react/server.html: the React fixture app as react-dom/server renders it
 * - GET /__tk-ssr/page.html: every element rendered by @lit-labs/ssr, in a page that hydrates them
 *
 * Use in the wtr config: `plugins: [serverRendered()]`.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (file) => fileURLToPath(new URL(`../../test/browser/fixtures/${file}`, import.meta.url));

/** What a tsx script under test/browser/fixtures/ prints. */
async function printed(file) {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', fixture(file)], { cwd: root });
  return stdout;
}

const fresh = { 'cache-control': 'no-store' };

export function serverRendered() {
  return {
    name: 'tk-server-rendered',
    async serve(context) {
      switch (context.path) {
        case '/__tk-react/client.js': {
          const bundle = await build({
            entryPoints: [fixture('react/client.ts')],
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
          return { body: bundle.outputFiles[0].text, type: 'js', headers: fresh };
        }
        case '/__tk-react/server.html':
          return { body: await printed('react/server.ts'), type: 'html', headers: fresh };
        case '/__tk-ssr/page.html':
          return { body: await printed('ssr/render.ts'), type: 'html', headers: fresh };
        default:
          return undefined;
      }
    },
  };
}
