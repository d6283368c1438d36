/**
 * How every consumer element finds its session: the session arrives from an ancestor provider,
 * across a shadow boundary, from a provider that shows up later, and an explicit `.session` wins.
 * The element's state says which session it got: `content` needs a ready session with an account
 * (and calendars), `signed-out` means none.
 */
import { expect, fixture, fixtureSync, html } from '@open-wc/testing';
import '../../../src/tk-session.js';
import '../../../src/tk-calendar-picker.js';
import '../../../src/tk-booking-target.js';
import '../../../src/tk-google-connect.js';
import { provideTkSession } from '../../../src/session/session-context.js';
import { FakeSession, calendar } from '../helpers/fake-session.js';
import { hasState, waitForState } from '../helpers/dom.js';

const TAGS = ['tk-calendar-picker', 'tk-booking-target', 'tk-google-connect'] as const;

async function ready(name = 'Work') {
  const session = new FakeSession({ endpoint: '/companion' });
  session.calendarList = [calendar({ name })];
  await session.refresh();
  return session;
}

/** The four ways a consumer element can get its session, for one element. */
function describeSessionLookup(tag: (typeof TAGS)[number]) {
  describe(`<${tag}> gets its session`, () => {
    it('from an ancestor <tk-session>', async () => {
      const session = await ready();
      const wrap = await fixture(html`<tk-session .session=${session}></tk-session>`);
      const el = document.createElement(tag);
      wrap.append(el);
      await waitForState(el, 'content', { message: `${tag} got no session` });
      expect(el.session).to.equal(undefined); // it came through the context
    });

    it('across a shadow boundary', async () => {
      const session = await ready();
      const wrap = await fixture(html`<tk-session .session=${session}><div></div></tk-session>`);
      const el = document.createElement(tag);
      wrap.querySelector('div')!.attachShadow({ mode: 'open' }).append(el);
      await waitForState(el, 'content', { message: `${tag} got no session through the shadow root` });
    });

    it('from a provider that arrives later', async () => {
      const host = fixtureSync<HTMLDivElement>(html`<div></div>`);
      const el = document.createElement(tag);
      host.append(el);
      await el.updateComplete;
      expect(hasState(el, 'signed-out')).to.equal(true);
      provideTkSession(host, await ready());
      await waitForState(el, 'content', { message: `${tag} missed the late provider` });
    });

    it('and an explicit .session wins over the context', async () => {
      const outer = new FakeSession();
      await outer.become({ status: 'signed-out' });
      const wrap = await fixture(html`<tk-session .session=${outer}></tk-session>`);
      const el = document.createElement(tag);
      el.session = await ready();
      wrap.append(el);
      await waitForState(el, 'content', { message: `${tag} did not use its own session` });
    });
  });
}

for (const tag of TAGS) describeSessionLookup(tag);
