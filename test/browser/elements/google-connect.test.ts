// Wrappers that are not Lit elements mount with fixtureSync: open-wc's fixture waits an animation
// frame for them, and a background tab (two test files at a time) gets none.
import { expect, fixture, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-google-connect.js';
import '../../../src/tk-session.js';
import '../../../src/tk-calendar-picker.js';
import { TkGoogleConnect } from '../../../src/components/google-connect/google-connect.js';
import { TkCancelEvent, TkConnectEvent, TkConnectedEvent } from '../../../src/events/connect.js';
import { TkErrorEvent } from '../../../src/events/error.js';
import type { TkSessionElement } from '../../../src/components/session/session-provider.js';
import { TK_CONNECT_RESULT_FRAME } from '../../../src/shared/companion-protocol.js';
import { FAKE_TOKEN, FakeSession, deferred, readySession } from '../helpers/fake-session.js';
import { testEnv } from '../helpers/env.js';
import { clickPart, consentForm, expectConnectByKeyboard, popupTracker } from '../helpers/popup.js';
import { hasState, part, parts, waitForState } from '../helpers/dom.js';

// A same-origin "companion" path: the popup lands on a 404 page of this origin, which the test
// can then speak for with synthetic messages whose source is that real popup window.
const ENDPOINT = `${location.origin}/test/browser/fixtures/no-companion`;

/** Records redirects instead of leaving the test page (the round trip's `navigate` option); its waits can be shortened. */
class TestConnect extends TkGoogleConnect {
  navigations: string[] = [];
  constructor() {
    super();
    this.roundTripOptions = { navigate: (url) => void this.navigations.push(url) };
  }
  shortenWaits(hintMs: number, timeoutMs: number): void {
    this.roundTripOptions = { ...this.roundTripOptions, hintMs, timeoutMs };
  }
}

const STATE_KEY = 'tk-connect-state-google';

/** The popup's /google/start URL, once the element has sent the blank popup there. */
async function startedAt(popup: Window): Promise<URL> {
  await waitUntil(() => {
    try {
      return popup.location.pathname.endsWith('/google/start') && popup.document.readyState === 'complete';
    } catch {
      return false;
    }
  }, 'the popup did not go to /google/start');
  return new URL(popup.location.href);
}

const connectMessage = (state: string | null, extra: Record<string, unknown> = {}) => ({
  source: 'tk-companion',
  type: 'connect',
  ok: true,
  email: 'alex.morgan@example.com',
  ...(state === null ? {} : { state }),
  ...extra,
});
customElements.define('tk-test-google-connect', TestConnect);

async function sessionWith(response = readySession(), endpoint = ENDPOINT) {
  const session = new FakeSession({ endpoint });
  await session.become(response as never);
  return session;
}

async function connectEl(session?: FakeSession, mode = 'popup') {
  const el = await fixture<TestConnect>(html`<tk-test-google-connect mode=${mode} .session=${session}></tk-test-google-connect>`);
  await el.updateComplete;
  return el;
}

/** Clicks the element's button with a real mouse, so popups are allowed. */
const clickButton = (el: TkGoogleConnect) => clickPart(el, 'button');

describe('<tk-google-connect>', () => {
  const { popups, track: trackPopups } = popupTracker();

  it('is the registered class', () => {
    expect(document.createElement('tk-google-connect')).to.be.instanceOf(TkGoogleConnect);
  });

  describe('states', () => {
    it('signed-out without a session: a disabled button, accessible', async () => {
      const el = await connectEl();
      expect(hasState(el, 'signed-out')).to.equal(true);
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('signed-out session: an enabled connect button', async () => {
      const el = await connectEl(await sessionWith({ status: 'signed-out' } as never));
      expect(hasState(el, 'signed-out')).to.equal(true);
      expect(part(el, 'button')!.textContent!.trim()).to.equal('Connect Google Calendar');
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(false);
      await expect(el).to.be.accessible();
    });

    it('loading: the button stays in place, disabled; the status part says so', async () => {
      const session = new FakeSession({ endpoint: ENDPOINT });
      session.credentialsGate = deferred();
      const el = await connectEl(session);
      expect(session.status).to.equal('loading'); // the element started it
      await el.updateComplete;
      expect(hasState(el, 'loading')).to.equal(true);
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
      expect(part(el, 'status')!.textContent).to.contain('Loading');
      await expect(el).to.be.accessible();
      session.credentialsGate.resolve();
      await waitForState(el, 'content');
    });

    it('empty: ready, no Google account yet', async () => {
      const el = await connectEl(await sessionWith(readySession({ accounts: [] })));
      expect(hasState(el, 'empty')).to.equal(true);
      expect(part(el, 'accounts')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('content: lists the connected accounts and offers another', async () => {
      const el = await connectEl(await sessionWith());
      expect(hasState(el, 'content')).to.equal(true);
      expect(part(el, 'account')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal('Google: alex.morgan@example.com Connected');
      expect(part(el, 'button')!.textContent!.trim()).to.equal('Connect another Google account');
      await expect(el).to.be.accessible();
    });

    it('error: the session failed; retry asks again', async () => {
      const session = new FakeSession({ endpoint: ENDPOINT });
      await session.become('network');
      const el = await connectEl(session);
      // the English error texts are a lazy chunk: the error state shows once they are there
      await waitForState(el, 'error');
      expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
      await expect(el).to.be.accessible();
      session.next = readySession();
      const before = session.credentialRequests;
      part(el, 'retry-button')!.click();
      await waitForState(el, 'content');
      expect(session.credentialRequests).to.equal(before + 1);
    });
  });

  describe('connecting', () => {
    it('disabled: the button is disabled and nothing starts', async () => {
      trackPopups();
      const el = await connectEl(await sessionWith());
      el.disabled = true;
      await el.updateComplete;
      expect(el.hasAttribute('disabled')).to.equal(true);
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
      let fired = 0;
      el.addEventListener('tk-connect', () => fired++);
      el.connect();
      expect([fired, popups.length, el.navigations.length]).to.deep.equal([0, 0, 0]);
    });

    it('tk-connect is cancelable: preventDefault opens nothing', async () => {
      trackPopups();
      const el = await connectEl(await sessionWith());
      el.addEventListener('tk-connect', (e) => e.preventDefault(), { once: true });
      const fired = oneEvent(el, 'tk-connect');
      await clickButton(el);
      const event = await fired;
      expect(event).to.be.instanceOf(TkConnectEvent);
      expect([event.bubbles, event.composed, event.cancelable]).to.deep.equal([true, true, true]);
      expect(popups).to.have.length(0);
      expect(el.navigations).to.have.length(0);
    });

    it("pings the popup only while it shows the companion's result page: none while it shows another page (the browser would warn at each)", async () => {
      // A stand-in popup which, like a real one on another origin, shows a frame of its page by
      // name (the result page's) and refuses any other name.
      let onResultPage = false;
      let closed = false;
      let polls = 0;
      const pings: Array<[unknown, string]> = [];
      const popup = {
        opener: window as Window | null,
        get closed() {
          polls++;
          return closed;
        },
        get [TK_CONNECT_RESULT_FRAME]() {
          if (!onResultPage) throw new DOMException('Blocked a frame from accessing a cross-origin frame', 'SecurityError');
          return {};
        },
        location: { href: '' },
        postMessage: (data: unknown, targetOrigin: string) => void pings.push([data, targetOrigin]),
        close: () => {},
      };
      window.open = () => popup as unknown as Window;
      const el = await connectEl(await sessionWith(readySession({ accounts: [] })));
      await clickButton(el);
      await waitUntil(() => popup.location.href.includes('/google/start'), 'the popup was not sent to the companion');
      await waitUntil(() => polls >= 5, 'the round trip does not watch the popup', { timeout: 10_000 });
      expect(pings, 'pinged a page that is not the result page').to.deep.equal([]);
      onResultPage = true;
      await waitUntil(() => pings.length > 0, 'no ping once the result page shows', { timeout: 10_000 });
      expect(pings[0]).to.deep.equal([{ source: 'tk-elements', type: 'connect-ping' }, location.origin]);
      closed = true;
      await waitUntil(() => !hasState(el, 'connecting'), 'still connecting after the popup closed', { timeout: 10_000 });
    });

    it('opens the companion popup without an opener, pings it, and takes only its answer with this state: tk-connected {email, resourceId, provider}', async () => {
      trackPopups();
      const session = await sessionWith(readySession({ accounts: [] }));
      const el = await connectEl(session);
      await clickButton(el);
      await waitUntil(() => popups.length === 1, 'no popup');
      expect(hasState(el, 'connecting')).to.equal(true);
      const popup = popups[0]!;
      const start = await startedAt(popup);
      expect(`${start.origin}${start.pathname}`).to.equal(`${ENDPOINT}/google/start`);
      expect(start.searchParams.get('endpoint')).to.equal(ENDPOINT);
      const state = start.searchParams.get('state')!;
      expect(state).to.match(/^\d+-\d+-\d+-\d+$/);
      expect(popup.opener, 'no page in the popup can reach this one').to.equal(null);

      // The element asks the page in the popup for the outcome, at the companion's origin only, once
      // the page says it is the result page (as the companion's does, with its named frame).
      const pinged = new Promise<MessageEvent>((resolve) => popup.addEventListener('message', resolve, { once: true }));
      const frame = popup.document.createElement('iframe');
      frame.name = TK_CONNECT_RESULT_FRAME;
      popup.document.body.append(frame);
      const ping = await pinged;
      expect(ping.data).to.deep.equal({ source: 'tk-elements', type: 'connect-ping' });
      expect([ping.origin, ping.source]).to.deep.equal([location.origin, window]);

      // ignored: wrong shape, another window, no state, another state
      for (const [source, data] of [
        [popup, { ok: true, email: 'x' }],
        [window, connectMessage(state)],
        [popup, connectMessage(null)],
        [popup, connectMessage('b3RoZXItc3RhdGUtdmFsdWU')],
      ] as const) {
        window.dispatchEvent(new MessageEvent('message', { origin: location.origin, source, data }));
      }
      await el.updateComplete;
      expect(hasState(el, 'connecting')).to.equal(true);

      session.next = readySession();
      const connected = oneEvent(el, 'tk-connected');
      const before = session.credentialRequests;
      window.dispatchEvent(new MessageEvent('message', { origin: location.origin, source: popup, data: connectMessage(state) }));
      const event = (await connected) as TkConnectedEvent;
      expect(event).to.be.instanceOf(TkConnectedEvent);
      expect(event.detail).to.deep.equal({ email: 'alex.morgan@example.com', resourceId: 'res-1', provider: 'google' });
      expect([event.bubbles, event.composed]).to.deep.equal([true, true]);
      expect(session.credentialRequests).to.equal(before + 1);
      await el.updateComplete;
      expect(hasState(el, 'content')).to.equal(true);
      expect(JSON.stringify(event.detail)).to.not.contain(FAKE_TOKEN);
    });

    it('no outcome for a while: the status says the window may show an error, the console what to check; later tk-error connect-timeout', async () => {
      trackPopups();
      const el = await connectEl(await sessionWith());
      el.shortenWaits(300, 1200);
      const warnings: string[] = [];
      const warn = console.warn;
      console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
      try {
        await clickButton(el);
        await waitUntil(() => popups.length === 1, 'no popup');
        await waitUntil(() => part(el, 'status')!.textContent!.includes('Still waiting'), 'no hint');
        expect(hasState(el, 'connecting')).to.equal(true);
        expect(warnings).to.deep.equal([`tk-google-connect: no outcome from ${ENDPOINT}/google/start yet. Behind a proxy, check the companion's basePath and publicUrl`]);
        const errored = (await oneEvent(el, 'tk-error')) as TkErrorEvent;
        expect(errored.detail).to.deep.equal({ code: 'connect-timeout', message: 'Google did not answer. Close its window and try again.', retryable: true });
        expect(popups[0]!.closed).to.equal(true);
        await el.updateComplete;
        expect(hasState(el, 'connecting')).to.equal(false);
        expect(part(el, 'error')!.textContent).to.contain('Google did not answer');
      } finally {
        console.warn = warn;
      }
    });

    it('a message from the popup on another origin is not the outcome: ignored, still connecting', async () => {
      trackPopups();
      const el = await connectEl(await sessionWith());
      await clickButton(el);
      await waitUntil(() => popups.length === 1, 'no popup');
      const state = (await startedAt(popups[0]!)).searchParams.get('state')!;
      let events = 0;
      el.addEventListener('tk-connected', () => events++);
      el.addEventListener('tk-error', () => events++);
      window.dispatchEvent(new MessageEvent('message', { origin: 'https://evil.example', source: popups[0]!, data: connectMessage(state, { email: 'mallory@example.com' }) }));
      await el.updateComplete;
      expect([events, hasState(el, 'connecting')]).to.deep.equal([0, true]);
    });

    it('closing the popup fires tk-cancel; Escape closes it too', async () => {
      trackPopups();
      const el = await connectEl(await sessionWith());
      await clickButton(el);
      await waitUntil(() => popups.length === 1, 'no popup');
      // as a user does, on a page that has loaded: WebKit drops a close() while the popup navigates
      await startedAt(popups[0]!);
      const cancelled = oneEvent(el, 'tk-cancel');
      popups[0]!.close();
      expect(await cancelled).to.be.instanceOf(TkCancelEvent);
      await el.updateComplete;
      expect(hasState(el, 'connecting')).to.equal(false);

      await clickButton(el);
      await waitUntil(() => popups.length === 2, 'no second popup');
      const again = oneEvent(el, 'tk-cancel');
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
      await again;
      expect(popups[1]!.closed).to.equal(true);
    });

    it('a blocked popup says so (tk-error popup-blocked) and falls back to a redirect', async () => {
      window.open = () => null;
      const el = await connectEl(await sessionWith());
      const errored = oneEvent(el, 'tk-error');
      await clickButton(el);
      expect((await errored).detail).to.deep.include({ code: 'popup-blocked', retryable: true });
      expect(part(el, 'status')!.textContent).to.contain('was blocked');
      expect(el.navigations).to.have.length(1);
      const url = new URL(el.navigations[0]!);
      expect(url.href.startsWith(`${ENDPOINT}/google/start?`)).to.equal(true);
      expect(url.searchParams.get('return_to')).to.equal(location.href);
    });

    it('mode="redirect" goes straight to the companion with return_to, the endpoint and a state kept in sessionStorage', async () => {
      trackPopups();
      const el = await connectEl(await sessionWith(), 'redirect');
      await clickButton(el);
      await waitUntil(() => el.navigations.length === 1, 'no redirect');
      expect(popups).to.have.length(0);
      const url = new URL(el.navigations[0]!);
      expect(url.searchParams.get('return_to')).to.equal(location.href);
      expect(url.searchParams.get('endpoint')).to.equal(ENDPOINT);
      expect(url.searchParams.get('state')).to.match(/^\d+-\d+-\d+-\d+$/);
      expect(sessionStorage.getItem(STATE_KEY)).to.equal(url.searchParams.get('state'));
      sessionStorage.removeItem(STATE_KEY);
    });

    it('a page opened with ?tk_connect=ok and no connect in flight (or another state) fires nothing, and the URL is cleaned', async () => {
      const original = location.href;
      const base = `${location.pathname}${location.search ? `${location.search}&` : '?'}`;
      try {
        for (const [stored, query] of [
          [null, 'tk_connect=ok'],
          [null, 'tk_connect=ok&tk_state=c3RhdGUtb2YtdGhlLWVsZW1lbnQ'],
          ['c3RhdGUtb2YtdGhlLWVsZW1lbnQ', 'tk_connect=ok&tk_state=b3RoZXItc3RhdGUtdmFsdWU'],
          ['c3RhdGUtb2YtdGhlLWVsZW1lbnQ', 'tk_connect=consent-denied'],
        ] as const) {
          if (stored === null) sessionStorage.removeItem(STATE_KEY);
          else sessionStorage.setItem(STATE_KEY, stored);
          history.replaceState(history.state, '', `${base}${query}`);
          const events: Event[] = [];
          const el = document.createElement('tk-test-google-connect') as TestConnect;
          el.addEventListener('tk-connected', (e) => events.push(e));
          el.addEventListener('tk-error', (e) => events.push(e));
          el.session = await sessionWith();
          document.body.append(el);
          await el.updateComplete;
          // the round trip's chunk, loaded because the URL has an outcome, cleans it
          await waitUntil(() => !location.href.includes('tk_connect'), `the URL was not cleaned (${query})`);
          await new Promise((resolve) => setTimeout(resolve, 50));
          expect(events, query).to.have.length(0);
          expect(location.href).to.not.contain('tk_connect').and.not.contain('tk_state');
          expect(sessionStorage.getItem(STATE_KEY), 'the state is used up').to.equal(null);
          el.remove();
        }
      } finally {
        history.replaceState(history.state, '', original);
      }
    });

    it('after a redirect round trip fires tk-connected once and cleans the URL', async () => {
      const original = location.href;
      sessionStorage.setItem(STATE_KEY, 'c3RhdGUtb2YtdGhlLWVsZW1lbnQ');
      history.replaceState(
        history.state,
        '',
        `${location.pathname}${location.search ? `${location.search}&` : '?'}tk_connect=ok&tk_state=c3RhdGUtb2YtdGhlLWVsZW1lbnQ`,
      );
      try {
        const session = await sessionWith();
        const events: TkConnectedEvent[] = [];
        const el = document.createElement('tk-test-google-connect') as TestConnect;
        el.addEventListener('tk-connected', (e) => events.push(e));
        el.session = session;
        document.body.append(el);
        await waitUntil(() => events.length === 1);
        expect(events[0]!.detail).to.deep.equal({ email: 'alex.morgan@example.com', resourceId: 'res-1', provider: 'google' });
        expect(location.href).to.not.contain('tk_connect').and.not.contain('tk_state');
        const second = document.createElement('tk-test-google-connect') as TestConnect;
        second.session = session;
        second.addEventListener('tk-connected', (e) => events.push(e));
        document.body.append(second);
        await second.updateComplete;
        expect(events).to.have.length(1);
        el.remove();
        second.remove();
      } finally {
        history.replaceState(history.state, '', original);
      }
    });

    it('a declined redirect round trip fires tk-error consent-denied', async () => {
      const original = location.href;
      sessionStorage.setItem(STATE_KEY, 'c3RhdGUtb2YtdGhlLWVsZW1lbnQ');
      history.replaceState(history.state, '', `${location.pathname}?tk_connect=consent-denied&tk_state=c3RhdGUtb2YtdGhlLWVsZW1lbnQ`);
      try {
        const el = document.createElement('tk-test-google-connect') as TestConnect;
        el.session = await sessionWith();
        const errored = oneEvent(el, 'tk-error');
        document.body.append(el);
        expect((await errored).detail).to.deep.include({ code: 'consent-denied', message: 'Google access was not granted.' });
        el.remove();
      } finally {
        history.replaceState(history.state, '', original);
      }
    });
  });

  describe('an endpoint that is not http(s) never runs as script', () => {
    const SCRIPT_TITLE = 'tk-endpoint-script-ran';
    const SCRIPT_ENDPOINT = `javascript:void(document.title='${SCRIPT_TITLE}')//x`;
    const pageTitle = document.title;
    afterEach(() => {
      document.title = pageTitle;
    });

    /** Waits a few seconds for the endpoint's script to set a title, in this page or in a popup it ran in. */
    async function scriptRan(): Promise<boolean> {
      const titled = (win: Window) => {
        try {
          return win.document.title === SCRIPT_TITLE;
        } catch {
          return false; // a popup on another origin ran nothing of ours
        }
      };
      return waitUntil(() => [window, ...popups].some(titled), 'no script ran', { timeout: 3_000 }).then(
        () => true,
        () => false,
      );
    }

    for (const mode of ['popup', 'redirect']) {
      it(`<tk-session endpoint="javascript:…">: the session and the element show the error; Connect runs nothing (${mode})`, async () => {
        trackPopups();
        const wrap = await fixture<TkSessionElement>(
          html`<tk-session endpoint=${SCRIPT_ENDPOINT}><tk-google-connect mode=${mode}></tk-google-connect></tk-session>`,
        );
        const el = wrap.querySelector('tk-google-connect')!;
        await waitForState(el, 'error', { timeout: 10_000 });
        await clickButton(el);
        el.connect();
        expect(await scriptRan(), 'the endpoint ran as script').to.equal(false);
        expect(popups).to.have.length(0);
        expect(wrap.session!.error).to.include({ code: 'forbidden' });
        expect(wrap.session!.error!.message).to.equal("The endpoint must be the companion's http or https URL, not a javascript: one");
        expect(part(el, 'error')!.textContent).to.contain('This page is not allowed to do that.');
      });

      it(`connect() refuses a session whose endpoint is javascript:, from wherever it came (${mode})`, async () => {
        trackPopups();
        const session = await sessionWith();
        (session as { endpoint: string }).endpoint = SCRIPT_ENDPOINT;
        const el = await fixture<TkGoogleConnect>(html`<tk-google-connect mode=${mode} .session=${session}></tk-google-connect>`);
        const errored = oneEvent(el, 'tk-error');
        await clickButton(el);
        expect(await scriptRan(), 'the endpoint ran as script').to.equal(false);
        expect((await errored).detail).to.include({ code: 'forbidden' });
        expect(popups).to.have.length(0);
        await el.updateComplete;
        expect(part(el, 'error')!.textContent).to.contain('This page is not allowed to do that.');
      });
    }
  });

  it('works by keyboard: Tab reaches the button, Enter starts the connect', async () => {
    await expectConnectByKeyboard(await connectEl(await sessionWith()));
  });

  it('speaks German under lang="de" and takes a strings override', async () => {
    const session = await sessionWith();
    const wrap = fixtureSync(html`<div lang="de"><tk-google-connect .session=${session}></tk-google-connect></div>`);
    const el = wrap.querySelector('tk-google-connect')!;
    await waitUntil(() => part(el, 'button')?.textContent?.trim() === 'Weiteres Google-Konto verbinden', 'no German');
    el.strings = { connectAnother: 'Noch eins' };
    await el.updateComplete;
    expect(part(el, 'button')!.textContent!.trim()).to.equal('Noch eins');
  });

  it('follows a lang changed at run time, on itself or on an ancestor', async () => {
    const session = await sessionWith();
    const wrap = fixtureSync<HTMLDivElement>(html`<div lang="en"><tk-google-connect .session=${session}></tk-google-connect></div>`);
    const el = wrap.querySelector('tk-google-connect')!;
    const text = () => part(el, 'button')?.textContent?.trim();
    await waitUntil(() => text() === 'Connect another Google account', 'no English');
    wrap.lang = 'de';
    await waitUntil(() => text() === 'Weiteres Google-Konto verbinden', 'did not follow the ancestor');
    el.lang = 'es';
    await waitUntil(() => text() === 'Conectar otra cuenta de Google', 'did not follow its own lang');
  });

  it('speaks English under a lang that names a member of Object.prototype ("constructor", "__proto__")', async () => {
    const session = await sessionWith();
    for (const lang of ['constructor', '__proto__']) {
      const wrap = fixtureSync(html`<div lang=${lang}><tk-google-connect .session=${session}></tk-google-connect></div>`);
      const el = wrap.querySelector('tk-google-connect')!;
      await waitUntil(() => part(el, 'button')?.textContent?.trim() === 'Connect another Google account', `nothing rendered under lang="${lang}"`);
    }
  });

  it('--tk-connect-background on an ancestor styles the button part', async () => {
    const session = await sessionWith();
    const wrap = fixtureSync(html`<div style="--tk-connect-background: rgb(9, 8, 7)"><tk-google-connect .session=${session}></tk-google-connect></div>`);
    const el = wrap.querySelector('tk-google-connect')!;
    await el.updateComplete;
    expect(getComputedStyle(part(el, 'button')!).backgroundColor).to.equal('rgb(9, 8, 7)');
  });

  describe('with the real companion and emulator', () => {
    it('popup → consent → tk-connected; Deny → tk-error consent-denied, still connected', async () => {
      trackPopups();
      const env = await testEnv();
      const wrap = await fixture<TkSessionElement>(
        html`<tk-session endpoint=${env.companionUrl}><tk-google-connect></tk-google-connect><tk-calendar-picker></tk-calendar-picker></tk-session>`,
      );
      const el = wrap.querySelector('tk-google-connect')!;
      const picker = wrap.querySelector('tk-calendar-picker')!;
      await waitUntil(() => !hasState(el, 'loading'), 'session never loaded', { timeout: 5_000 });

      const connected = oneEvent(el, 'tk-connected');
      await clickButton(el);
      await waitUntil(() => popups.length === 1, 'no popup');
      const form = await consentForm(popups[0]!);
      form.querySelector<HTMLInputElement>('input[value="jordan.reed@example.com"]')!.click();
      form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();
      const event = (await connected) as TkConnectedEvent;
      expect(event.detail.email).to.equal('jordan.reed@example.com');
      expect(event.detail.resourceId).to.be.a('string').and.not.equal('');
      expect(wrap.session!.status).to.equal('ready');
      await el.updateComplete;
      expect(hasState(el, 'content')).to.equal(true);
      // the picker on the same session reloads by itself, through the companion's widget credential
      await waitForState(picker, 'content', { message: 'the picker did not reload', timeout: 5_000 });
      expect(parts(picker, 'option').length).to.be.greaterThan(0);

      const errored = oneEvent(el, 'tk-error');
      await clickButton(el);
      await waitUntil(() => popups.length === 2, 'no second popup');
      const again = await consentForm(popups[1]!);
      again.querySelector<HTMLButtonElement>('button[value="deny"]')!.click();
      expect((await errored).detail).to.deep.equal({ code: 'consent-denied', message: 'Google access was not granted.', retryable: true });
      expect(wrap.session!.status).to.equal('ready');
    });
  });

  describe('with the real companion in relay mode', () => {
    it('connects, then the picker loads and saves through the companion\'s /api/v2 with the same element code', async () => {
      trackPopups();
      const env = await testEnv();
      const relayBase = `${env.relayCompanionUrl}/api/v2/`;
      const seen: string[] = [];
      const originalFetch = window.fetch;
      window.fetch = (input, init) => {
        seen.push(`${init?.method ?? 'GET'} ${String(input)}`);
        return originalFetch(input, init);
      };
      try {
        const wrap = await fixture<TkSessionElement>(
          html`<tk-session endpoint=${env.relayCompanionUrl}><tk-google-connect></tk-google-connect><tk-calendar-picker></tk-calendar-picker></tk-session>`,
        );
        const el = wrap.querySelector('tk-google-connect')!;
        const picker = wrap.querySelector('tk-calendar-picker')!;
        await waitUntil(() => !hasState(el, 'loading'), 'session never loaded', { timeout: 5_000 });
        const connected = oneEvent(el, 'tk-connected');
        await clickButton(el);
        await waitUntil(() => popups.length === 1, 'no popup');
        const form = await consentForm(popups[0]!);
        form.querySelector<HTMLInputElement>('input[value="jordan.reed@example.com"]')!.click();
        form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();
        await connected;
        expect(wrap.session!.account!.mode).to.equal('relay');
        // content, and not still reloading after the connect
        await waitUntil(
          () => hasState(picker, 'content') && part(picker, 'base')!.getAttribute('aria-busy') === 'false',
          'the picker did not load through the relay',
          { timeout: 5_000 },
        );
        expect(seen.some((call) => call.startsWith(`GET ${relayBase}calendars`))).to.equal(true);

        const box = part(picker, 'checkbox') as HTMLInputElement;
        const wanted = !box.checked;
        box.click();
        await waitUntil(() => seen.some((call) => call.startsWith(`PUT ${relayBase}calendars/`)), 'no save through the relay');
        await waitUntil(() => !hasState(picker, 'saving'));
        expect(part(picker, 'row-error')?.textContent ?? null).to.equal(null);
        expect(box.checked).to.equal(wanted);
      } finally {
        window.fetch = originalFetch;
      }
    });
  });
});
