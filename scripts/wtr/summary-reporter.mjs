/**
 * A web-test-runner reporter that adds one closing line after wtr's own output:
 *
 *   browser: N passed, N failed[, N skipped]
 *
 * counting individual tests across all engines (a test run in three engines counts three times).
 * A test file whose session failed without any failing test (it did not load, a hook threw,
 * it timed out) counts as one failed test, so the line never reads "0 failed" on a failed run.
 *
 * The line is returned from getTestProgress() once stop() has been called: wtr calls every
 * reporter's stop() and then prints the final progress of all reporters in order, so placing this
 * reporter after defaultReporter() puts the line under "Finished running tests ...".
 */

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

export function summaryReporter({ label = 'browser' } = {}) {
  let line;
  return {
    stop({ sessions }) {
      line = summarise(sessions, label);
    },
    getTestProgress() {
      return line ? ['', line] : [];
    },
  };
}
