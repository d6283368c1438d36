/**
 * WebKit for web-test-runner: WebKitGTK's MiniBrowser driven by WebKitWebDriver.
 *
 * A WebdriverLauncher that owns its helper processes: when the first test session starts it
 * starts `Xvfb -displayfd 3` (only when $DISPLAY is unset), then `WebKitWebDriver --port=<free>`,
 * waits for the driver's /status, and points webdriverio at it. stop() and process exit (or
 * SIGINT/SIGTERM/SIGHUP) kill both, by process group so MiniBrowser goes too.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { WebdriverLauncher } from '@web/test-runner-webdriver';

/** Children alive right now, killed synchronously if the process exits without stop(). */
const liveChildren = new Set();
let exitHooksInstalled = false;

function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the child leads its own group (detached: true)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', () => {
    for (const child of liveChildren) killGroup(child, 'SIGKILL');
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      for (const child of liveChildren) killGroup(child, 'SIGKILL');
      // SIGINT is also handled by web-test-runner (it stops and exits); for the others nobody
      // else ends the process, so do it with the conventional status.
      if (signal !== 'SIGINT') process.exit(128 + (signal === 'SIGTERM' ? 15 : 1));
    });
  }
}

function track(child) {
  installExitHooks();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

/** Ends a child's process group: SIGTERM, then SIGKILL after `graceMs`. */
async function terminate(child, graceMs = 3000) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects the last few KB of a stream, for error messages. */
function tail(stream) {
  let text = '';
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk) => {
    text = (text + chunk).slice(-4000);
  });
  return () => text.trim();
}

function exitPromise(child, what, output) {
  return new Promise((_, reject) => {
    child.once('error', (error) => reject(new Error(`${what} failed to start: ${error.message}`)));
    child.once('exit', (code, signal) =>
      reject(new Error(`${what} exited early (${signal ?? `code ${code}`})${output() ? `:\n${output()}` : ''}`)),
    );
  });
}

async function startXvfb(xvfbPath) {
  const child = track(
    spawn(xvfbPath, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], {
      detached: true,
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    }),
  );
  const output = tail(child.stdio[2]);
  const display = new Promise((resolve) => {
    let text = '';
    child.stdio[3].setEncoding('utf8');
    child.stdio[3].on('data', (chunk) => {
      text += chunk;
      const match = /^(\d+)\n/.exec(text);
      if (match) resolve(`:${match[1]}`);
    });
  });
  const failed = exitPromise(child, 'Xvfb', output);
  failed.catch(() => {}); // only observed while starting
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Xvfb did not report a display within 15 s${output() ? `:\n${output()}` : ''}`)),
      15000,
    );
  });
  try {
    return { child, display: await Promise.race([display, failed, timeout]) };
  } catch (error) {
    await terminate(child);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

async function waitForStatus(url, failed, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const response = await Promise.race([fetch(url, { signal: AbortSignal.timeout(2000) }), failed]);
      if (response.ok) {
        const body = await response.json();
        if (body?.value?.ready !== false) return;
        lastError = new Error(body?.value?.message ?? 'not ready');
      } else {
        lastError = new Error(`HTTP ${response.status}`);
      }
    } catch (error) {
      if (error?.message?.includes('exited early') || error?.message?.includes('failed to start')) throw error;
      lastError = error;
    }
    await sleep(100);
  }
  throw new Error(`WebKitWebDriver did not answer ${url} within ${timeoutMs} ms (${lastError?.message})`);
}

async function startDriver(driverPath, env) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = track(
      spawn(driverPath, [`--port=${port}`, '--host=127.0.0.1'], {
        detached: true,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const out = tail(child.stdout);
    const err = tail(child.stderr);
    const output = () => [out(), err()].filter(Boolean).join('\n');
    const failed = exitPromise(child, 'WebKitWebDriver', output);
    failed.catch(() => {}); // only observed while starting
    try {
      await waitForStatus(`http://127.0.0.1:${port}/status`, failed, 15000);
      return { child, port };
    } catch (error) {
      await terminate(child);
      // the free port may have been taken in between: retry once or twice
      if (attempt >= 3 || !/exited early/.test(error.message)) throw error;
    }
  }
}

export class WebKitLauncher extends WebdriverLauncher {
  /**
   * @param {{ driverPath: string, browserPath: string, xvfbPath?: string,
   *           browserArgs?: string[] }} options
   */
  constructor({ driverPath, browserPath, xvfbPath, browserArgs = [] }) {
    super({
      hostname: '127.0.0.1',
      port: 0, // set once the driver runs
      path: '/',
      logLevel: 'error',
      // webdriverio's defaults (120 s, 3 retries) make a browser that cannot start hang for
      // minutes; on loopback a command either answers quickly or not at all.
      connectionRetryTimeout: 30_000,
      connectionRetryCount: 1,
      capabilities: {
        browserName: 'MiniBrowser',
        'wdio:enforceWebDriverClassic': true,
        'webkitgtk:browserOptions': {
          binary: browserPath,
          args: ['--automation', '--javascript-can-open-windows-automatically=true', ...browserArgs],
        },
      },
    });
    this.paths = { driverPath, xvfbPath };
    // One page at a time: the webdriver launcher navigates a single window when concurrency is 1
    // (with more it runs tests in iframes, which changes focus and popup behaviour).
    this.concurrency = 1;
  }

  async initialize(config, testFiles) {
    await super.initialize({ ...config, concurrency: 1 }, testFiles);
    this.name = 'WebKit';
  }

  /** Starts Xvfb (if needed) and the driver once; later calls share the same promise. */
  ensureServices() {
    this.servicesPromise ??= (async () => {
      const env = { ...process.env };
      if (!env.DISPLAY) {
        if (!this.paths.xvfbPath) throw new Error('$DISPLAY is unset and no Xvfb was found');
        this.xvfb = await startXvfb(this.paths.xvfbPath);
        env.DISPLAY = this.xvfb.display;
      }
      this.driverProcess = await startDriver(this.paths.driverPath, env);
      this.options.port = this.driverProcess.port;
    })();
    return this.servicesPromise;
  }

  async startSession(id, url) {
    // When WebKit could not start once, fail the other test files at once instead of letting
    // each of them wait for its own timeout.
    if (this.startupError) throw this.startupError;
    try {
      await this.ensureServices();
      return await super.startSession(id, url);
    } catch (error) {
      if (!this.driverManager) this.startupError ??= error;
      throw error;
    }
  }

  async startDebugSession(id, url) {
    await this.ensureServices();
    return super.startDebugSession(id, url);
  }

  async stop() {
    try {
      await super.stop(); // deletes the WebDriver session, which closes MiniBrowser
    } finally {
      await terminate(this.driverProcess?.child);
      await terminate(this.xvfb?.child);
      this.driverProcess = undefined;
      this.xvfb = undefined;
      this.servicesPromise = undefined;
    }
  }
}

export function webkitLauncher(options) {
  return new WebKitLauncher(options);
}
