/**
 * dist/cdn/tk-elements.js, the self-contained file (Lit inside) for a `<script type="module">`:
 * alone on a page it registers and renders every core element, and fetches the others when the
 * page uses them. Needs `npm run build` first.
 */
import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { newResource, sessionFor } from '../helpers/emulator.js';
import * as source from '../../../src/classes.js';
import { serialisedRules } from './css-rules.js';

const classes = { 'tk-session': 'TkSessionElement', 'tk-google-connect': 'TkGoogleConnect', 'tk-calendar-picker': 'TkCalendarPicker', 'tk-booking-target': 'TkBookingTarget' } as const;
import { hasState, part } from '../helpers/dom.js';

describe('package: dist/cdn/tk-elements.js', () => {
  it('registers and renders every element with a real session', async () => {
    await import(new URL('../../../dist/cdn/tk-elements.js', import.meta.url).href);
    const credentials = await sessionFor(await newResource(['Work']));
    const session = document.createElement('tk-session');
    session.fetchCredentials = async () => credentials;
    session.innerHTML = '<tk-google-connect></tk-google-connect><tk-calendar-picker></tk-calendar-picker><tk-booking-target></tk-booking-target>';
    document.body.append(session);
    try {
      const [connect, picker, target] = [...session.children];
      await waitUntil(() => hasState(picker!, 'content') && hasState(target!, 'content'), 'pickers show calendars');
      expect(picker!.shadowRoot!.textContent).to.contain('Work');
      expect(target!.shadowRoot!.textContent).to.contain('Work');
      expect(part(connect!, 'button')).to.not.equal(null);
    } finally {
      session.remove();
    }
  });

  for (const tag of ['tk-availability-rules', 'tk-availability-preview']) {
    it(`fetches <${tag}> as a chunk of its own the first time the page has one`, async () => {
      await import(new URL('../../../dist/cdn/tk-elements.js', import.meta.url).href);
      expect(customElements.get(tag)).to.equal(undefined);
      const element = document.createElement(tag);
      document.body.append(element);
      try {
        await waitUntil(() => customElements.get(tag), 'never registered');
        await waitUntil(() => hasState(element, 'signed-out'), 'not rendered');
      } finally {
        element.remove();
      }
    });
  }

  it('has the same CSS as the source, rule for rule, after the build minified it', async () => {
    await import(new URL('../../../dist/cdn/tk-elements.js', import.meta.url).href);
    for (const [tag, name] of Object.entries(classes)) {
      const expected = serialisedRules(source[name]);
      expect(expected.length, name).to.be.greaterThan(0);
      expect(serialisedRules(customElements.get(tag)), name).to.deep.equal(expected);
    }
  });
});
