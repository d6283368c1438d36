/**
 * The node summary reporter, labelled for the end-to-end tests: one closing line
 *
 *   e2e: N passed, N failed[, N skipped]
 *
 * (the counting is scripts/node-summary-reporter.mjs's).
 */
import nodeSummaryReporter from './node-summary-reporter.mjs';

export default async function* e2eSummaryReporter(source) {
  for await (const line of nodeSummaryReporter(source)) yield line.replace(/^\nnode:/, '\ne2e:');
}
