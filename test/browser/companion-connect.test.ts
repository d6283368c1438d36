/**
 * The companion's Google connect round trip in a real browser: the popup opens the companion's
 * /google/start (its own origin, as a sidecar), Timekit's signup leads to the emulator's fake
 * consent page (same-origin with this page, through the wtr proxy, so the test can drive it), the
 * callback page posts the outcome to this window, and the session then carries the Google email
 * and a widget token that works against Timekit from this origin.
 */
import { expect, waitUntil } from '@open-wc/testing';
import type { TkConnectMessage, TkSessionResponse } from '../../src/shared/session.js';
import { testEnv } from './helpers/env.js';
import { consentForm, openPopup } from './helpers/popup.js';

/** Resolves with the first message the companion posts to this window. */
function nextConnectMessage(companionOrigin: string): Promise<MessageEvent<TkConnectMessage>> {
  return new Promise((resolve) => {
    const listener = (event: MessageEvent) => {
      if (event.origin !== companionOrigin || event.data?.source !== 'tk-companion') return;
      window.removeEventListener('message', listener);
      resolve(event as MessageEvent<TkConnectMessage>);
    };
    window.addEventListener('message', listener);
  });
}

describe('companion: Google connect round trip in the browser', () => {
  let popup: Window | undefined;
  afterEach(() => popup?.close());

  it('start → consent → callback posts {ok, email}; the session shows the email and a working widget token', async () => {
    const env = await testEnv();
    const companionOrigin = new URL(env.companionUrl).origin;
    const message = nextConnectMessage(companionOrigin);
    popup = await openPopup(`${env.companionUrl}/google/start`);
    const form = await consentForm(popup);
    form.querySelector<HTMLInputElement>('input[value="alex.morgan@example.com"]')!.click();
    form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();

    const event = await message;
    expect(event.data).to.deep.equal({ source: 'tk-companion', type: 'connect', ok: true, email: 'alex.morgan@example.com' });
    await waitUntil(() => popup!.closed, 'the result page did not close the popup', { timeout: 5_000 });

    const answer = await fetch(`${env.companionUrl}/session`, { method: 'POST' });
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('cache-control')).to.equal('no-store');
    const session = (await answer.json()) as TkSessionResponse;
    if (session.status !== 'ready') throw new Error(`session is ${session.status}`);
    expect(session.mode).to.equal('direct');
    expect(session.email).to.equal('alex.morgan@example.com');
    expect(session.accounts.map((a) => a.provider_id)).to.include('alex.morgan@example.com');

    // The widget token works from this page's origin, straight against Timekit.
    const headers = { authorization: `Basic ${btoa(`${session.email}:${session.token}`)}`, 'timekit-app': session.app };
    const calendars = await fetch(`${session.apiBase}/calendars`, { headers });
    expect(calendars.status).to.equal(200);
    const list = (await calendars.json()) as { data: Array<{ provider: string }> };
    expect(list.data.some((c) => c.provider === 'google')).to.equal(true);
  });

  it('declined consent posts consent-denied to the opener', async () => {
    const env = await testEnv();
    const message = nextConnectMessage(new URL(env.companionUrl).origin);
    popup = await openPopup(`${env.companionUrl}/google/start`);
    const form = await consentForm(popup);
    form.querySelector<HTMLButtonElement>('button[value="deny"]')!.click();
    const event = await message;
    expect(event.data.ok).to.equal(false);
    expect(event.data.ok === false && event.data.code).to.equal('consent-denied');
  });
});
