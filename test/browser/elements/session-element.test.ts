import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-session.js';
import '../../../src/tk-calendar-picker.js';
import { TkSessionElement } from '../../../src/components/session/session-provider.js';
import { TkSessionChangeEvent } from '../../../src/events/session-change.js';
import { TkSession } from '../../../src/session/session-service.js';
import { FakeSession, readySession } from '../helpers/fake-session.js';
import { hasState, waitForState } from '../helpers/dom.js';

describe('<tk-session>', () => {
  it('is the registered class and renders its children', async () => {
    expect(document.createElement('tk-session')).to.be.instanceOf(TkSessionElement);
    const el = await fixture<TkSessionElement>(html`<tk-session><p>child</p></tk-session>`);
    expect(getComputedStyle(el).display).to.equal('contents');
    expect(el.session).to.equal(undefined);
  });

  it('creates a session from fetchCredentials and fires tk-session-change {status: ready}', async () => {
    const el = document.createElement('tk-session');
    el.fetchCredentials = async () => readySession();
    const fired = oneEvent(el, 'tk-session-change');
    document.body.append(el);
    try {
      const event = (await fired) as TkSessionChangeEvent;
      expect(event).to.be.instanceOf(TkSessionChangeEvent);
      expect(event.detail).to.deep.equal({ status: 'ready' });
      expect([event.bubbles, event.composed]).to.deep.equal([true, true]);
      expect(el.session).to.be.instanceOf(TkSession);
      expect(el.session!.status).to.equal('ready');
    } finally {
      el.remove();
    }
  });

  it('reports signed-out and error, once per status', async () => {
    const session = new FakeSession();
    session.next = { status: 'signed-out' };
    const statuses: string[] = [];
    const el = document.createElement('tk-session');
    el.addEventListener('tk-session-change', (e) => statuses.push(e.detail.status));
    el.session = session;
    document.body.append(el);
    try {
      await waitUntil(() => statuses.length === 1);
      await session.refresh();
      await session.become('unavailable');
      expect(statuses).to.deep.equal(['signed-out', 'error']);
    } finally {
      el.remove();
    }
  });

  it('creates a session from the endpoint attribute', async () => {
    const el = await fixture<TkSessionElement>(html`<tk-session endpoint="/no-companion-here"></tk-session>`);
    expect(el.session!.endpoint).to.equal(`${location.origin}/no-companion-here`);
    el.remove();
  });

  it('provides to children that were there before the element was defined (late upgrade)', async () => {
    const session = new FakeSession();
    session.calendarList = [];
    await session.refresh();
    // Built by hand: open-wc's fixture waits for an animation frame for unknown elements, and
    // background tabs get none.
    const wrap = document.createElement('tk-session-late') as HTMLElement & { session?: TkSession };
    const picker = document.createElement('tk-calendar-picker');
    wrap.append(picker);
    document.body.append(wrap);
    try {
      await picker.updateComplete;
      expect(hasState(picker, 'signed-out')).to.equal(true);
      wrap.session = session;
      customElements.define('tk-session-late', class extends TkSessionElement {});
      await waitForState(picker, 'empty', { message: 'the picker never got the late session' });
    } finally {
      wrap.remove();
    }
  });
});
