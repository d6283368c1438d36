// Browser tests: `npm run test:browser` (wtr runs under tsx so this config can import the
// TypeScript emulator). Engines: Chromium, Firefox and WebKit, each when installed;
// BROWSERS=chromium,firefox picks a subset; CI=true turns a missing engine into a failure.
// See scripts/wtr/engines.mjs for the env vars that point at other binaries.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromeLauncher, puppeteerCore } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { CHROMIUM_ARGS } from './scripts/chromium-args.mjs';
import { selectEngines } from './scripts/wtr/engines.mjs';
import { webkitLauncher } from './scripts/wtr/webkit-launcher.mjs';
import { filterBrowserLogs, quietDefaultReporter, summaryReporter } from './scripts/wtr/summary-reporter.mjs';
import { timekitEmulator } from './scripts/wtr/emulator-plugin.mjs';
import { cspHeader } from './scripts/wtr/csp-header.mjs';
import { serverRendered } from './scripts/wtr/server-rendered.mjs';

const rootDir = fileURLToPath(new URL('.', import.meta.url));
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));
const emulatorModule = new URL('./src/emulator/index.ts', import.meta.url);

// Firefox clamps a hidden page's timers to one per second (a test page is hidden whenever another
// tab is in front), and every waitUntil poll is a timer: a 6 s file can then take minutes. Chromium's
// launcher turns the same throttling off with its flags.
const FIREFOX_PREFS = {
  'dom.min_background_timeout_value': 4,
  'dom.min_background_timeout_value_without_budget_throttling': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
};

function launcherFor({ engine, paths }) {
  switch (engine) {
    case 'chromium':
      return chromeLauncher({
        puppeteer: puppeteerCore,
        launchOptions: { executablePath: paths.browser, headless: true, args: CHROMIUM_ARGS },
      });
    case 'firefox':
      return chromeLauncher({
        puppeteer: puppeteerCore,
        launchOptions: { browser: 'firefox', executablePath: paths.browser, headless: true, extraPrefsFirefox: FIREFOX_PREFS },
        // Two test pages at once ran 2x slower in Firefox.
        concurrency: 1,
      });
    case 'webkit':
      return webkitLauncher({ driverPath: paths.driver, browserPath: paths.browser, xvfbPath: paths.xvfb });
    default:
      throw new Error(`no launcher for ${engine}`);
  }
}

const emulator = timekitEmulator({
  load: () => {
    if (!existsSync(emulatorModule)) {
      throw new Error(`The browser tests need the Timekit emulator: ${fileURLToPath(emulatorModule)} is missing.`);
    }
    return import(emulatorModule.href);
  },
  loadCompanion: () => import(new URL('./src/companion/index.ts', import.meta.url).href),
});

let engines;
try {
  engines = selectEngines();
} catch (error) {
  // nothing has started yet: say why and stop, without wtr's stack trace
  console.error(`[browsers] ${error.message}`);
  process.exit(1);
}
const browsers = engines.map(launcherFor);

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  rootDir,
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, tsconfig, target: 'es2022' }), emulator.plugin, serverRendered()],
  middleware: [emulator.middleware, cspHeader()],
  browsers,
  // Measured on 2 cores (3 engines, 10 files): two engines at a time beat one (-20%) and three
  // (-5..10%). Two test files at a time per engine; Firefox and WebKit set 1 for themselves.
  concurrentBrowsers: 2,
  concurrency: 2,
  browserStartTimeout: 60_000,
  testsStartTimeout: 30_000,
  // A hang detector only: every test has its own mocha timeout. Under the full run one file
  // (hostile-data: 10 tests, 90 picker mounts) once took over a minute in Firefox.
  testsFinishTimeout: 120_000,
  // Lit's one-time dev-mode notice would show under every test file, and the kit's developer
  // warnings come from pages tests misconfigure on purpose; the closing lines count what is left out.
  filterBrowserLogs,
  testFramework: {
    // Popup and round-trip tests wait up to 10 s for a page (waitUntil); keep mocha above that.
    config: { ui: 'bdd', timeout: 15_000 },
  },
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /></head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  reporters: [quietDefaultReporter(), summaryReporter({ label: 'browser' })],
};
