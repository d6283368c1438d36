/** Driving a connect popup from a test: open it from a real click, then reach into its pages. */
import { expect, oneEvent } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import { part } from './dom.js';
import { waitUntil } from './wait.js';

/** Opens `url` in a popup from a real click, so no engine's popup blocker objects. */
export async function openPopup(url: string): Promise<Window> {
  const button = document.createElement('button');
  button.textContent = 'Connect';
  button.style.cssText = 'position:fixed;inset-block-start:0;inset-inline-start:0;inline-size:120px;block-size:40px';
  let popup: Window | null = null;
  button.addEventListener('click', () => (popup = window.open(url, 'tk-connect', 'width=500,height=700')));
  document.body.append(button);
  try {
    await sendMouse({ type: 'click', position: [60, 20] });
    await waitUntil(() => popup !== null, 'the popup did not open');
  } finally {
    button.remove();
  }
  return popup!;
}

/**
 * Waits for the emulator's fake consent form (Google's, or Microsoft's sign-in) in the popup. The wtr config mounts the emulator on
 * the test page's origin, so the page is readable once the popup gets there.
 */
export async function consentForm(popup: Window, provider: 'google' | 'microsoft' = 'google'): Promise<HTMLFormElement> {
  let form: HTMLFormElement | null = null;
  await waitUntil(
    () => {
      try {
        // not while the page is still parsing: the form may be there before its inputs are
        const page = popup.document;
        form = page.readyState === 'loading' ? null : page.querySelector<HTMLFormElement>(`form[action="/_${provider}/consent"]`);
      } catch {
        form = null; // on another origin, or mid-navigation
      }
      return form !== null;
    },
    'the consent page did not load',
    { timeout: 10_000 },
  );
  return form!;
}

/** Clicks a part of an element's shadow root with a real mouse, so a popup it opens is allowed. */
export async function clickPart(el: Element, name: string): Promise<void> {
  const rect = el.shadowRoot!.querySelector(`[part~="${name}"]`)!.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(rect.x + rect.width / 2), Math.round(rect.y + rect.height / 2)] });
}

/**
 * The element's one-time state for the round trip in `popup`, read from the nonce in the consent
 * page's callback (its claims are signed, not encrypted), for tests that answer for the companion.
 */
export async function stateOf(popup: Window): Promise<string> {
  const form = await consentForm(popup);
  const callback = new URL(form.querySelector<HTMLInputElement>('input[name="callback"]')!.value);
  const payload = callback.pathname.split('/').at(-1)!.split('.')[0]!;
  return (JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { s: string }).s;
}

/**
 * What the companion's result page in `popup` answers: pings it at the companion's origin, as the
 * element does, until a page there answers.
 */
export function answerOf<T>(popup: Window, companionOrigin: string): Promise<MessageEvent<T>> {
  return new Promise((resolve) => {
    const timer = setInterval(() => popup.postMessage({ source: 'tk-elements', type: 'connect-ping' }, companionOrigin), 100);
    const listener = (event: MessageEvent) => {
      if (event.source !== popup || event.origin !== companionOrigin) return;
      clearInterval(timer);
      window.removeEventListener('message', listener);
      resolve(event as MessageEvent<T>);
    };
    window.addEventListener('message', listener);
  });
}

/**
 * Lets a suite see the popups its elements open: `track()` wraps `window.open` for the test, and
 * after each test the popups are closed and `window.open` restored. Call it inside `describe`.
 */
export function popupTracker(): { readonly popups: Window[]; track(): void } {
  const originalOpen = window.open;
  const popups: Window[] = [];
  afterEach(async () => {
    window.open = originalOpen;
    const open = popups.splice(0);
    for (const popup of open) popup.close();
    // Firefox sends the runner's keys to a popup until it has really gone: the next test's Enter
    // must reach this page, so wait for the windows to close and the focus to settle.
    await waitUntil(() => open.every((popup) => popup.closed), 'a popup did not close', { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
  });
  return {
    popups,
    track() {
      window.open = (...args) => {
        const popup = originalOpen.apply(window, args);
        if (popup) popups.push(popup);
        return popup;
      };
    },
  };
}

/**
 * A connect element works by keyboard: Tab from the field before it reaches its button, and Enter
 * starts the connect (`tk-connect`, cancelled here so nothing opens).
 */
export async function expectConnectByKeyboard(el: HTMLElement): Promise<void> {
  el.addEventListener('tk-connect', (e) => e.preventDefault());
  const input = document.createElement('input');
  input.setAttribute('aria-label', 'before');
  el.before(input);
  try {
    input.focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'button'));
    const fired = oneEvent(el, 'tk-connect');
    await sendKeys({ press: 'Enter' });
    await fired;
  } finally {
    input.remove();
  }
}
