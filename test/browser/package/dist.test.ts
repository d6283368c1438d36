/**
 * The built package in the browser: the npm entries in dist/ (Lit resolved from node_modules, as a
 * consumer's bundler would) register and render every element against the emulator. Needs
 * `npm run build` first (npm test runs it).
 */
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { newResource, sessionFor } from '../helpers/emulator.js';
import * as source from '../../../src/classes.js';
import { serialisedRules, styleTexts } from './css-rules.js';
import { hasState, part } from '../helpers/dom.js';

const tags = ['tk-session', 'tk-google-connect', 'tk-calendar-picker', 'tk-booking-target'];
// by URL, so the typecheck does not need dist/ and the test page loads the built files
const dist = (file: string) => import(new URL(`../../../dist/${file}`, import.meta.url).href);

describe('package: dist/ entries', () => {
  it('classes.js exports the classes and registers nothing', async () => {
    const classes = await dist('classes.js');
    expect(classes.TkCalendarPicker).to.be.a('function');
    for (const tag of tags) expect(customElements.get(tag), tag).to.equal(undefined);
  });

  it('each tk-*.js registers its element; index.js exports the registered classes', async () => {
    for (const tag of tags) {
      await dist(`${tag}.js`);
      expect(customElements.get(tag), tag).to.be.a('function');
    }
    const index = await dist('index.js');
    expect(customElements.get('tk-calendar-picker')).to.equal(index.TkCalendarPicker);
  });

  it('has the same CSS as the source, rule for rule', async () => {
    const dist = await import(new URL('../../../dist/classes.js', import.meta.url).href);
    for (const name of ['TkSessionElement', 'TkGoogleConnect', 'TkCalendarPicker', 'TkBookingTarget'] as const) {
      const expected = serialisedRules(source[name]);
      expect(expected.length, name).to.be.greaterThan(0);
      expect(serialisedRules(dist[name]), name).to.deep.equal(expected);
    }
  });

  it('ships the CSS text as written in the source: the npm build does not minify it', async () => {
    const dist = await import(new URL('../../../dist/classes.js', import.meta.url).href);
    for (const name of ['TkSessionElement', 'TkGoogleConnect', 'TkCalendarPicker', 'TkBookingTarget'] as const) {
      expect(styleTexts(dist[name]), name).to.deep.equal(styleTexts(source[name]));
    }
  });

  it('renders every element with a real session', async () => {
    const credentials = await sessionFor(await newResource(['Work']));
    const page = await fixture<HTMLElement>(html`
      <tk-session .fetchCredentials=${async () => credentials}>
        <tk-google-connect></tk-google-connect>
        <tk-calendar-picker name="availability"></tk-calendar-picker>
        <tk-booking-target name="target"></tk-booking-target>
      </tk-session>
    `);
    const [connect, picker, target] = ['tk-google-connect', 'tk-calendar-picker', 'tk-booking-target'].map((tag) => page.querySelector(tag)!);
    await waitUntil(() => hasState(picker!, 'content') && hasState(target!, 'content'), 'pickers show calendars');
    expect(picker!.shadowRoot!.textContent).to.contain('Work');
    expect(target!.shadowRoot!.textContent).to.contain('Work');
    expect(part(connect!, 'button')).to.not.equal(null);
  });
});
