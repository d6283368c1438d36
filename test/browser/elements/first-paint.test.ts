/**
 * The core page's first paint fetches no lazy chunk. A page with `<tk-session>`, the connect
 * element and both pickers (the CDN entry, src/cdn.ts), signed in with calendars, shows all of
 * them with the modules it imports up front; what runs later (the connect round trip, the error
 * texts, Lit's ContextRoot for late providers, the developer diagnostics, other languages, the
 * elements outside the core) stays unfetched until the page needs it. A file of its own: a test
 * page keeps every module it has loaded.
 */
import { expect, fixtureSync, html } from '@open-wc/testing';
import '../../../src/cdn.js';
import { FakeSession, calendar } from '../helpers/fake-session.js';
import { waitForState } from '../helpers/dom.js';

/** Every module of ours (under src/) the browser code imports with `import()`, by file name. */
const LAZY_MODULES = [
  'connect-round-trip',
  'connect-question',
  'question-de',
  'question-es',
  'context-root',
  'en-errors',
  'diagnostics',
  'de',
  'es',
  'pending-account',
  'availability-requests',
  'tk-availability-rules',
  'tk-availability-preview',
  'tk-microsoft-connect',
];

const fetchedLazyModules = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => new URL(entry.name).pathname)
    // the dev server serves each package module too: @lit/context's own context-root.js is no chunk of ours
    .filter((path) => path.includes('/src/'))
    .map((path) => path.split('/').pop()!.replace(/\.(ts|js)$/, ''))
    .filter((name) => LAZY_MODULES.includes(name));

describe('the core page', () => {
  it('paints session, connect and both pickers with no lazy chunk fetched', async () => {
    const session = new FakeSession({ endpoint: `${location.origin}/no-companion` });
    session.calendarList = [calendar({ name: 'Work', provider_primary: true, provider_sync: true }), calendar({ name: 'Family' })];
    const page = fixtureSync<HTMLElement>(html`<div lang="en">
      <tk-session .session=${session}>
        <tk-google-connect></tk-google-connect>
        <tk-calendar-picker name="findtime_calendars"></tk-calendar-picker>
        <tk-booking-target name="booking_calendar"></tk-booking-target>
      </tk-session>
    </div>`);
    for (const tag of ['tk-google-connect', 'tk-calendar-picker', 'tk-booking-target']) await waitForState(page.querySelector(tag)!, 'content');
    expect(fetchedLazyModules()).to.deep.equal([]);
  });
});
