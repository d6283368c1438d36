/**
 * The fault matrix for `<tk-google-connect>`: what it meets is its session's credential request
 * (`POST <companion>/session`) and the connect round trip's outcome. The session talks to the
 * real companion (the wtr sidecar); a fault puts one of the companion's documented failures in
 * place of its answer: a status with `{error: {code}}` (and `Retry-After`), as the companion
 * maps each Timekit fault (test/node/companion/session.test.ts checks that mapping against the
 * emulator), or a dropped connection, a timeout, or a body that is no JSON. Once the faults are
 * used up the real companion answers, so recovery is real.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-google-connect.js';
import type { TkGoogleConnect } from '../../../src/components/google-connect/google-connect.js';
import type { TkErrorEventDetail } from '../../../src/events/error.js';
import { enErrors } from '../../../src/i18n/en-errors.js';
import { TkSession, type TkSessionStatus } from '../../../src/session/session-service.js';
import type { TkSessionResponse } from '../../../src/shared/companion-protocol.js';
import { newResource, sessionFor } from '../helpers/emulator.js';
import { testEnv } from '../helpers/env.js';
import { clickPart, stateOf } from '../helpers/popup.js';
import { hasState, part, waitForState } from '../helpers/dom.js';

/** A failure, or (`answer`) one of the companion's good answers, to start from a known state. */
type Fault = { status: number; code: string; retryAfter?: number } | { answer: TkSessionResponse } | 'drop' | 'timeout' | 'malformed';

let companionUrl = '';
/** Failures for the next credential requests, in turn; then the real companion answers. */
let faults: Fault[] = [];
let asked = 0;
const originalFetch = window.fetch;

function failure(fault: Fault, signal: AbortSignal | null | undefined): Promise<Response> {
  if (fault === 'drop') return Promise.reject(new TypeError('Failed to fetch'));
  if (fault === 'timeout') return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
  // a proxy's error page where JSON was due
  if (fault === 'malformed') return Promise.resolve(new Response('<html>Bad gateway</html>', { status: 200 }));
  if ('answer' in fault) return Promise.resolve(Response.json(fault.answer));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (fault.retryAfter !== undefined) headers['retry-after'] = String(fault.retryAfter);
  return Promise.resolve(new Response(JSON.stringify({ error: { code: fault.code, message: 'x' } }), { status: fault.status, headers }));
}

before(async () => {
  companionUrl = (await testEnv()).companionUrl;
  window.fetch = (input, init = {}) => {
    if (String(input) !== `${companionUrl}/session`) return originalFetch(input, init);
    asked++;
    const fault = faults.shift();
    return fault ? failure(fault, init.signal) : originalFetch(input, init);
  };
});
after(() => {
  window.fetch = originalFetch;
});
beforeEach(() => {
  faults = [];
  asked = 0;
});

async function mount() {
  // small delays and timeout keep the cases fast; the delays themselves are session.test.ts's
  const session = new TkSession({ endpoint: companionUrl, retryDelayMs: 20, timeoutMs: 1_000 });
  const statuses: TkSessionStatus[] = [];
  session.addEventListener('change', () => statuses.push(session.status));
  const el = await fixture<TkGoogleConnect>(html`<tk-google-connect .session=${session}></tk-google-connect>`);
  const errors: TkErrorEventDetail[] = [];
  el.addEventListener('tk-error', (event) => errors.push(event.detail));
  return { session, el, errors, statuses };
}

/** Settled: the real companion answered (signed-out, or ready with or without an account). */
const settled = (el: TkGoogleConnect) =>
  waitForState(el, ['signed-out', 'empty', 'content'], { message: 'not settled', timeout: 5_000 });
const showsError = (el: TkGoogleConnect) => waitForState(el, 'error', { message: 'no error state', timeout: 5_000 });

const unavailable = { status: 502, code: 'timekit-unavailable' };

describe('fault matrix: <tk-google-connect> and its credential request', () => {
  const passing: Array<[string, Fault[]]> = [
    ['429 rate-limited, Retry-After 1', [{ status: 429, code: 'rate-limited', retryAfter: 1 }]],
    ['502 timekit-unavailable (Timekit 500, 503, dropped, timed out or malformed) × 2', [unavailable, unavailable]],
    ['500 internal × 2', [{ status: 500, code: 'internal' }, { status: 500, code: 'internal' }]],
    ['companion unreachable × 2', ['drop', 'drop']],
    ['companion timeout', ['timeout']],
    ['an answer that is no JSON', ['malformed']],
  ];
  for (const [name, list] of passing) {
    it(`${name}: asked again on its own, then the real answer; no error shown`, async () => {
      faults = [...list];
      const started = performance.now();
      const { el, session, errors, statuses } = await mount();
      await settled(el);
      expect([asked, errors.length, session.error, statuses.includes('error')]).to.deep.equal([list.length + 1, 0, null, false]);
      if (name.startsWith('429')) expect(performance.now() - started, 'Retry-After honoured').to.be.at.least(950);
    });
  }

  const lasting: Array<[string, Fault, string]> = [
    ['502 timekit-unavailable', unavailable, 'unavailable'],
    ['502 timekit-rejected (Timekit refused the app: 401, 403, 404, 422)', { status: 502, code: 'timekit-rejected' }, 'unavailable'],
    ['companion unreachable', 'drop', 'network'],
  ];
  for (const [name, fault, code] of lasting) {
    it(`${name} three times: error state (${code}) with retry; the retry asks again and recovers`, async () => {
      faults = [fault, fault, fault];
      const { el, session } = await mount();
      await showsError(el);
      expect([asked, session.error?.code]).to.deep.equal([3, code]);
      expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
      expect(part(el, 'error')!.textContent).to.contain(enErrors[code as keyof typeof enErrors]);
      part(el, 'retry-button')!.click();
      await settled(el);
      expect(asked).to.equal(4);
    });
  }

  it('403 origin-not-allowed: not asked again, error state (origin-mismatch) without a retry button; the text says what the developer must fix', async () => {
    faults = [{ status: 403, code: 'origin-not-allowed' }];
    const { el, session } = await mount();
    await showsError(el);
    expect([asked, session.error?.code]).to.deep.equal([1, 'origin-mismatch']);
    expect(part(el, 'retry-button')).to.equal(null);
    expect(part(el, 'error')!.textContent).to.contain("add its address to the calendar service's allowed origins");
  });

  const refused: Array<[string, Fault, string]> = [
    ['401 unauthenticated (the host user is not signed in)', { status: 401, code: 'unauthenticated' }, 'unauthorized'],
  ];
  for (const [name, fault, code] of refused) {
    it(`${name}: not asked again, error state (${code}); the retry recovers`, async () => {
      faults = [fault];
      const { el, session } = await mount();
      await showsError(el);
      expect([asked, session.error?.code]).to.deep.equal([1, code]);
      part(el, 'retry-button')!.click();
      await settled(el);
      expect(asked).to.equal(2);
    });
  }
});

describe('fault matrix: <tk-google-connect> connecting', () => {
  let popups: Window[] = [];
  const originalOpen = window.open;
  beforeEach(() => {
    // A blank popup of its own name stands in for the window: the element sends it to the real
    // companion, the outcome is posted by the test (a real result page would close itself), and
    // its own name keeps another test file's open from reusing it.
    window.open = () => {
      const popup = originalOpen.call(window, 'about:blank', `tk-faults-${Math.random()}`, 'popup,width=400,height=300');
      if (popup) popups.push(popup);
      return popup;
    };
  });
  afterEach(() => {
    window.open = originalOpen;
    popups.forEach((p) => p.close());
    popups = [];
  });

  /** Opens the real companion popup with a real click, as a user does. */
  async function startConnect(el: TkGoogleConnect) {
    await clickPart(el, 'button');
    await waitUntil(() => popups.length > 0 && hasState(el, 'connecting'), 'no popup');
  }

  /**
   * The companion's result page answering with the outcome, from the popup and the companion's
   * origin, with the round trip's state (the element sends the stand-in popup to the real
   * companion, whose consent page says it).
   */
  async function outcome(data: object) {
    const popup = popups.at(-1)!;
    const state = await stateOf(popup);
    window.dispatchEvent(new MessageEvent('message', { origin: new URL(companionUrl).origin, source: popup, data: { source: 'tk-companion', type: 'connect', state, ...data } }));
  }

  it('signed out, then the session cannot be refreshed after connecting (502 × 3): tk-error unavailable; the retry asks the companion, not Google', async () => {
    faults = [{ answer: { status: 'signed-out' } }];
    const { el, session, errors } = await mount();
    await waitForState(el, 'signed-out', { message: 'not signed out' });
    await startConnect(el);
    faults = [unavailable, unavailable, unavailable];
    asked = 0;
    await outcome({ ok: true, email: 'jordan.reed@example.com' });
    await waitUntil(() => errors.length > 0, 'no tk-error', { timeout: 5_000 });
    expect(errors).to.deep.equal([{ code: 'unavailable', message: enErrors.unavailable, retryable: true }]);
    await showsError(el);
    expect([asked, session.status]).to.deep.equal([3, 'error']);
    part(el, 'retry-button')!.click();
    await settled(el);
    expect([asked, popups.length]).to.deep.equal([4, 1]);
  });

  it('connected, then the refresh after connecting fails (502 × 3): the working credential stays, tk-connected, a refresh is due later', async () => {
    faults = [{ answer: await sessionFor(await newResource()) }];
    const { el, session, errors } = await mount();
    await waitForState(el, 'empty', { message: 'not ready' });
    await startConnect(el);
    faults = [unavailable, unavailable, unavailable];
    asked = 0;
    const connected = new Promise<Event>((resolve) => el.addEventListener('tk-connected', resolve, { once: true }));
    await outcome({ ok: true, email: 'jordan.reed@example.com' });
    await connected;
    expect([asked, session.status, errors.length, hasState(el, 'error')]).to.deep.equal([3, 'ready', 0, false]);
    session.stop(); // the refresh due in 10 s would reach the real companion after the test
  });

  const failures: Array<[string, string, boolean]> = [
    ['timekit-unavailable', 'unavailable', true],
    ['rate-limited', 'rate-limited', true],
    ['consent-denied', 'consent-denied', true],
    ['internal', 'unavailable', true],
    ['nonce-expired', 'invalid', false],
  ];
  for (const [companionCode, code, retryable] of failures) {
    it(`the connect ends in ${companionCode}: tk-error ${code}, error state; the button, now its one retry, opens the popup again`, async () => {
      const { el, errors } = await mount();
      await settled(el);
      await startConnect(el);
      await outcome({ ok: false, code: companionCode });
      await waitUntil(() => errors.length > 0, 'no tk-error', { timeout: 5_000 });
      expect(errors).to.deep.equal([{ code, message: enErrors[code as keyof typeof enErrors], retryable }]);
      await showsError(el);
      expect([part(el, 'button')!.textContent!.trim(), part(el, 'retry-button')]).to.deep.equal(['Try again', null]);
      await clickPart(el, 'button');
      await waitUntil(() => popups.length === 2, 'no second popup');
    });
  }
});
