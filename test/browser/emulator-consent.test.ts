/**
 * The emulator's Google consent round trip, walked in a real browser popup: the signup URL, the
 * fake consent page, and the redirect to the callback. The wtr config mounts the emulator on the
 * test page's own origin, so the test can drive the popup's form. It plays the `evidence` profile,
 * so the callback comes back with Timekit's parameters appended to it as text.
 */
import { expect } from '@open-wc/testing';
import { waitUntil } from './helpers/wait.js';
import { testEnv } from './helpers/env.js';
import { consentForm, openPopup } from './helpers/popup.js';
import { signedSignupUrl } from '../../src/shared/emulator-signup.js';

const CALLBACK = `${location.origin}/test/browser/fixtures/callback.html?from=tk-test`;

/** The app's signup link, signed with its key as the companion signs its own (the emulator shows no consent otherwise). */
const signupUrl = (env: { app: string; appKey: string }) =>
  signedSignupUrl({ apiBase: `${location.origin}/v2`, app: env.app, appKey: env.appKey, callback: CALLBACK });

/** The query the popup landed with, as a string: with a callback that has a query of its own, the append is not a URL's. */
async function landedCallback(popup: Window): Promise<string> {
  await waitUntil(
    () => {
      try {
        return popup.location.pathname === '/test/browser/fixtures/callback.html';
      } catch {
        return false;
      }
    },
    'the popup did not land on the callback',
    { timeout: 10_000 },
  );
  return popup.location.search;
}

describe('emulator: Google consent round trip in the browser', () => {
  let popup: Window | undefined;
  afterEach(() => popup?.close());

  it('lists the seeded identities and lands on the callback with email and a working token', async () => {
    const env = await testEnv();
    popup = await openPopup(await signupUrl(env));
    const form = await consentForm(popup);

    const labels = [...form.querySelectorAll('label')].map((label) => label.textContent ?? '');
    expect(labels.some((text) => text.includes('yuki.tanaka@example.jp'))).to.equal(true);
    expect(form.querySelectorAll('input[type="radio"][name="identity"]').length).to.be.greaterThan(3);

    form.querySelector<HTMLInputElement>('input[value="yuki.tanaka@example.jp"]')!.click();
    form.querySelector<HTMLButtonElement>('button[value="allow"]')!.click();
    const search = await landedCallback(popup);

    // `callback + "?email=…&token=…"`, as text, after the callback's own `?from=tk-test`.
    const [own, appended] = search.split(/\?(?=email=)/);
    expect(own).to.equal('?from=tk-test');
    const params = new URLSearchParams(appended);
    expect(params.get('email')).to.equal('yuki.tanaka@example.jp');
    const token = params.get('token');
    expect(token).to.match(/^[\w-]{20,}$/);

    // The token is a real resource token: it syncs and lists the identity's calendars.
    const headers = { authorization: `Basic ${btoa(`yuki.tanaka@example.jp:${token}`)}`, 'timekit-app': env.app };
    const sync = await fetch(`${env.emulatorUrl}/accounts/sync`, { method: 'POST', headers });
    expect(sync.status).to.equal(200);
    const calendars = (await (await fetch(`${env.emulatorUrl}/calendars`, { headers })).json()) as {
      data: Array<{ name: string; provider: string }>;
    };
    expect(calendars.data.map((c) => c.name)).to.include('仕事');
  });

  it('Deny lands on the callback with error=access_denied and no token', async () => {
    const env = await testEnv();
    popup = await openPopup(await signupUrl(env));
    const form = await consentForm(popup);
    form.querySelector<HTMLButtonElement>('button[value="deny"]')!.click();
    const search = await landedCallback(popup);

    expect(search).to.equal('?from=tk-test?error=access_denied');
  });
});
