// Wrappers that are not Lit elements mount with fixtureSync: open-wc's fixture waits an animation
// frame for them, and a background tab (two test files at a time) gets none.
import { expect, fixture, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-microsoft-connect.js';
import '../../../src/tk-google-connect.js';
import '../../../src/tk-session.js';
import { TkMicrosoftConnect } from '../../../src/components/microsoft-connect/microsoft-connect.js';
import type { TkGoogleConnect } from '../../../src/components/google-connect/google-connect.js';
import { TkCancelEvent, type TkConnectedEvent } from '../../../src/events/connect.js';
import type { TkErrorEvent } from '../../../src/events/error.js';
import type { TkSessionElement } from '../../../src/components/session/session-provider.js';
import { FakeSession, readySession } from '../helpers/fake-session.js';
import { testEnv } from '../helpers/env.js';
import { clickPart, consentForm, expectConnectByKeyboard, openPopup, popupTracker } from '../helpers/popup.js';
import { hasState, part, parts } from '../helpers/dom.js';

// A same-origin "companion" path: the popup lands on a 404 page of this origin.
const ENDPOINT = `${location.origin}/test/browser/fixtures/no-companion`;
const GOOGLE_ALEX = { provider: 'google', provider_id: 'alex.morgan@example.com', last_sync: null } as const;
const MICROSOFT_DANA = { provider: 'microsoft', provider_id: 'dana.whitfield@contoso.example', last_sync: null } as const;

/** Records redirects instead of leaving the test page (the round trip's `navigate` option). */
class TestMicrosoftConnect extends TkMicrosoftConnect {
  navigations: string[] = [];
  constructor() {
    super();
    this.roundTripOptions = { navigate: (url) => void this.navigations.push(url) };
  }
}
customElements.define('tk-test-microsoft-connect', TestMicrosoftConnect);

async function sessionWith(response = readySession({ accounts: [] }), endpoint = ENDPOINT) {
  const session = new FakeSession({ endpoint });
  await session.become(response as never);
  return session;
}

async function connectEl(session?: FakeSession, mode = 'popup') {
  const el = await fixture<TestMicrosoftConnect>(html`<tk-test-microsoft-connect mode=${mode} .session=${session}></tk-test-microsoft-connect>`);
  await el.updateComplete;
  return el;
}

const lines = (el: Element) => parts(el, 'account').map((a) => a.textContent!.replace(/\s+/g, ' ').trim());
const buttonText = (el: Element) => part(el, 'button')?.textContent?.trim();
const roundTripFetched = () => performance.getEntriesByType('resource').some((entry) => entry.name.includes('connect-round-trip'));

/** Waits for the page a popup shows to contain `text` (same-origin pages only). */
async function popupShows(popup: Window, text: string): Promise<void> {
  await waitUntil(
    () => {
      try {
        return popup.document.readyState === 'complete' && popup.document.body.textContent!.includes(text);
      } catch {
        return false;
      }
    },
    `the popup never showed "${text}"`,
    { timeout: 10_000 },
  );
}

describe('<tk-microsoft-connect>', () => {
  const { popups, track: trackPopups } = popupTracker();

  // First in this file: nothing before it has clicked a connect button.
  it('loads the round trip only after the click: the popup opens blank first, then the chunk sends it to /microsoft/start', async () => {
    trackPopups();
    const el = await connectEl(await sessionWith());
    expect(roundTripFetched(), 'fetched before any click').to.equal(false);
    await clickPart(el, 'button');
    await waitUntil(() => popups.length === 1, 'no popup');
    await waitUntil(roundTripFetched, 'the round trip chunk was not fetched');
    await waitUntil(() => {
      try {
        return popups[0]!.location.pathname.endsWith('/microsoft/start');
      } catch {
        return false;
      }
    }, 'the popup did not go to /microsoft/start');
    expect(hasState(el, 'connecting')).to.equal(true);
  });

  it('is the registered class', () => {
    expect(document.createElement('tk-microsoft-connect')).to.be.instanceOf(TkMicrosoftConnect);
  });

  describe('states', () => {
    it('signed-out without a session: a disabled button, accessible', async () => {
      const el = await connectEl();
      expect(hasState(el, 'signed-out')).to.equal(true);
      expect((part(el, 'button') as HTMLButtonElement).disabled).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('empty: Microsoft\'s sign-in button (four-square logo, "Sign in with Microsoft") described by the work-or-school note', async () => {
      const el = await connectEl(await sessionWith());
      expect(hasState(el, 'empty')).to.equal(true);
      const button = part(el, 'button')!;
      expect(buttonText(el)).to.equal('Sign in with Microsoft');
      const logo = part(el, 'logo')!;
      expect(logo.getAttribute('aria-hidden')).to.equal('true');
      expect([...logo.querySelectorAll('rect')].map((r) => r.getAttribute('fill'))).to.deep.equal(['#f25022', '#7fba00', '#00a4ef', '#ffb900']);
      const note = part(el, 'note')!;
      expect(note.textContent).to.contain('work or school');
      expect(button.getAttribute('aria-describedby')).to.equal(note.id);
      expect(el.shadowRoot!.getElementById(button.getAttribute('aria-describedby')!)).to.equal(note);
      await expect(el).to.be.accessible();
    });

    it('content: lists the resource\'s Microsoft accounts (the Google ones are <tk-google-connect>\'s); the button offers another Microsoft account', async () => {
      const el = await connectEl(await sessionWith(readySession({ accounts: [GOOGLE_ALEX, MICROSOFT_DANA] })));
      expect(hasState(el, 'content')).to.equal(true);
      expect(lines(el)).to.deep.equal(['Microsoft: dana.whitfield@contoso.example Connected']);
      expect(buttonText(el)).to.equal('Connect another Microsoft account');
      await expect(el).to.be.accessible();
    });

    it('content with only a Google account: no list, and the button still signs in with Microsoft', async () => {
      const el = await connectEl(await sessionWith(readySession({ accounts: [GOOGLE_ALEX] })));
      expect(hasState(el, 'content')).to.equal(true);
      expect(lines(el)).to.deep.equal([]);
      expect(buttonText(el)).to.equal('Sign in with Microsoft');
    });

    it('error: the session failed; retry asks again', async () => {
      const session = new FakeSession({ endpoint: ENDPOINT });
      await session.become('network');
      const el = await connectEl(session);
      expect(hasState(el, 'error')).to.equal(true);
      expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
      await expect(el).to.be.accessible();
    });
  });

  describe('Microsoft\'s button in both themes', () => {
    const colours = (el: Element) => {
      const style = getComputedStyle(part(el, 'button')!);
      return [style.backgroundColor, style.color];
    };

    it('light: white, #5e5e5e text, a #8c8c8c border, square corners', async () => {
      const session = await sessionWith();
      const wrap = fixtureSync(html`<div style="color-scheme: light"><tk-microsoft-connect .session=${session}></tk-microsoft-connect></div>`);
      const el = wrap.querySelector('tk-microsoft-connect')!;
      await el.updateComplete;
      expect(colours(el)).to.deep.equal(['rgb(255, 255, 255)', 'rgb(94, 94, 94)']);
      const style = getComputedStyle(part(el, 'button')!);
      expect([style.borderTopColor, style.borderTopLeftRadius]).to.deep.equal(['rgb(140, 140, 140)', '0px']);
    });

    it('dark (the page\'s color-scheme): #2f2f2f, white text; accessible', async () => {
      const session = await sessionWith();
      const wrap = fixtureSync(html`<div style="color-scheme: dark; background: #000; color: #fff"><tk-microsoft-connect .session=${session}></tk-microsoft-connect></div>`);
      const el = wrap.querySelector('tk-microsoft-connect')!;
      await el.updateComplete;
      expect(colours(el)).to.deep.equal(['rgb(47, 47, 47)', 'rgb(255, 255, 255)']);
      await expect(wrap).to.be.accessible();
    });

    it('--tk-connect-background on an ancestor styles the button part', async () => {
      const session = await sessionWith();
      const wrap = fixtureSync(html`<div style="--tk-connect-background: rgb(9, 8, 7)"><tk-microsoft-connect .session=${session}></tk-microsoft-connect></div>`);
      const el = wrap.querySelector('tk-microsoft-connect')!;
      await el.updateComplete;
      expect(colours(el)[0]).to.equal('rgb(9, 8, 7)');
    });
  });

  describe('redirect', () => {
    it('mode="redirect" goes to <endpoint>/microsoft/start with return_to and a state kept under Microsoft\'s own key', async () => {
      trackPopups();
      const el = await connectEl(await sessionWith(), 'redirect');
      await clickPart(el, 'button');
      await waitUntil(() => el.navigations.length === 1, 'no redirect');
      expect(popups).to.have.length(0);
      const url = new URL(el.navigations[0]!);
      expect(`${url.origin}${url.pathname}`).to.equal(`${ENDPOINT}/microsoft/start`);
      expect(url.searchParams.get('return_to')).to.equal(location.href);
      expect(sessionStorage.getItem('tk-connect-state-microsoft')).to.equal(url.searchParams.get('state'));
      expect(sessionStorage.getItem('tk-connect-state-google')).to.equal(null);
      sessionStorage.removeItem('tk-connect-state-microsoft');
    });

    /** Mounts a Google and a Microsoft element on a page that came back from a redirect with `state`. */
    async function backFromRedirect(stored: Record<string, string>, state: string) {
      const original = location.href;
      for (const [key, value] of Object.entries(stored)) sessionStorage.setItem(key, value);
      history.replaceState(history.state, '', `${location.pathname}?tk_connect=ok&tk_state=${state}`);
      const session = await sessionWith(readySession({ accounts: [GOOGLE_ALEX, MICROSOFT_DANA] }));
      const events: TkConnectedEvent[] = [];
      const google = document.createElement('tk-google-connect') as TkGoogleConnect;
      const microsoft = document.createElement('tk-microsoft-connect');
      for (const el of [google, microsoft]) {
        el.session = session;
        el.addEventListener('tk-connected', (e) => events.push(e));
        document.body.append(el);
      }
      const restore = () => {
        google.remove();
        microsoft.remove();
        history.replaceState(history.state, '', original);
      };
      return { events, restore };
    }

    it('a redirect outcome with the state Microsoft stored: only <tk-microsoft-connect> fires tk-connected {provider: "microsoft"}', async () => {
      const { events, restore } = await backFromRedirect({ 'tk-connect-state-microsoft': 'bWljcm9zb2Z0LXN0YXRl' }, 'bWljcm9zb2Z0LXN0YXRl');
      try {
        await waitUntil(() => events.length === 1, 'no tk-connected');
        expect(events[0]!.target).to.be.instanceOf(TkMicrosoftConnect);
        expect(events[0]!.detail).to.deep.equal({ email: 'dana.whitfield@contoso.example', resourceId: 'res-1', provider: 'microsoft' });
        await waitUntil(() => !location.href.includes('tk_connect'), 'the URL was not cleaned');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(events).to.have.length(1);
      } finally {
        restore();
      }
    });

    it('a redirect outcome with the state Google stored: <tk-microsoft-connect> leaves it to <tk-google-connect>', async () => {
      const { events, restore } = await backFromRedirect({ 'tk-connect-state-google': 'Z29vZ2xlLXN0YXRl' }, 'Z29vZ2xlLXN0YXRl');
      try {
        await waitUntil(() => events.length === 1, 'no tk-connected');
        expect(events[0]!.detail).to.deep.equal({ email: 'alex.morgan@example.com', resourceId: 'res-1', provider: 'google' });
        await waitUntil(() => !location.href.includes('tk_connect'), 'the URL was not cleaned');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(events).to.have.length(1);
        expect([sessionStorage.getItem('tk-connect-state-google'), sessionStorage.getItem('tk-connect-state-microsoft')]).to.deep.equal([null, null]);
      } finally {
        restore();
      }
    });
  });

  it('works by keyboard: Tab reaches the button, Enter starts the connect', async () => {
    await expectConnectByKeyboard(await connectEl(await sessionWith()));
  });

  it('speaks German under lang="de" and Spanish under lang="es"; takes a strings override', async () => {
    const session = await sessionWith();
    const wrap = fixtureSync<HTMLDivElement>(html`<div lang="de"><tk-microsoft-connect .session=${session}></tk-microsoft-connect></div>`);
    const el = wrap.querySelector('tk-microsoft-connect')!;
    await waitUntil(() => buttonText(el) === 'Mit Microsoft anmelden', 'no German');
    expect(part(el, 'note')!.textContent).to.contain('Geschäfts-, Schul- oder Unikonto');
    wrap.lang = 'es';
    await waitUntil(() => buttonText(el) === 'Iniciar sesión con Microsoft', 'no Spanish');
    el.strings = { connect: 'Microsoft verbinden' };
    await el.updateComplete;
    expect(buttonText(el)).to.equal('Microsoft verbinden');
  });

  describe('with the real companion and emulator', () => {
    async function mountReal() {
      const env = await testEnv();
      const wrap = await fixture<TkSessionElement>(html`<tk-session endpoint=${env.connectCompanionUrl}><tk-microsoft-connect></tk-microsoft-connect></tk-session>`);
      const el = wrap.querySelector('tk-microsoft-connect')!;
      await waitUntil(() => !hasState(el, 'loading'), 'session never loaded', { timeout: 5_000 });
      return { wrap, el };
    }

    it('popup → Microsoft sign-in (work account) → tk-connected {email, resourceId, provider: "microsoft"}; Deny → tk-error naming Microsoft', async () => {
      trackPopups();
      const { wrap, el } = await mountReal();
      const connected = oneEvent(el, 'tk-connected');
      await clickPart(el, 'button');
      await waitUntil(() => popups.length === 1, 'no popup');
      const form = await consentForm(popups[0]!, 'microsoft');
      form.querySelector<HTMLInputElement>('input[value="dana.whitfield@contoso.example"]')!.click();
      form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();
      const event = (await connected) as TkConnectedEvent;
      expect(event.detail.email).to.equal('dana.whitfield@contoso.example');
      expect(event.detail.provider).to.equal('microsoft');
      expect(event.detail.resourceId).to.be.a('string').and.not.equal('');
      expect(wrap.session!.status).to.equal('ready');
      await el.updateComplete;
      expect(hasState(el, 'content')).to.equal(true);
      expect(lines(el)).to.include('Microsoft: dana.whitfield@contoso.example Connected');
      expect(buttonText(el)).to.equal('Connect another Microsoft account');
      await expect(el).to.be.accessible();

      const errored = oneEvent(el, 'tk-error');
      await clickPart(el, 'button');
      await waitUntil(() => popups.length === 2, 'no second popup');
      const again = await consentForm(popups[1]!, 'microsoft');
      again.querySelector<HTMLButtonElement>('button[value="deny"]')!.click();
      expect(((await errored) as TkErrorEvent).detail).to.deep.equal({ code: 'consent-denied', message: 'Microsoft access was not granted.', retryable: true });
      await el.updateComplete;
      expect(part(el, 'error')!.textContent).to.contain('Microsoft access was not granted.');
      expect(wrap.session!.status).to.equal('ready');
    });

    it('a personal account ends on Microsoft\'s AADSTS50020 page; closing it: tk-cancel, the likely reason, and the button as its one retry that opens the sign-in again', async () => {
      trackPopups();
      const { el } = await mountReal();
      await clickPart(el, 'button');
      await waitUntil(() => popups.length === 1, 'no popup');
      const form = await consentForm(popups[0]!, 'microsoft');
      form.querySelector<HTMLInputElement>('input[value="casey.personal@outlook.com"]')!.click();
      form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();
      await popupShows(popups[0]!, 'AADSTS50020');
      expect(part(el, 'hint')).to.equal(null);

      const cancelled = oneEvent(el, 'tk-cancel');
      popups[0]!.close();
      expect(await cancelled).to.be.instanceOf(TkCancelEvent);
      await el.updateComplete;
      const hint = part(el, 'hint')!;
      expect(hint.textContent).to.contain('personal Microsoft account');
      expect(part(el, 'status')!.textContent).to.contain('personal Microsoft account');
      expect(part(el, 'error')).to.equal(null);
      expect(buttonText(el)).to.equal('Try again with a work or school account');
      expect(part(el, 'button')!.getAttribute('aria-describedby')).to.equal('note hint');
      expect(part(el, 'retry-button'), 'one retry, not two').to.equal(null);
      await expect(el).to.be.accessible();

      await clickPart(el, 'button');
      await waitUntil(() => popups.length === 2, 'the retry opened no popup');
      await consentForm(popups[1]!, 'microsoft');
      await el.updateComplete;
      expect(part(el, 'hint'), 'the hint goes with the new attempt').to.equal(null);
    });

    it('redirect mode: /microsoft/start → sign-in → back with tk_connect=ok and the state; the page that comes back fires tk-connected {provider: "microsoft"}', async () => {
      const env = await testEnv();
      const session = new FakeSession({ endpoint: env.connectCompanionUrl });
      await session.become(readySession({ accounts: [] }) as never);
      const el = await fixture<TestMicrosoftConnect>(html`<tk-test-microsoft-connect mode="redirect" .session=${session}></tk-test-microsoft-connect>`);
      await clickPart(el, 'button');
      await waitUntil(() => el.navigations.length === 1, 'no redirect');
      const start = new URL(el.navigations[0]!);
      const state = start.searchParams.get('state')!;
      expect(sessionStorage.getItem('tk-connect-state-microsoft')).to.equal(state);
      // A popup stands in for the page that leaves and comes back (to a fixture page, not this test page).
      const back = `${location.origin}/test/browser/fixtures/callback.html?tab=calendars`;
      start.searchParams.set('return_to', back);
      const popup = await openPopup(start.href);
      popups.push(popup);
      const form = await consentForm(popup, 'microsoft');
      form.querySelector<HTMLInputElement>('input[value="dana.whitfield@contoso.example"]')!.click();
      form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();
      await waitUntil(
        () => {
          try {
            return popup.location.href.startsWith(back);
          } catch {
            return false; // still on the companion's origin
          }
        },
        'not back on return_to',
        { timeout: 10_000 },
      );
      const returned = new URL(popup.location.href);
      expect([returned.searchParams.get('tk_connect'), returned.searchParams.get('tk_state')]).to.deep.equal(['ok', state]);
      expect(returned.search).to.not.contain('token');

      // This page comes back the same way: a new session, and the element takes its outcome.
      const original = location.href;
      history.replaceState(history.state, '', `${location.pathname}${returned.search}`);
      try {
        const wrap = fixtureSync<TkSessionElement>(html`<tk-session endpoint=${env.connectCompanionUrl}><tk-microsoft-connect></tk-microsoft-connect></tk-session>`);
        const connected = oneEvent(wrap.querySelector('tk-microsoft-connect')!, 'tk-connected');
        const event = (await connected) as TkConnectedEvent;
        expect([event.detail.email, event.detail.provider]).to.deep.equal(['dana.whitfield@contoso.example', 'microsoft']);
        expect(location.href).to.not.contain('tk_connect');
      } finally {
        history.replaceState(history.state, '', original);
      }
    });
  });
});
