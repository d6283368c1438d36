/**
 * The companion's error table is the one place a code's status is written: `CompanionError` takes
 * its status from it, and docs/companion.md's table of refusals is a copy of it that must not drift.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { COMPANION_ERRORS, companionErrorsMarkdown } from '../../../src/companion/errors.js';
import { CompanionError } from '../../../src/companion/index.js';
import type { TkCompanionErrorCode } from '../../../src/shared/companion-protocol.js';

const COMPANION_PAGE = new URL('../../../docs/companion.md', import.meta.url);

describe('the companion error table', () => {
  it('gives every CompanionError its status', () => {
    for (const [code, { status }] of Object.entries(COMPANION_ERRORS)) {
      assert.equal(new CompanionError(code as TkCompanionErrorCode, 'why').status, status, code);
    }
  });

  it('answers only 4xx for the caller’s mistakes and 5xx for the companion’s, its database’s or Timekit’s', () => {
    const serverSide = new Set(['timekit-rejected', 'timekit-unavailable', 'store-unavailable', 'internal']);
    for (const [code, { status }] of Object.entries(COMPANION_ERRORS)) {
      assert.equal(status >= 500, serverSide.has(code), `${code} → ${status}`);
    }
  });

  it('is printed unchanged in docs/companion.md between the companion-errors markers', () => {
    const page = readFileSync(COMPANION_PAGE, 'utf8');
    const section = /<!-- companion-errors:start -->\n([\s\S]*?)\n<!-- companion-errors:end -->/.exec(page);
    assert.ok(section, 'docs/companion.md has no companion-errors:start … companion-errors:end markers');
    assert.equal(section[1], companionErrorsMarkdown(), 'docs/companion.md: paste the table companionErrorsMarkdown() prints');
  });
});
