/**
 * Server rendering: every element rendered in Node by @lit-labs/ssr (declarative shadow DOM,
 * nothing of `document` or `Element` touched), then hydrated in the browser from that markup, in
 * a page of its own (test/browser/fixtures/ssr/). Hydrated elements keep the server's DOM, report
 * no hydration error, and work: given a session they load calendars, and a pick fires tk-change.
 */
import { expect } from '@open-wc/testing';
import { waitUntil } from './helpers/wait.js';
import { newResource, sessionFor } from './helpers/emulator.js';
import type { TkSessionElement } from '../../src/components/session/session-provider.js';
import type { TkCalendarPicker } from '../../src/components/calendar-picker/calendar-picker.js';
import type { TkChangeEvent } from '../../src/events/change.js';
import { waitForState } from './helpers/dom.js';

const TAGS = ['tk-session', 'tk-google-connect', 'tk-calendar-picker', 'tk-booking-target'];
type FixtureWindow = Window & typeof globalThis & { tkHydrated?: boolean; tkErrors: unknown[] };

describe('server rendering with @lit-labs/ssr, then hydration', () => {
  let frame: HTMLIFrameElement;

  afterEach(() => frame?.remove());

  it('renders every element in Node with a declarative shadow root', async () => {
    const page = await (await fetch('/__tk-ssr/page.html')).text();
    for (const tag of TAGS) {
      expect(page, tag).to.match(new RegExp(`<${tag}\\b[^>]*><template shadowroot="open" shadowrootmode="open"`));
    }
    // the pickers' signed-out state, rendered on the server
    expect(page).to.contain('part="signed-out"');
  });

  it('hydrates them in the browser: the server DOM stays, no error, and they work', async () => {
    frame = document.createElement('iframe');
    frame.src = '/__tk-ssr/page.html';
    document.body.append(frame);
    await waitUntil(() => (frame.contentWindow as FixtureWindow | null)?.tkHydrated, 'the page did not hydrate', { timeout: 10_000 });
    const win = frame.contentWindow as FixtureWindow;
    const doc = frame.contentDocument!;
    const elements = TAGS.map((tag) => doc.querySelector(tag) as HTMLElement & { updateComplete: Promise<boolean>; hasUpdated: boolean });
    for (const el of elements) await el.updateComplete;
    for (const [index, el] of elements.entries()) {
      expect(el.hasUpdated, TAGS[index]).to.equal(true);
      // hydration keeps the server's part markers; a fresh client render would have replaced them
      const markers = [...el.shadowRoot!.childNodes].filter((node) => node.nodeType === Node.COMMENT_NODE && (node as Comment).data.startsWith('lit-part'));
      expect(markers, `${TAGS[index]} kept the server's DOM`).to.not.have.length(0);
    }
    expect(win.tkErrors, 'errors while hydrating').to.deep.equal([]);

    // now the browser gives the session its credentials, and the hydrated pickers load and work
    const credentials = await sessionFor(await newResource(['Work']));
    const session = elements[0] as unknown as TkSessionElement;
    session.fetchCredentials = async () => credentials;
    const picker = elements[2] as unknown as TkCalendarPicker;
    await waitForState(picker, 'content', { message: 'the hydrated picker shows no calendars', timeout: 10_000 });
    const changed = new Promise<TkChangeEvent>((resolve) => picker.addEventListener('tk-change', (event) => resolve(event as TkChangeEvent), { once: true }));
    picker.shadowRoot!.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    expect(((await changed).detail as { calendarIds: readonly string[] }).calendarIds).to.have.length(1);
    expect(win.tkErrors).to.deep.equal([]);
  });
});
