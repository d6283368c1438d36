/**
 * A node:test reporter that prints nothing while tests run and one closing line at the end:
 *
 *   node: N passed, N failed[, N skipped]
 *
 * It counts leaf tests only: suites (`describe`) and tests that ran subtests (`t.test`) are not
 * counted themselves. `skip` and `todo` tests count as skipped. A test file that fails before
 * reporting any test (a syntax or import error) shows up as one failed leaf named after the file.
 *
 * Used by scripts/test-node.mjs next to the `spec` reporter.
 */

export default async function* nodeSummaryReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  // Per file, per nesting level: whether the test now finishing at that level had subtests.
  // Children always report before their parent, so a parent sees the flag its children set.
  const hadChildren = new Map();

  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { data } = event;
    const key = data.file ?? '';
    let levels = hadChildren.get(key);
    if (!levels) hadChildren.set(key, (levels = []));

    const nesting = data.nesting ?? 0;
    if (nesting > 0) levels[nesting - 1] = true;
    const isParent = levels[nesting] === true;
    levels[nesting] = false;

    if (data.details?.type === 'suite' || isParent) continue;
    if (data.skip || data.todo) counts.skipped += 1;
    else if (event.type === 'test:pass') counts.passed += 1;
    else counts.failed += 1;
  }

  yield `\nnode: ${counts.passed} passed, ${counts.failed} failed` +
    (counts.skipped ? `, ${counts.skipped} skipped` : '') +
    '\n';
}
