/**
 * The connect elements while their popup is open and right after: the visible wait (text, a
 * progress ring that stands still under reduced motion, the 30 s hint), Show window and Cancel,
 * "Connection cancelled.", focus back where the round trip started, one retry after a decline,
 * "connect another" as a secondary button, and target sizes on a phone.
 */
import { expect, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { emulateMedia, sendKeys, setViewport } from '@web/test-runner-commands';
import '../../../src/tk-google-connect.js';
import '../../../src/tk-microsoft-connect.js';
import { TkGoogleConnect } from '../../../src/components/google-connect/google-connect.js';
import { TkMicrosoftConnect } from '../../../src/components/microsoft-connect/microsoft-connect.js';
import { TkCancelEvent } from '../../../src/events/connect.js';
import type { TkConnectElement } from '../../../src/internal/tk-connect-element.js';
import { FakeSession, readySession } from '../helpers/fake-session.js';
import { clickPart, popupTracker } from '../helpers/popup.js';
import { hasState, part, parts, waitForState } from '../helpers/dom.js';
import { forceMediaRules } from '../helpers/media.js';
import { waitUntil } from '../helpers/wait.js';

// A same-origin "companion" path: the popup lands on a 404 page of this origin, which the test
// speaks for with messages whose source is that real popup window.
const ENDPOINT = `${location.origin}/test/browser/fixtures/no-companion`;

/** Test hooks on either element: shortened waits and notices, redirects recorded. */
interface Shortened {
  navigations: string[];
  shorten(waits: { hintMs?: number; noticeMs?: number }): void;
}
type TestEl = TkConnectElement & Shortened;

class WaitGoogleConnect extends TkGoogleConnect implements Shortened {
  navigations: string[] = [];
  constructor() {
    super();
    this.roundTripOptions = { navigate: (url) => void this.navigations.push(url) };
  }
  shorten({ hintMs, noticeMs }: { hintMs?: number; noticeMs?: number }): void {
    if (hintMs !== undefined) this.roundTripOptions = { ...this.roundTripOptions, hintMs };
    if (noticeMs !== undefined) this.noticeMs = noticeMs;
  }
}
class WaitMicrosoftConnect extends TkMicrosoftConnect implements Shortened {
  navigations: string[] = [];
  constructor() {
    super();
    this.roundTripOptions = { navigate: (url) => void this.navigations.push(url) };
  }
  shorten({ hintMs, noticeMs }: { hintMs?: number; noticeMs?: number }): void {
    if (hintMs !== undefined) this.roundTripOptions = { ...this.roundTripOptions, hintMs };
    if (noticeMs !== undefined) this.noticeMs = noticeMs;
  }
}
customElements.define('tk-wait-google-connect', WaitGoogleConnect);
customElements.define('tk-wait-microsoft-connect', WaitMicrosoftConnect);

const PROVIDERS = [
  { provider: 'google', name: 'Google', tag: 'tk-wait-google-connect' },
  { provider: 'microsoft', name: 'Microsoft', tag: 'tk-wait-microsoft-connect' },
] as const;

async function mount(tag: string, { accounts = [] as unknown[], mode = 'popup' } = {}): Promise<TestEl> {
  const session = new FakeSession({ endpoint: ENDPOINT });
  await session.become(readySession({ accounts: accounts as never }) as never);
  const el = document.createElement(tag) as TestEl;
  el.session = session;
  el.mode = mode as 'popup';
  // fixtureSync: open-wc's fixture waits an animation frame for a plain wrapper, and a background tab gets none
  fixtureSync(html`<div>${el}</div>`);
  await el.updateComplete;
  return el;
}

const button = (el: Element) => part(el, 'button') as HTMLButtonElement;
const text = (node: Element | null) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

/** Shown on screen: not the visually-hidden live region, and not collapsed. */
function visible(node: Element | null): boolean {
  if (!node) return false;
  const rect = node.getBoundingClientRect();
  return !node.classList.contains('visually-hidden') && rect.width > 1 && rect.height > 1 && getComputedStyle(node).visibility !== 'hidden';
}

/** Starts the connect from the keyboard (focus on the button, Enter), so the popup may open and focus has a place to return to. */
async function connectByKeyboard(el: Element): Promise<void> {
  button(el).focus();
  await sendKeys({ press: 'Enter' });
  await waitForState(el, 'connecting', { message: 'no popup' });
  // Show window and Cancel come with the round trip's chunk, fetched after the click.
  await waitUntil(() => part(el, 'waiting'), 'no Show window and Cancel');
}

/** Waits until the popup shows its /<provider>/start page (a close() is dropped by WebKit mid-navigation) and returns the round trip's state. */
async function startedIn(popup: Window, provider: string): Promise<string> {
  let state = '';
  await waitUntil(() => {
    try {
      if (!popup.location.pathname.endsWith(`/${provider}/start`) || popup.document.readyState !== 'complete') return false;
      state = new URL(popup.location.href).searchParams.get('state')!;
      return true;
    } catch {
      return false;
    }
  }, `the popup did not go to /${provider}/start`);
  return state;
}

/** The companion's result page in `popup` answering with `data`, then closing itself as it does. */
function answer(popup: Window, state: string, data: object): void {
  window.dispatchEvent(new MessageEvent('message', { origin: location.origin, source: popup, data: { source: 'tk-companion', type: 'connect', state, ...data } }));
  popup.close();
}

/** The focused element inside `el`'s shadow root, when focus is in `el`. */
const focusedIn = (el: Element) => (document.activeElement === el ? el.shadowRoot!.activeElement : null);

for (const { provider, name, tag } of PROVIDERS) {
  describe(`<tk-${provider}-connect> while its popup is open`, () => {
    const { popups, track } = popupTracker();

    it(`shows "Waiting for ${name}…" with a progress ring, Show window and Cancel; accessible`, async () => {
      track();
      const el = await mount(tag);
      await connectByKeyboard(el);
      const status = part(el, 'status')!;
      expect(status.getAttribute('role')).to.equal('status');
      expect(text(status)).to.equal(`Waiting for ${name}…`);
      expect(visible(status), 'the wait is visible, not only announced').to.equal(true);
      expect(visible(part(el, 'progress'))).to.equal(true);
      expect(part(el, 'progress')!.getAttribute('aria-hidden')).to.equal('true');
      expect(text(part(el, 'show-window-button'))).to.equal('Show window');
      expect(text(part(el, 'cancel-button'))).to.equal('Cancel');
      expect(visible(part(el, 'waiting'))).to.equal(true);
      expect(button(el).disabled).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('the hint after hintMs is visible too, below the wait', async () => {
      track();
      const el = await mount(tag);
      el.shorten({ hintMs: 300 });
      await connectByKeyboard(el);
      await waitUntil(() => part(el, 'wait-hint'), 'no hint', { timeout: 10_000 });
      const hint = part(el, 'wait-hint')!;
      expect(text(hint)).to.equal('Still waiting… If its window shows an error, close it and try again.');
      expect(visible(hint)).to.equal(true);
      expect(text(part(el, 'status'))).to.contain(`Waiting for ${name}…`);
      expect(hasState(el, 'connecting')).to.equal(true);
    });

    it('Show window brings the popup forward (popup.focus())', async () => {
      track();
      const el = await mount(tag);
      await connectByKeyboard(el);
      const popup = popups[0]!;
      await startedIn(popup, provider);
      // Whether a headless engine raises a window cannot be seen from the page: the call is what the element controls.
      let focused = 0;
      popup.focus = () => void focused++;
      part(el, 'show-window-button')!.click();
      expect(focused).to.equal(1);
      expect(hasState(el, 'connecting')).to.equal(true);
    });

    it('Cancel closes the popup, fires tk-cancel, enables the button, shows "Connection cancelled." for a while; focus returns to the button', async () => {
      track();
      const el = await mount(tag);
      el.shorten({ noticeMs: 1_500 });
      await connectByKeyboard(el);
      await startedIn(popups[0]!, provider);
      const cancelled = oneEvent(el, 'tk-cancel');
      // The Cancel button has focus and goes away with the wait. (Clicked from script: while the
      // popup is open, Firefox sends the runner's keys and mouse to the popup.)
      part(el, 'cancel-button')!.focus();
      part(el, 'cancel-button')!.click();
      expect(await cancelled).to.be.instanceOf(TkCancelEvent);
      await el.updateComplete;
      expect(popups[0]!.closed).to.equal(true);
      expect([hasState(el, 'connecting'), button(el).disabled, part(el, 'waiting')]).to.deep.equal([false, false, null]);
      const status = part(el, 'status')!;
      await waitUntil(() => focusedIn(el) === button(el), `focus did not return to the button (${document.activeElement?.localName})`);
      expect(text(status)).to.equal('Connection cancelled.');
      expect(visible(status)).to.equal(true);
      await waitUntil(() => text(status) === '', 'the notice stayed', { timeout: 10_000 });
      expect(visible(status)).to.equal(false);
    });

    it('Cancel on a window that refuses to close (the provider\'s page, another origin): the wait ends all the same, the notice says to close it; an answer from it still connects', async () => {
      track();
      const el = await mount(tag);
      await connectByKeyboard(el);
      const state = await startedIn(popups[0]!, provider);
      // What every engine does when a page that disowned its popup closes it on another origin's page.
      const closePopup = popups[0]!.close.bind(popups[0]!);
      popups[0]!.close = () => {};
      const cancelled = oneEvent(el, 'tk-cancel');
      el.cancel();
      expect(await cancelled).to.be.instanceOf(TkCancelEvent);
      await el.updateComplete;
      expect([hasState(el, 'connecting'), button(el).disabled, part(el, 'waiting')]).to.deep.equal([false, false, null]);
      expect(text(part(el, 'status'))).to.equal('Connection cancelled. You can close the sign-in window.');
      expect(visible(part(el, 'status'))).to.equal(true);
      // The provider answered in that window after all: nothing is lost.
      const session = el.session as FakeSession;
      session.next = readySession({ accounts: [{ provider, provider_id: 'alex.morgan@example.com', last_sync: null }] as never });
      const connected = oneEvent(el, 'tk-connected');
      window.dispatchEvent(new MessageEvent('message', { origin: location.origin, source: popups[0]!, data: { source: 'tk-companion', type: 'connect', state, ok: true, email: 'alex.morgan@example.com' } }));
      expect((await connected).detail.email).to.equal('alex.morgan@example.com');
      closePopup();
    });

    it('a host that moved focus while the popup was open keeps it', async () => {
      track();
      const el = await mount(tag);
      await connectByKeyboard(el);
      await startedIn(popups[0]!, provider);
      const input = document.createElement('input');
      input.setAttribute('aria-label', 'host field');
      el.after(input);
      input.focus();
      const cancelled = oneEvent(el, 'tk-cancel');
      el.cancel();
      await cancelled;
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(document.activeElement).to.equal(input);
      input.remove();
    });

    it('after a decline: focus back on the button, which is the one retry ("Try again", described by the error); the live region no longer waits', async () => {
      track();
      const el = await mount(tag);
      await connectByKeyboard(el);
      const state = await startedIn(popups[0]!, provider);
      const errored = oneEvent(el, 'tk-error');
      answer(popups[0]!, state, { ok: false, code: 'consent-denied' });
      expect((await errored).detail.code).to.equal('consent-denied');
      await waitForState(el, 'error');
      await waitUntil(() => focusedIn(el) === button(el), `focus did not return to the button (${document.activeElement?.localName})`);
      expect(text(button(el))).to.equal('Try again');
      expect(parts(el, 'retry-button'), 'one retry, not two').to.have.length(0);
      expect(button(el).getAttribute('aria-describedby')!.split(' ')).to.include('error');
      expect(text(el.shadowRoot!.getElementById('error'))).to.contain(`${name} access was not granted`);
      expect(text(part(el, 'status'))).to.not.contain('Waiting');
      await expect(el).to.be.accessible();
      await clickPart(el, 'button');
      await waitUntil(() => popups.length === 2, 'Try again opened no popup');
      expect(hasState(el, 'error')).to.equal(false);
    });

    it('after connecting, focus returns to the button, and "connect another" is a secondary button', async () => {
      track();
      const el = await mount(tag);
      const primary = getComputedStyle(button(el)).backgroundColor;
      await connectByKeyboard(el);
      const state = await startedIn(popups[0]!, provider);
      const session = el.session as FakeSession;
      session.next = readySession({ accounts: [{ provider, provider_id: 'alex.morgan@example.com', last_sync: null }] as never });
      const connected = oneEvent(el, 'tk-connected');
      answer(popups[0]!, state, { ok: true, email: 'alex.morgan@example.com' });
      await connected;
      await el.updateComplete;
      await waitUntil(() => focusedIn(el) === button(el), `focus did not return to the button (${document.activeElement?.localName})`);
      expect(text(button(el))).to.equal(`Connect another ${name} account`);
      const style = getComputedStyle(button(el));
      expect(style.backgroundColor, 'not the primary fill').to.not.equal(primary);
      expect(style.backgroundColor).to.equal('rgba(0, 0, 0, 0)');
      expect(Number(style.fontWeight)).to.be.below(600);
      await expect(el).to.be.accessible();
    });

    it('mode="redirect": no wait and no Show window (the page leaves)', async () => {
      track();
      const el = await mount(tag, { mode: 'redirect' });
      button(el).click();
      await waitUntil(() => el.navigations.length === 1, 'no redirect');
      await el.updateComplete;
      expect([popups.length, part(el, 'waiting'), part(el, 'show-window-button'), hasState(el, 'connecting')]).to.deep.equal([0, null, null, false]);
      sessionStorage.removeItem(`tk-connect-state-${provider}`);
    });
  });
}

describe('Show window after the popup is gone', () => {
  const originalOpen = window.open;
  afterEach(() => {
    window.open = originalOpen;
  });

  it('says the window was closed, and the connect ends with tk-cancel', async () => {
    // A stand-in popup the test closes between two looks of the round trip.
    let closed = false;
    const popup = { opener: window as Window | null, get closed() { return closed; }, location: { href: '' }, postMessage: () => {}, close: () => void (closed = true), focus: () => {} };
    window.open = () => popup as unknown as Window;
    const el = await mount('tk-wait-google-connect');
    await connectByKeyboard(el);
    await waitUntil(() => popup.location.href.includes('/google/start'), 'the popup was not sent to the companion');
    const cancelled = oneEvent(el, 'tk-cancel');
    closed = true;
    part(el, 'show-window-button')!.click();
    await cancelled;
    await el.updateComplete;
    expect(text(part(el, 'status'))).to.equal('The window was closed. Connection cancelled.');
    expect(visible(part(el, 'status'))).to.equal(true);
  });
});

describe('the progress ring under prefers-reduced-motion', () => {
  const { track } = popupTracker();
  afterEach(async () => {
    await emulateMedia({ reducedMotion: 'no-preference' }).catch(() => {});
  });

  it('turns by default and stands still under reduced motion', async () => {
    track();
    const el = await mount('tk-wait-google-connect');
    await connectByKeyboard(el);
    const ring = part(el, 'progress')!;
    expect(getComputedStyle(ring).animationName).to.equal('tk-spin');
    // The engine's own media emulation where the runner offers it (Chromium); the stylesheet's rule applied as such in every engine.
    const emulated = await emulateMedia({ reducedMotion: 'reduce' }).then(
      () => matchMedia('(prefers-reduced-motion: reduce)').matches,
      () => false,
    );
    if (emulated) expect(getComputedStyle(ring).animationName, 'emulated reduced motion').to.equal('none');
    const undo = forceMediaRules(el, '(prefers-reduced-motion: reduce)');
    expect(getComputedStyle(ring).animationName).to.equal('none');
    undo();
    el.cancel();
  });
});

describe('connect buttons on a phone: at least 24 × 24 CSS px, 44 × 44 on a coarse pointer', () => {
  const { track } = popupTracker();
  let phone: HTMLElement;
  beforeEach(async () => {
    // A phone's viewport where the runner can set it (Chromium, Firefox); WebKit's driver cannot, so the elements sit in a 375 px wide column there.
    const resized = await setViewport({ width: 375, height: 667 }).then(
      () => true,
      () => false,
    );
    phone = document.createElement('div');
    if (!resized) phone.style.inlineSize = '375px';
    document.body.append(phone);
  });
  afterEach(async () => {
    phone.remove();
    await setViewport({ width: 800, height: 600 }).catch(() => {});
  });

  /** Every state with buttons: before connecting, while the popup is open, a failed connect, a disconnected account, a failed session. */
  async function everyButton(tag: string, provider: string): Promise<HTMLButtonElement[]> {
    const found: HTMLButtonElement[] = [];
    const add = (el: Element) => found.push(...el.shadowRoot!.querySelectorAll('button'));
    const place = async (el: TestEl) => {
      phone.append(el);
      await el.updateComplete;
      return el;
    };
    const session = async (response: unknown) => {
      const s = new FakeSession({ endpoint: ENDPOINT });
      await s.become(response as never);
      return s;
    };

    const waiting = document.createElement(tag) as TestEl;
    waiting.session = await session(readySession({ accounts: [] }));
    await place(waiting);
    add(waiting);
    await connectByKeyboard(waiting);
    add(waiting);

    const reconnect = document.createElement(tag) as TestEl;
    const stopped = await session(readySession({ accounts: [{ provider, provider_id: 'old@example.com', last_sync: null }] as never }));
    stopped.accountStatus = () => 'disconnected';
    reconnect.session = stopped;
    await place(reconnect);
    add(reconnect);

    const failed = document.createElement(tag) as TestEl;
    const failing = new FakeSession({ endpoint: ENDPOINT });
    await failing.become('network');
    failed.session = failing;
    await place(failed);
    await waitForState(failed, 'error');
    add(failed);
    return found;
  }

  for (const { provider, tag } of PROVIDERS) {
    it(`<tk-${provider}-connect>`, async () => {
      track();
      const buttons = await everyButton(tag, provider);
      const seen = new Set(buttons.map((b) => b.getAttribute('part')));
      expect([...seen]).to.include.members(['button', 'cancel-button', 'reconnect-button', 'retry-button', 'show-window-button']);
      const sizes = () => buttons.filter((b) => b.isConnected).map((b) => [b.getAttribute('part'), b.getBoundingClientRect()] as const);
      for (const [name, rect] of sizes()) expect([name, rect.width >= 24 && rect.height >= 24], `${name}: ${rect.width} × ${rect.height}`).to.deep.equal([name, true]);

      // No runner command gives every engine a coarse pointer: the element's own (pointer: coarse) rules, applied as such.
      const hosts = [...new Set(buttons.filter((b) => b.isConnected).map((b) => (b.getRootNode() as ShadowRoot).host))];
      const undo = matchMedia('(pointer: coarse)').matches ? [] : hosts.map((host) => forceMediaRules(host, '(pointer: coarse)'));
      for (const [name, rect] of sizes()) expect([name, rect.width >= 44 && rect.height >= 44], `${name} (coarse): ${rect.width} × ${rect.height}`).to.deep.equal([name, true]);
      undo.forEach((fn) => fn());
      for (const host of hosts) (host as TestEl).cancel();
    });
  }
});
