/**
 * The companion's Google connect round trip in a real browser: the popup opens the companion's
 * /google/start (its own origin, as a sidecar), Timekit's signup leads to the emulator's fake
 * consent page (same-origin with this page, through the wtr proxy, so the test can drive it), the
 * callback moves on to a result page that answers this window's ping with the outcome, and the
 * session then carries the Google email and a widget token that works against Timekit from this origin.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from './helpers/wait.js';
import '../../src/tk-google-connect.js';
import '../../src/tk-session.js';
import type { TkSessionElement } from '../../src/components/session/session-provider.js';
import type { TkConnectedEvent } from '../../src/events/connect.js';
import type { TkConnectMessage, TkSessionResponse } from '../../src/shared/companion-protocol.js';
import { hasState } from './helpers/dom.js';
import { testEnv } from './helpers/env.js';
import { answerOf, clickPart, consentForm, openPopup, popupTracker } from './helpers/popup.js';

const STATE = 'c3RhdGUtb2YtdGhlLWVsZW1lbnQ';

/**
 * Opens `url` as the element does: a blank popup from a real click, disowned (no opener for any
 * page on the way), then sent on.
 */
async function openDisowned(url: string): Promise<Window> {
  const popup = await openPopup('about:blank');
  popup.opener = null;
  popup.location.href = url;
  return popup;
}

describe('companion: Google connect round trip in the browser', () => {
  let popup: Window | undefined;
  afterEach(() => popup?.close());

  it('start → consent → callback → the result page answers the ping with {ok, email, state}; the session shows the email (or asks about it) and a working widget token', async () => {
    const env = await testEnv();
    const companionOrigin = new URL(env.companionUrl).origin;
    popup = await openDisowned(`${env.companionUrl}/google/start?state=${STATE}`);
    const form = await consentForm(popup);
    expect(popup.opener, 'the consent page has no opener').to.equal(null);
    form.querySelector<HTMLInputElement>('input[value="alex.morgan@example.com"]')!.click();
    form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();

    const event = await answerOf<TkConnectMessage>(popup, companionOrigin);
    expect(event.data).to.deep.equal({ source: 'tk-companion', type: 'connect', ok: true, email: 'alex.morgan@example.com', state: STATE });
    await waitUntil(() => popup!.closed, 'the result page did not close the popup', { timeout: 5_000 });

    const answer = await fetch(`${env.companionUrl}/session`, { method: 'POST' });
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('cache-control')).to.equal('no-store');
    const session = (await answer.json()) as TkSessionResponse;
    if (session.status !== 'ready') throw new Error(`session is ${session.status}`);
    expect(session.mode).to.equal('relay');
    // Alex's account is the shared dev user's record, or waits as its pending account when another
    // test's connect made the record first (a second resource is never a silent replace).
    if (session.pendingAccount?.email !== 'alex.morgan@example.com') {
      expect(session.email).to.equal('alex.morgan@example.com');
      expect(session.accounts.map((a) => a.provider_id)).to.include('alex.morgan@example.com');
    }

    // The relay token reads the calendars through the companion (its relay's path, beside /session).
    const calendars = await fetch(new URL(`${session.apiBase}/calendars`, env.companionUrl), { headers: { authorization: `Bearer ${session.token}` } });
    expect(calendars.status).to.equal(200);
    const list = (await calendars.json()) as { data: Array<{ id: string; provider: string }> };
    expect(list.data.some((c) => c.provider === 'google')).to.equal(true);

    // The widget credential works from this page's origin, straight against Timekit's widget endpoints.
    const widget = session.widget!;
    const findtime = await fetch(`${widget.apiBase}/findtime`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${widget.email}:${widget.token}`)}`, 'timekit-app': widget.app, 'content-type': 'application/json' },
      body: JSON.stringify({ calendar_ids: [list.data[0]!.id], length: '1 hour', future: '1 day' }),
    });
    expect(findtime.status).to.equal(200);
  });

  it('redirect mode: the browser that started (its binding cookie) comes back to return_to with tk_connect=ok and the state, no token', async () => {
    const env = await testEnv();
    // The popup stands in for the page that leaves and comes back.
    const back = `${location.origin}/test/browser/fixtures/callback.html?tab=calendars`;
    popup = await openDisowned(`${env.companionUrl}/google/start?state=${STATE}&return_to=${encodeURIComponent(back)}`);
    const form = await consentForm(popup);
    form.querySelector<HTMLInputElement>('input[value="noor.haddad@example.com"]')!.click();
    form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();
    await waitUntil(
      () => {
        try {
          return popup!.location.href.startsWith(back);
        } catch {
          return false; // still on the companion's origin
        }
      },
      'not back on return_to',
      { timeout: 10_000 },
    );
    const url = new URL(popup.location.href);
    expect([url.searchParams.get('tab'), url.searchParams.get('tk_connect'), url.searchParams.get('tk_state')]).to.deep.equal(['calendars', 'ok', STATE]);
    expect(url.search).to.not.contain('token');
    const session = (await (await fetch(`${env.companionUrl}/session`, { method: 'POST' })).json()) as TkSessionResponse;
    // Noor's account is on a resource of its own: the user's record, or (when an earlier connect of
    // this shared dev user made one) waiting as the pending account the provider is asked about.
    if (session.status !== 'ready') throw new Error(`session is ${session.status}`);
    expect([session.email, session.pendingAccount?.email]).to.include('noor.haddad@example.com');
  });

  it('declined consent answers consent-denied', async () => {
    const env = await testEnv();
    popup = await openDisowned(`${env.companionUrl}/google/start`);
    const form = await consentForm(popup);
    form.querySelector<HTMLButtonElement>('button[value="deny"]')!.click();
    const event = await answerOf<TkConnectMessage>(popup, new URL(env.companionUrl).origin);
    expect(event.data.ok).to.equal(false);
    expect(event.data.ok === false && event.data.code).to.equal('consent-denied');
  });
});

describe('companion: the element pings only the result page', () => {
  const { popups, track } = popupTracker();

  it('no ping reaches the consent page (another origin than the companion\'s, so the browser would warn about the target origin at each), and the result page still answers: tk-connected', async () => {
    track();
    const env = await testEnv();
    const wrap = await fixture<TkSessionElement>(html`<tk-session endpoint=${env.companionUrl}><tk-google-connect></tk-google-connect></tk-session>`);
    const el = wrap.querySelector('tk-google-connect')!;
    await waitUntil(() => !hasState(el, 'loading'), 'session never loaded', { timeout: 5_000 });
    const connected = oneEvent(el, 'tk-connected');
    await clickPart(el, 'button');
    await waitUntil(() => popups.length === 1, 'no popup');
    const form = await consentForm(popups[0]!);
    // The consent page is on this page's origin here, so what is posted to it can be seen: the
    // element holds the popup's window, and its postMessage is now the consent page's own.
    const posted: unknown[] = [];
    (form.ownerDocument.defaultView as Window & { postMessage: unknown }).postMessage = (...args: unknown[]) => void posted.push(args);
    // The element watches the popup every 300 ms: several of its polls pass while consent shows.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(posted, 'messages posted to the consent page').to.deep.equal([]);
    form.querySelector<HTMLInputElement>('input[value="jordan.reed@example.com"]')!.click();
    form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();
    expect(((await connected) as TkConnectedEvent).detail.email).to.equal('jordan.reed@example.com');
  });
});
