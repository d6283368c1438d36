/**
 * scripts/wtr/summary-reporter.mjs: the browser run lists no 404 of a deliberately missing
 * companion and none of the kit's own warnings (tests provoke both on purpose), says in one line
 * what it left out, and prints wtr's "Finished running tests" once, at the end.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
// @ts-expect-error -- a plain .mjs script without declarations
import { filterBrowserLogs, quietDefaultReporter, summaryReporter } from '../../../scripts/wtr/summary-reporter.mjs';

interface FakeSession {
  testFile: string;
  browser: { name: string };
  status: string;
  passed: boolean;
  errors: unknown[];
  logs: unknown[][];
  request404s: string[];
  testResults: { tests: { name: string; passed: boolean; skipped: boolean }[]; suites: [] };
}

const session = (request404s: string[]): FakeSession => ({
  testFile: 'test/browser/x.test.ts',
  browser: { name: 'Chromium' },
  status: 'FINISHED',
  passed: true,
  errors: [],
  logs: [],
  request404s,
  testResults: { tests: [{ name: 'works', passed: true, skipped: false }], suites: [] },
});

/** What wtr hands a reporter: a logger that buffers what the reporter logs about one file. */
function bufferedLogger() {
  const buffer: { method: string; args: unknown[] }[] = [];
  const record =
    (method: string) =>
    (...args: unknown[]) =>
      void buffer.push({ method, args });
  return { buffer, logBufferedMessages() {}, log: record('log'), group: record('group'), groupEnd: record('groupEnd') };
}

describe('browser summary reporter', () => {
  it("leaves a deliberately missing companion's 404s out of wtr's report, and keeps any other 404", () => {
    const omitted = { requests: 0, warnings: 0 };
    const reporter = quietDefaultReporter({ omitted });
    reporter.start({ browserNames: ['Chromium'], config: {}, browsers: [], sessions: [], testFiles: [], startTime: Date.now() });
    const logger = bufferedLogger();
    reporter.reportTestFileResults({
      logger,
      testFile: 'test/browser/x.test.ts',
      testRun: 0,
      sessionsForTestFile: [session(['no-companion-here/session', 'fixtures/missing-image.png'])],
    });
    const printed = logger.buffer.flatMap((entry) => entry.args).join('\n');
    assert.doesNotMatch(printed, /no-companion/);
    assert.match(printed, /missing-image\.png/, 'an unexpected 404 is still listed');
    assert.equal(omitted.requests, 1);
  });

  it("drops Lit's dev-mode notice and the kit's own warnings from the browser logs, and keeps the rest", () => {
    assert.equal(filterBrowserLogs({ args: ['Lit is in dev mode. Not recommended for production!'] }), false);
    assert.equal(filterBrowserLogs({ args: ['tk-session: No companion at http://localhost:8000/no-companion-here: …'] }), false);
    assert.equal(filterBrowserLogs({ args: ['tk-google-connect: no outcome from /timekit/google/start yet.'] }), false);
    assert.equal(filterBrowserLogs({ args: ['Uncaught TypeError: x is undefined'] }), true);
    assert.equal(filterBrowserLogs({ args: [{ not: 'a string' }] }), true);
  });

  it('says in one line what it left out, above the closing count', () => {
    const reporter = summaryReporter({ omitted: { requests: 15, warnings: 1 } });
    reporter.stop({ sessions: [session([]), session([])] });
    assert.deepEqual(reporter.getTestProgress(), [
      '',
      'browser: not listed above, because tests provoke them on purpose: 15 requests to a missing companion (404) and 1 console warning of the kit',
      'browser: 2 passed, 0 failed',
    ]);
  });

  it('prints nothing more than the closing count when nothing was left out', () => {
    const reporter = summaryReporter({ omitted: { requests: 0, warnings: 0 } });
    reporter.stop({ sessions: [session([])] });
    assert.deepEqual(reporter.getTestProgress(), ['', 'browser: 1 passed, 0 failed']);
  });

  it('shows "Finished running tests" once: held back after the last file, printed when the run stops', () => {
    const finished = 'Finished running tests in 9.9s, all tests passed!';
    const progress = (args: { sessions: FakeSession[] }) => (args.sessions.every((s) => s.status === 'FINISHED') ? [finished] : ['Running tests...']);
    const reporter = quietDefaultReporter({ reporter: { getTestProgress: progress }, omitted: { requests: 0, warnings: 0 } });
    const running = { ...session([]), status: 'TEST_STARTED' };
    assert.deepEqual(reporter.getTestProgress({ sessions: [running] }), ['Running tests...']);
    // Piped output: wtr reports the progress when the last file finishes and again when it stops.
    const printed = [...reporter.getTestProgress({ sessions: [session([])] })];
    reporter.stop({ sessions: [session([])] });
    printed.push(...reporter.getTestProgress({ sessions: [session([])] }));
    assert.deepEqual(printed, [finished]);
  });
});
