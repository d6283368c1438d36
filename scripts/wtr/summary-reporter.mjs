/**
 * The browser run's closing lines, and what it leaves out of wtr's report.
 *
 * summaryReporter() adds one closing line after wtr's own output:
 *
 *   browser: N passed, N failed[, N skipped]
 *
 * counting individual tests across all engines (a test run in three engines counts three times).
 * A test file whose session failed without any failing test (it did not load, a hook threw,
 * it timed out) counts as one failed test, so the line never reads "0 failed" on a failed run.
 * When the run left out what tests provoke on purpose (see below), one line before it says so.
 *
 * The line is returned from getTestProgress() once stop() has been called: wtr calls every
 * reporter's stop() and then prints the final progress of all reporters in order, so placing this
 * reporter after the default one puts the line under "Finished running tests ...".
 *
 * quietDefaultReporter() is wtr's default reporter without two kinds of noise:
 * - the 404s of tests that probe a companion that is not there on purpose (their endpoints say
 *   `no-companion`): wtr lists every 404 of a test file, with no way to say one was expected;
 * - its "Finished running tests" progress before the end: when the output is not a terminal, wtr
 *   prints the progress after the last file and again when it stops, so it showed twice.
 * filterBrowserLogs() leaves out Lit's dev-mode notice and the kit's own developer warnings
 * (`tk-session: …`), which only pages that tests misconfigure on purpose provoke; the tests that
 * check a warning record console.warn themselves.
 */
import { defaultReporter } from '@web/test-runner';

const hidden = { requests: 0, warnings: 0 };

/** A 404 of a test that probes a missing companion on purpose. */
export const isDeliberate404 = (path) => path.includes('no-companion');

/** wtr's `filterBrowserLogs`: false for the logs the run leaves out. */
export function filterBrowserLogs({ args }) {
  const [first] = args;
  if (typeof first !== 'string') return true;
  if (first.startsWith('Lit is in dev mode')) return false;
  if (/^tk-[a-z-]+: /.test(first)) {
    hidden.warnings += 1;
    return false;
  }
  return true;
}

function countTests(suite, counts) {
  for (const test of suite?.tests ?? []) {
    if (test.skipped) counts.skipped += 1;
    else if (test.passed) counts.passed += 1;
    else counts.failed += 1;
  }
  for (const child of suite?.suites ?? []) countTests(child, counts);
}

export function summarise(sessions, label = 'browser') {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const session of sessions) {
    const before = counts.failed;
    countTests(session.testResults, counts);
    if (session.passed === false && counts.failed === before) counts.failed += 1;
  }
  return (
    `${label}: ${counts.passed} passed, ${counts.failed} failed` +
    (counts.skipped ? `, ${counts.skipped} skipped` : '')
  );
}

/** The line that says what the run left out, or none when it left nothing out. */
export function leftOut({ requests, warnings }, label = 'browser') {
  const counted = (n, one, many) => `${n} ${n === 1 ? one : many}`;
  const parts = [];
  if (requests) parts.push(counted(requests, 'request to a missing companion (404)', 'requests to a missing companion (404)'));
  if (warnings) parts.push(counted(warnings, 'console warning of the kit', 'console warnings of the kit'));
  if (parts.length === 0) return [];
  return [`${label}: not listed above, because tests provoke them on purpose: ${parts.join(' and ')}`];
}

export function summaryReporter({ label = 'browser', omitted = hidden } = {}) {
  let lines;
  return {
    stop({ sessions }) {
      lines = [...leftOut(omitted, label), summarise(sessions, label)];
    },
    getTestProgress() {
      return lines ? ['', ...lines] : [];
    },
  };
}

export function quietDefaultReporter({ reporter = defaultReporter(), omitted = hidden } = {}) {
  let stopped = false;
  return {
    ...reporter,
    reportTestFileResults(args) {
      const sessionsForTestFile = args.sessionsForTestFile.map((session) => {
        const request404s = session.request404s.filter((path) => !isDeliberate404(path));
        omitted.requests += session.request404s.length - request404s.length;
        return { ...session, request404s };
      });
      return reporter.reportTestFileResults?.({ ...args, sessionsForTestFile });
    },
    getTestProgress(args) {
      const finished = args.sessions.length > 0 && args.sessions.every((session) => session.status === 'FINISHED');
      return finished && !stopped ? [] : (reporter.getTestProgress?.(args) ?? []);
    },
    stop(args) {
      stopped = true;
      return reporter.stop?.(args);
    },
  };
}
