/**
 * Focus visible (WCAG 2.4.7) in every element with a user interface: the keyboard walks from a
 * button before them to one after them, and every stop on the way shows a focus ring of at least
 * 2 px (docs/accessibility.md). Whatever the stops are (roving lists have one), none may lack it.
 */
// A wrapper that is not a Lit element mounts with fixtureSync (see calendar-picker.test.ts).
import { expect, fixtureSync, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import '../../src/tk-microsoft-connect.js';
import '../../src/tk-availability-rules.js';
import '../../src/tk-availability-preview.js';
import { calendar } from './helpers/fake-session.js';
import { FakeAvailabilitySession, WEEKDAYS_9_TO_17 } from './helpers/fake-availability.js';
import { waitForState } from './helpers/dom.js';

const ELEMENTS = ['tk-google-connect', 'tk-microsoft-connect', 'tk-calendar-picker', 'tk-booking-target', 'tk-availability-rules', 'tk-availability-preview'];

interface Stop {
  /** The element the focus is in (its host, or the page's own button). */
  host: string;
  /** What has the focus inside it: tag and part. */
  control: string;
  outlineStyle: string;
  outlineWidth: number;
}

/** The focused control, looking into shadow roots, with its outline as computed now. */
function focusStop(): Stop {
  let host: Element | null = document.activeElement;
  let el = host;
  while (el?.shadowRoot?.activeElement) {
    host = el;
    el = el.shadowRoot.activeElement;
  }
  const style = getComputedStyle(el!);
  return {
    host: host!.localName === el!.localName ? el!.id : host!.localName,
    control: `${el!.localName}[part="${el!.getAttribute('part') ?? ''}"]`,
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
  };
}

describe('focus visible in every element', () => {
  it('every Tab stop from before the elements to after them shows a focus ring of at least 2 px', async () => {
    // An endpoint, or the connect buttons stay disabled (nothing to connect through).
    const session = new FakeAvailabilitySession({ endpoint: `${location.origin}/test/browser/fixtures/no-companion` });
    session.calendarList = [
      calendar({ name: 'Work', provider_sync: true, provider_primary: true }),
      calendar({ name: 'Family' }),
      calendar({ name: 'Team rota', provider_access: 'reader' }),
    ];
    const tomorrow = new Date();
    tomorrow.setDate(tomorrow.getDate() + 1);
    tomorrow.setHours(10, 0, 0, 0);
    session.slots = [{ start: tomorrow.toISOString(), end: new Date(tomorrow.getTime() + 30 * 60_000).toISOString() }];
    session.setAvailabilityRules({}, WEEKDAYS_9_TO_17);
    await session.refresh();
    const wrap = fixtureSync(html`<div>
      <button type="button" id="before">Before</button>
      <tk-google-connect .session=${session}></tk-google-connect>
      <tk-microsoft-connect .session=${session}></tk-microsoft-connect>
      <tk-calendar-picker .session=${session}></tk-calendar-picker>
      <tk-booking-target .session=${session}></tk-booking-target>
      <tk-availability-rules .session=${session}></tk-availability-rules>
      <tk-availability-preview .session=${session}></tk-availability-preview>
      <button type="button" id="after">After</button>
    </div>`);
    for (const tag of ELEMENTS) await waitForState(wrap.querySelector(tag)!, ['content', 'empty']);

    wrap.querySelector<HTMLButtonElement>('#before')!.focus();
    const stops: Stop[] = [];
    for (let presses = 0; presses < 300; presses++) {
      await sendKeys({ press: 'Tab' });
      const stop = focusStop();
      if (stop.host === 'after') break;
      stops.push(stop);
    }
    expect(stops.at(-1)?.host, 'Tab never reached the button after the elements').to.not.equal(undefined);
    expect(focusStop().host).to.equal('after');
    expect([...new Set(stops.map((stop) => stop.host))], 'every element has a Tab stop').to.have.members(ELEMENTS);
    const unringed = stops.filter((stop) => stop.outlineStyle === 'none' || !(stop.outlineWidth >= 2));
    expect(unringed, 'stops without a visible focus ring').to.deep.equal([]);
  });
});
