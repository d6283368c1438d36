/**
 * Which browser engines the browser tests run in.
 *
 * Each engine is used when its binary is installed (env vars may point elsewhere):
 *   chromium  CHROME_PATH         (default /usr/bin/chromium, or `chromium` on PATH)
 *   firefox   FIREFOX_PATH        (default /usr/bin/firefox-esr, or `firefox-esr`/`firefox` on PATH)
 *   webkit    WEBKIT_DRIVER_PATH  (default `WebKitWebDriver` on PATH)
 *             WEBKIT_BROWSER_PATH (default /usr/lib/<triplet>/webkit2gtk-4.1/MiniBrowser)
 *             plus `Xvfb` on PATH when $DISPLAY is unset
 * `BROWSERS=chromium,firefox` picks a subset. A missing engine is skipped with a warning
 * locally and is an error when CI is set (CI=true).
 */
import { accessSync, constants, readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const ENGINES = /** @type {const} */ (['chromium', 'firefox', 'webkit']);
export const APT_INSTALL = 'apt-get install -y chromium firefox-esr webkit2gtk-driver xvfb';

const LABELS = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' };
const PACKAGES = { chromium: 'chromium', firefox: 'firefox-esr', webkit: 'webkit2gtk-driver xvfb' };

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function which(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && isExecutable(join(dir, command))) return join(dir, command);
  }
  return undefined;
}

/** An explicit env path wins (and must exist); otherwise the first executable candidate. */
function locate(envName, candidates, what) {
  const fromEnv = process.env[envName];
  if (fromEnv) {
    return isExecutable(fromEnv)
      ? { path: fromEnv }
      : { problem: `${what} not found at ${fromEnv} (from ${envName})` };
  }
  for (const candidate of candidates) {
    const path = candidate.includes('/') ? (isExecutable(candidate) ? candidate : undefined) : which(candidate);
    if (path) return { path };
  }
  return { problem: `${what} not found (looked for ${candidates.join(', ')}; set ${envName} to override)` };
}

function miniBrowserCandidates() {
  const found = [];
  try {
    for (const entry of readdirSync('/usr/lib')) {
      found.push(`/usr/lib/${entry}/webkit2gtk-4.1/MiniBrowser`);
    }
  } catch {
    // no /usr/lib: nothing to offer
  }
  const installed = found.filter(isExecutable);
  return installed.length ? installed : ['/usr/lib/<triplet>/webkit2gtk-4.1/MiniBrowser'];
}

/** Resolves the binaries of one engine: `{ ok: true, paths }` or `{ ok: false, problem }`. */
export function detectEngine(engine) {
  switch (engine) {
    case 'chromium': {
      const r = locate('CHROME_PATH', ['/usr/bin/chromium', 'chromium'], 'chromium');
      return r.path ? { ok: true, paths: { browser: r.path } } : { ok: false, problem: r.problem };
    }
    case 'firefox': {
      const r = locate('FIREFOX_PATH', ['/usr/bin/firefox-esr', 'firefox-esr', 'firefox'], 'firefox-esr');
      return r.path ? { ok: true, paths: { browser: r.path } } : { ok: false, problem: r.problem };
    }
    case 'webkit': {
      const driver = locate('WEBKIT_DRIVER_PATH', ['WebKitWebDriver'], 'WebKitWebDriver');
      if (!driver.path) return { ok: false, problem: driver.problem };
      const browser = locate('WEBKIT_BROWSER_PATH', miniBrowserCandidates(), 'MiniBrowser');
      if (!browser.path) return { ok: false, problem: browser.problem };
      let xvfb;
      if (!process.env.DISPLAY) {
        const x = locate('XVFB_PATH', ['Xvfb'], 'Xvfb (needed because $DISPLAY is unset)');
        if (!x.path) return { ok: false, problem: x.problem };
        xvfb = x.path;
      }
      return { ok: true, paths: { driver: driver.path, browser: browser.path, xvfb } };
    }
    default:
      throw new Error(`unknown engine ${engine}`);
  }
}

export function isCI(env = process.env) {
  return /^(1|true|yes)$/i.test(env.CI ?? '');
}

/** Parses BROWSERS ("chromium,firefox"); all engines when unset or empty. */
export function requestedEngines(value = process.env.BROWSERS) {
  if (!value || !value.trim()) return [...ENGINES];
  const aliases = { chrome: 'chromium', ff: 'firefox', safari: 'webkit', minibrowser: 'webkit' };
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((s) => aliases[s] ?? s);
  const unknown = names.filter((n) => !ENGINES.includes(n));
  if (unknown.length) {
    throw new Error(`BROWSERS=${value}: unknown engine(s) ${unknown.join(', ')}; use ${ENGINES.join(', ')}`);
  }
  return ENGINES.filter((e) => names.includes(e));
}

/**
 * Decides the engines to run and prints the decision.
 * Returns `[{ engine, label, paths }]`; throws (after printing why) when CI is set and an engine
 * is missing, or when no engine is left.
 */
export function selectEngines({ log = (line) => console.log(line) } = {}) {
  const ci = isCI();
  const selected = [];
  const missing = [];
  for (const engine of requestedEngines()) {
    const found = detectEngine(engine);
    if (found.ok) selected.push({ engine, label: LABELS[engine], paths: found.paths });
    else missing.push({ engine, label: LABELS[engine], problem: found.problem });
  }
  for (const m of missing) {
    log(
      `[browsers] ${m.label} is missing${ci ? ' (an error with CI set)' : ', skipping it'}: ${m.problem}. ` +
        `Debian package(s): ${PACKAGES[m.engine]}; all engines: ${APT_INSTALL}`,
    );
  }
  if (missing.length && ci) {
    throw new Error(
      `CI=${process.env.CI}: browser engine(s) missing: ${missing.map((m) => m.label).join(', ')}. ` +
        `Install them with: ${APT_INSTALL}`,
    );
  }
  if (selected.length === 0) {
    throw new Error(`No browser engine available. Install them with: ${APT_INSTALL}`);
  }
  log(`[browsers] running: ${selected.map((s) => `${s.label} (${s.paths.browser})`).join(', ')}`);
  return selected;
}
