/**
 * The session's account model against a real emulator and companion (a stack of its own per test
 * and engine, since these tests revoke grants and connect accounts): each account's status as the
 * syncs tell it, and a second account that Timekit put on a new resource, waiting for the
 * provider's yes or no.
 */
import { expect } from '@open-wc/testing';
import { waitUntil } from './helpers/wait.js';
import { TkSession } from '../../src/session/session-service.js';

const ALEX = { provider: 'google', provider_id: 'alex.morgan@example.com' } as const;
const DANA = 'dana.whitfield@contoso.example';

const engine = navigator.userAgent.includes('Firefox/') ? 'firefox' : navigator.userAgent.includes('Chrome/') ? 'chromium' : 'webkit';

interface Stack {
  companionUrl: string;
}

async function post<T>(path: string, body: object): Promise<T> {
  const response = await fetch(path, { method: 'POST', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A stack whose user has connected Alex Morgan's Google account, for this test in this engine only. */
async function ownStack(test: string): Promise<{ stack: Stack; connect(identity: string, provider?: string): Promise<void>; revoke(email: string): Promise<void> }> {
  const options = { profile: 'evidence', name: `${test}-${engine}` };
  const stack = await post<Stack>('/__tk-test/stack', options);
  return {
    stack,
    async connect(identity, provider = 'google') {
      const { status } = await post<{ status: number }>('/__tk-test/stack/connect', { stack: options, identity, provider });
      expect(status, 'the callback moves on to the result page').to.equal(303);
    },
    async revoke(email) {
      const { status } = await post<{ status: number }>('/__tk-test/stack/revoke', { stack: options, provider: 'google', email });
      expect(status).to.equal(200);
    },
  };
}

function ready(session: TkSession): Promise<void> {
  return waitUntil(() => session.status === 'ready', `the session is ${session.status}`, { timeout: 10_000 });
}

describe('TkSession: account status and a second account', () => {
  const sessions: TkSession[] = [];
  afterEach(() => sessions.splice(0).forEach((session) => session.stop()));

  function sessionOn(stack: Stack): TkSession {
    const session = new TkSession({ endpoint: stack.companionUrl, syncDelayMs: 20, retryDelayMs: 20 });
    sessions.push(session);
    return session;
  }

  it('accountStatus: a revoked grant is disconnected after the page-load sync, connected again after a reconnect round trip', async () => {
    const { stack, connect, revoke } = await ownStack('accounts-status');
    await revoke(ALEX.provider_id);
    const session = sessionOn(stack);
    let events = 0;
    session.addEventListener('accounts', () => events++);
    await session.start();
    await ready(session);
    expect(session.account!.accounts.map((a) => a.provider_id)).to.include(ALEX.provider_id);
    expect(session.accountStatus(ALEX), 'until a sync says otherwise').to.equal('connected');

    await waitUntil(() => session.accountStatus(ALEX) === 'disconnected', 'the health sync did not mark the revoked account', { timeout: 10_000 });
    expect(events).to.equal(1);
    // Provider ids are matched case-insensitively.
    expect(session.accountStatus({ provider: 'google', provider_id: 'Alex.Morgan@example.com' })).to.equal('disconnected');
    expect(session.syncStatus, 'the health sync leaves the burst sync alone').to.equal('idle');

    await connect(ALEX.provider_id);
    await session.refresh({ reload: true });
    expect(session.accountStatus(ALEX), 'a refresh after a connect').to.equal('connected');
    await session.sync();
    expect(session.syncStatus).to.equal('idle');
    expect(session.accountStatus(ALEX), 'a sync that worked').to.equal('connected');
    expect(events).to.equal(2);
  });

  it('pendingAccount: a second signup on a new resource waits; declining keeps everything, accepting moves to the new resource', async () => {
    const { stack, connect } = await ownStack('accounts-pending');
    const session = sessionOn(stack);
    await session.start();
    await ready(session);
    const first = session.account!;
    expect(first.pendingAccount).to.equal(null);
    const before = await session.calendars();

    await connect(DANA, 'microsoft');
    let changes = 0;
    let reloads = 0;
    session.addEventListener('change', () => changes++);
    session.addEventListener('calendars', () => reloads++);
    await session.refresh();
    expect(session.account!.pendingAccount).to.deep.equal({ provider: 'microsoft', email: DANA });
    expect(session.account!.resourceId, 'the old resource stays until the provider answers').to.equal(first.resourceId);
    expect(JSON.stringify(session.account)).not.to.match(/token/i);

    await session.resolvePendingAccount(false);
    expect(session.account!.pendingAccount).to.equal(null);
    expect(session.account!.resourceId).to.equal(first.resourceId);
    expect(session.account!.accounts).to.deep.equal(first.accounts);
    expect((await session.calendars()).map((c) => c.id)).to.deep.equal(before.map((c) => c.id));
    expect(reloads, 'declining drops nothing').to.equal(0);
    expect(changes).to.equal(2);

    await connect(DANA, 'microsoft');
    await session.refresh();
    expect(session.account!.pendingAccount).to.deep.equal({ provider: 'microsoft', email: DANA });
    await session.resolvePendingAccount(true);
    const moved = session.account!;
    expect(moved.pendingAccount).to.equal(null);
    expect(moved.resourceId).not.to.equal(first.resourceId);
    expect(moved.email).to.equal(DANA);
    expect(moved.accounts.map((a) => [a.provider, a.provider_id])).to.deep.equal([['microsoft', DANA]]);
    expect(reloads, 'the calendars of the old resource are dropped').to.equal(1);
    const calendars = await session.calendars();
    expect(calendars.some((c) => c.provider === 'microsoft'), 'the new resource’s calendars').to.equal(true);
    expect(calendars.filter((c) => before.some((old) => old.id === c.id)), 'none of the old resource’s').to.deep.equal([]);

    let refused: unknown;
    await session.resolvePendingAccount(true).catch((error: unknown) => (refused = error));
    expect(refused, 'nothing left to confirm').to.include({ name: 'TkError', code: 'invalid', retryable: false, companionCode: 'invalid' });
  });
});
