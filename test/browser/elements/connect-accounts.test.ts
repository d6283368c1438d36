/**
 * The connect elements' account model: every account of the resource with its status, a
 * Reconnect button on a disconnected one, and the question when a connect made Timekit put the
 * new account on a new resource. Against a fake session for what the element does, and against a
 * stack of its own (per test and engine: these tests revoke grants and connect accounts) for the
 * real session, companion and emulator.
 */
import { expect, fixture, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-google-connect.js';
import '../../../src/tk-microsoft-connect.js';
import '../../../src/tk-session.js';
import type { TkGoogleConnect } from '../../../src/components/google-connect/google-connect.js';
import type { TkMicrosoftConnect } from '../../../src/components/microsoft-connect/microsoft-connect.js';
import type { TkSessionElement } from '../../../src/components/session/session-provider.js';
import type { TkConnectedEvent } from '../../../src/events/connect.js';
import { TkError } from '../../../src/session/errors.js';
import type { TkAccountStatus } from '../../../src/session/account-status.js';
import type { TkSessionResponse } from '../../../src/shared/companion-protocol.js';
import type { TimekitAccount } from '../../../src/shared/timekit.js';
import { FakeSession, readySession } from '../helpers/fake-session.js';
import { clickPart, popupTracker } from '../helpers/popup.js';
import { hasState, part, parts } from '../helpers/dom.js';

const ENDPOINT = `${location.origin}/test/browser/fixtures/no-companion`;
const ALEX = { provider: 'google', provider_id: 'alex.morgan@example.com', last_sync: null } as const;
const DANA = { provider: 'microsoft', provider_id: 'dana.whitfield@contoso.example', last_sync: null } as const;
const engine = navigator.userAgent.includes('Firefox/') ? 'firefox' : navigator.userAgent.includes('Chrome/') ? 'chromium' : 'webkit';

/** A fake session whose account statuses and answers to the pending question the test sets. */
class AccountsSession extends FakeSession {
  private readonly disconnected = new Set<string>();
  /** What each `resolvePendingAccount` call does: the session it then shows, or the error it throws. */
  readonly answers: Array<TkSessionResponse | TkError> = [];
  readonly answered: boolean[] = [];

  override accountStatus(account: Pick<TimekitAccount, 'provider' | 'provider_id'>): TkAccountStatus {
    return this.disconnected.has(account.provider_id) ? 'disconnected' : 'connected';
  }

  setStatus(email: string, status: TkAccountStatus): void {
    if (status === 'disconnected') this.disconnected.add(email);
    else this.disconnected.delete(email);
    this.dispatchEvent(new Event('accounts'));
  }

  override async resolvePendingAccount(accept: boolean): Promise<void> {
    this.answered.push(accept);
    const answer = this.answers.shift()!;
    if (answer instanceof TkError) throw answer;
    await this.become(answer);
  }
}

async function accountsSession(response: TkSessionResponse) {
  const session = new AccountsSession({ endpoint: ENDPOINT });
  await session.become(response);
  return session;
}

const withPending = (provider: 'google' | 'microsoft' | null, email: string) => readySession({ accounts: [ALEX], pendingAccount: { provider, email } });
const lines = (el: Element) => parts(el, 'account').map((a) => a.textContent!.replace(/\s+/g, ' ').trim());

describe('connect elements: accounts', () => {
  const { popups, track: trackPopups } = popupTracker();

  describe('status and reconnect', () => {
    it('each element lists its own provider\'s accounts with their status, so a page with both lists each once; a disconnected one gets a Reconnect button; follows the session\'s accounts event', async () => {
      const session = await accountsSession(readySession({ accounts: [ALEX, DANA] }));
      const wrap = fixtureSync(html`<div>
        <tk-google-connect .session=${session}></tk-google-connect>
        <tk-microsoft-connect .session=${session}></tk-microsoft-connect>
      </div>`);
      const google = wrap.querySelector('tk-google-connect')!;
      const microsoft = wrap.querySelector('tk-microsoft-connect')!;
      await waitUntil(() => lines(google).length === 1 && lines(microsoft).length === 1, 'no accounts listed');
      expect(lines(google)).to.deep.equal(['Google: alex.morgan@example.com Connected']);
      expect(lines(microsoft)).to.deep.equal(['Microsoft: dana.whitfield@contoso.example Connected']);
      expect(part(google, 'accounts')!.getAttribute('aria-label')).to.equal('Calendar accounts: Google');
      expect(part(microsoft, 'accounts')!.getAttribute('aria-label')).to.equal('Calendar accounts: Microsoft');
      expect(part(google, 'reconnect-button')).to.equal(null);

      session.setStatus(ALEX.provider_id, 'disconnected');
      await waitUntil(() => part(google, 'reconnect-button') !== null, 'no Reconnect button');
      expect(lines(google)[0]).to.equal('Google: alex.morgan@example.com Disconnected Reconnect');
      expect(part(google, 'reconnect-button')!.getAttribute('aria-label')).to.equal('Reconnect alex.morgan@example.com');
      expect(lines(microsoft)).to.deep.equal(['Microsoft: dana.whitfield@contoso.example Connected']);
      session.setStatus(DANA.provider_id, 'disconnected');
      await waitUntil(() => part(microsoft, 'reconnect-button') !== null, 'the Microsoft element did not follow');
      await expect(google).to.be.accessible();
      await expect(microsoft).to.be.accessible();

      session.setStatus(ALEX.provider_id, 'connected');
      await waitUntil(() => part(google, 'reconnect-button') === null, 'the Reconnect button stayed');
    });

    it('Reconnect runs its provider\'s round trip: the popup goes to /google/start, and the outcome fires tk-connected', async () => {
      trackPopups();
      const session = await accountsSession(readySession({ accounts: [ALEX] }));
      session.setStatus(ALEX.provider_id, 'disconnected');
      const el = await fixture<TkGoogleConnect>(html`<tk-google-connect .session=${session}></tk-google-connect>`);
      const fired = oneEvent(el, 'tk-connect');
      await clickPart(el, 'reconnect-button');
      await fired;
      await waitUntil(() => popups.length === 1, 'no popup');
      let start: URL | undefined;
      await waitUntil(() => {
        try {
          const url = new URL(popups[0]!.location.href);
          if (url.pathname.endsWith('/google/start')) start = url;
        } catch {
          // mid-navigation
        }
        return start !== undefined;
      }, 'the popup did not go to /google/start');
      expect(hasState(el, 'connecting')).to.equal(true);
      const connected = oneEvent(el, 'tk-connected');
      window.dispatchEvent(
        new MessageEvent('message', {
          origin: location.origin,
          source: popups[0]!,
          data: { source: 'tk-companion', type: 'connect', ok: true, email: ALEX.provider_id, state: start!.searchParams.get('state') },
        }),
      );
      expect(((await connected) as TkConnectedEvent).detail).to.deep.equal({ email: ALEX.provider_id, resourceId: 'res-1', provider: 'google' });
    });
  });

  describe('the pending-account question', () => {
    it('only the element of the pending account\'s provider asks (<tk-google-connect> for a plain resource)', async () => {
      for (const [provider, asks] of [
        ['microsoft', 'tk-microsoft-connect'],
        ['google', 'tk-google-connect'],
        [null, 'tk-google-connect'],
      ] as const) {
        const session = await accountsSession(withPending(provider, 'new.person@example.com'));
        const wrap = fixtureSync(html`<div>
          <tk-google-connect .session=${session}></tk-google-connect>
          <tk-microsoft-connect .session=${session}></tk-microsoft-connect>
        </div>`);
        const asking = wrap.querySelector(asks)!;
        const other = wrap.querySelector(asks === 'tk-google-connect' ? 'tk-microsoft-connect' : 'tk-google-connect')!;
        await waitUntil(() => part(asking, 'question') !== null, `${asks} did not ask (${provider})`);
        await (other as TkGoogleConnect).updateComplete;
        expect(part(other, 'question'), `${provider}`).to.equal(null);
        wrap.remove();
      }
    });

    it('says what happens, offers "Switch to …" and "Keep …"; accessible', async () => {
      const session = await accountsSession(withPending('microsoft', DANA.provider_id));
      const el = await fixture<TkMicrosoftConnect>(html`<tk-microsoft-connect .session=${session}></tk-microsoft-connect>`);
      await waitUntil(() => part(el, 'question') !== null, 'no question');
      const question = part(el, 'question')!;
      expect(question.getAttribute('role')).to.equal('group');
      expect(question.textContent).to.contain(`${DANA.provider_id} was connected as a separate calendar profile`);
      expect(question.textContent).to.contain('The calendars of alex.morgan@example.com stop counting for availability');
      expect(question.textContent).to.contain('choose the calendar for new bookings again');
      expect(question.textContent).to.contain('working hours move over');
      expect(part(el, 'switch-button')!.textContent!.trim()).to.equal(`Switch to ${DANA.provider_id}`);
      expect(part(el, 'keep-button')!.textContent!.trim()).to.equal('Keep alex.morgan@example.com');
      await expect(el).to.be.accessible();
    });

    it('asks in German under lang="de"', async () => {
      const session = await accountsSession(withPending(null, 'neu@example.com'));
      const wrap = fixtureSync(html`<div lang="de"><tk-google-connect .session=${session}></tk-google-connect></div>`);
      const el = wrap.querySelector('tk-google-connect')!;
      await waitUntil(() => part(el, 'switch-button')?.textContent?.trim() === 'Zu neu@example.com wechseln', 'no German question');
      expect(part(el, 'keep-button')!.textContent!.trim()).to.equal('alex.morgan@example.com behalten');
    });

    it('after its own connect: focus moves to the question; the answer goes to the session, and focus back to the button', async () => {
      trackPopups();
      const session = await accountsSession(readySession({ accounts: [ALEX] }));
      const el = await fixture<TkMicrosoftConnect>(html`<tk-microsoft-connect .session=${session}></tk-microsoft-connect>`);
      await clickPart(el, 'button');
      await waitUntil(() => popups.length === 1, 'no popup');
      let state: string | null = null;
      await waitUntil(() => {
        try {
          state = new URL(popups[0]!.location.href).searchParams.get('state');
        } catch {
          state = null;
        }
        return state !== null;
      }, 'the popup did not go to /microsoft/start');
      // The connect put Dana on a new resource: the refreshed session has the question.
      session.next = withPending('microsoft', DANA.provider_id);
      const connected = oneEvent(el, 'tk-connected');
      window.dispatchEvent(
        new MessageEvent('message', { origin: location.origin, source: popups[0]!, data: { source: 'tk-companion', type: 'connect', ok: true, email: DANA.provider_id, state } }),
      );
      await connected;
      await waitUntil(() => part(el, 'question') !== null, 'no question');
      await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'question'), 'focus did not move to the question');

      session.answers.push(readySession({ accounts: [DANA], email: DANA.provider_id, resourceId: 'res-2' }));
      await clickPart(el, 'switch-button');
      await waitUntil(() => part(el, 'question') === null, 'the question stayed');
      expect(session.answered).to.deep.equal([true]);
      await waitUntil(() => el.shadowRoot!.activeElement === part(el, 'button'), 'focus did not go back to the button');
    });

    it('a question there when the page loads does not take focus', async () => {
      const session = await accountsSession(withPending(null, 'new.person@example.com'));
      const input = document.createElement('input');
      input.setAttribute('aria-label', 'page field');
      document.body.append(input);
      input.focus();
      try {
        const el = await fixture<TkGoogleConnect>(html`<tk-google-connect .session=${session}></tk-google-connect>`);
        await waitUntil(() => part(el, 'question') !== null, 'no question');
        await el.updateComplete;
        expect(document.activeElement).to.equal(input);
      } finally {
        input.remove();
      }
    });

    it('an answer that fails shows the error with a retry, which sends the same answer again', async () => {
      const session = await accountsSession(withPending(null, 'new.person@example.com'));
      const el = await fixture<TkGoogleConnect>(html`<tk-google-connect .session=${session}></tk-google-connect>`);
      await waitUntil(() => part(el, 'question') !== null, 'no question');
      session.answers.push(new TkError('unavailable'), readySession({ accounts: [ALEX] }));
      part(el, 'keep-button')!.click();
      await waitUntil(() => part(el, 'question-error') !== null, 'no error');
      const error = part(el, 'question-error')!;
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.contain('The calendar service is unavailable right now.');
      expect(part(el, 'question'), 'the question stays').to.not.equal(null);
      await expect(el).to.be.accessible();
      part(el, 'question')!.querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
      await waitUntil(() => part(el, 'question') === null, 'the retry did not answer');
      expect(session.answered).to.deep.equal([false, false]);
    });
  });

  describe('with a real session, companion and emulator (a stack of its own)', () => {
    async function post<T>(path: string, body: object): Promise<T> {
      const response = await fetch(path, { method: 'POST', body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    }

    /** A stack whose user has connected Alex Morgan's Google account, for this test in this engine only. */
    async function ownStack(test: string) {
      const options = { profile: 'evidence', name: `connect-${test}-${engine}` };
      const stack = await post<{ companionUrl: string }>('/__tk-test/stack', options);
      return {
        stack,
        connect: (identity: string, provider = 'google') => post('/__tk-test/stack/connect', { stack: options, identity, provider }),
        revoke: (email: string) => post('/__tk-test/stack/revoke', { stack: options, provider: 'google', email }),
      };
    }

    async function mount(companionUrl: string) {
      const wrap = fixtureSync<TkSessionElement>(html`<tk-session endpoint=${companionUrl}>
        <tk-google-connect></tk-google-connect>
        <tk-microsoft-connect></tk-microsoft-connect>
      </tk-session>`);
      const google = wrap.querySelector('tk-google-connect')!;
      const microsoft = wrap.querySelector('tk-microsoft-connect')!;
      await waitUntil(() => hasState(google, 'content') && hasState(microsoft, 'content'), 'not connected', { timeout: 10_000 });
      return { wrap, google, microsoft };
    }

    it('a revoked grant shows as disconnected with Reconnect after the page-load sync; connected again after a reconnect', async () => {
      const { stack, revoke, connect } = await ownStack('status');
      await revoke(ALEX.provider_id);
      const { wrap, google } = await mount(stack.companionUrl);
      await waitUntil(() => part(google, 'reconnect-button') !== null, 'the revoked account never showed as disconnected', { timeout: 10_000 });
      expect(lines(google)).to.deep.equal(['Google: alex.morgan@example.com Disconnected Reconnect']);
      await expect(google).to.be.accessible();

      await connect(ALEX.provider_id);
      await wrap.session!.refresh({ reload: true });
      await waitUntil(() => part(google, 'reconnect-button') === null, 'still disconnected after the reconnect');
      expect(lines(google)).to.deep.equal(['Google: alex.morgan@example.com Connected']);
    });

    it('a Microsoft account on a new resource: <tk-microsoft-connect> asks; Keep keeps everything, Switch moves to the new resource', async () => {
      const { stack, connect } = await ownStack('pending');
      const { wrap, google, microsoft } = await mount(stack.companionUrl);
      const first = wrap.session!.account!;

      await connect(DANA.provider_id, 'microsoft');
      await wrap.session!.refresh();
      await waitUntil(() => part(microsoft, 'question') !== null, 'no question', { timeout: 10_000 });
      expect(part(google, 'question')).to.equal(null);
      await expect(microsoft).to.be.accessible();
      part(microsoft, 'keep-button')!.click();
      await waitUntil(() => part(microsoft, 'question') === null, 'Keep did not answer', { timeout: 10_000 });
      expect(wrap.session!.account!.resourceId).to.equal(first.resourceId);
      expect(lines(google)).to.deep.equal(['Google: alex.morgan@example.com Connected']);
      expect(lines(microsoft)).to.deep.equal([]);

      await connect(DANA.provider_id, 'microsoft');
      await wrap.session!.refresh();
      await waitUntil(() => part(microsoft, 'switch-button') !== null, 'no second question', { timeout: 10_000 });
      part(microsoft, 'switch-button')!.click();
      await waitUntil(() => part(microsoft, 'question') === null, 'Switch did not answer', { timeout: 10_000 });
      expect(wrap.session!.account!.resourceId).to.not.equal(first.resourceId);
      await waitUntil(() => lines(microsoft).join() === 'Microsoft: dana.whitfield@contoso.example Connected', 'the list does not show the new resource');
      expect(lines(google)).to.deep.equal([]);
      expect(part(google, 'button')!.textContent!.trim()).to.equal('Connect Google Calendar');
    });
  });
});
