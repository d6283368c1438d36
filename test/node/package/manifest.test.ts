/**
 * custom-elements.json, the reference tables in docs/reference.md and the framework tag types
 * (src/element-types.ts) are what `npm run manifest` makes from the current JSDoc: an API change
 * shows up in review, not silently after release.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
// @ts-expect-error -- a plain .mjs script without declarations
import { ELEMENT_TYPES, END, REFERENCE_PAGE, START, analyze, referenceSection, root } from '../../../scripts/manifest.mjs';
// @ts-expect-error -- a plain .mjs script without declarations
import { elementTypes } from '../../../scripts/element-types.mjs';

const committed = JSON.parse(readFileSync(join(root, 'custom-elements.json'), 'utf8'));

describe('package: custom elements manifest', () => {
  it('custom-elements.json matches a fresh analyzer run (else: npm run manifest)', async () => {
    assert.deepEqual(await analyze({ write: false }), committed);
  });

  it('docs/reference.md has the reference tables made from it (else: npm run manifest)', () => {
    const page = readFileSync(REFERENCE_PAGE, 'utf8');
    const section = page.slice(page.indexOf(START), page.indexOf(END) + END.length);
    assert.equal(section, referenceSection(committed));
  });

  it('src/element-types.ts has the tag types made from it (else: npm run manifest)', () => {
    assert.equal(readFileSync(ELEMENT_TYPES, 'utf8'), elementTypes(committed));
  });

  it('lists the elements with their events', () => {
    const events = Object.fromEntries(
      committed.modules.flatMap((m: { declarations?: Array<{ tagName?: string; events?: Array<{ name: string }> }> }) =>
        (m.declarations ?? []).filter((d) => d.tagName).map((d) => [d.tagName, (d.events ?? []).map((e) => e.name).sort()]),
      ),
    );
    assert.deepEqual(events, {
      'tk-session': ['tk-session-change'],
      'tk-google-connect': ['tk-cancel', 'tk-connect', 'tk-connected', 'tk-error'],
      'tk-calendar-picker': ['change', 'tk-change', 'tk-error'],
      'tk-booking-target': ['change', 'tk-change', 'tk-error'],
      'tk-availability-preview': ['tk-error'],
      'tk-availability-rules': ['change', 'tk-change', 'tk-error'],
      'tk-microsoft-connect': ['tk-cancel', 'tk-connect', 'tk-connected', 'tk-error'],
    });
  });
});
