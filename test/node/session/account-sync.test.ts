/** AccountSync: one `POST /accounts/sync` after each burst of `provider_sync` writes. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccountSync, type TkSyncStatus } from '../../../src/session/account-sync.js';
import { TkError } from '../../../src/session/errors.js';

const DELAY_MS = 20;
const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An AccountSync over a client that records its calls and answers `answer` (or throws it). */
function rig(answer: () => Promise<unknown> = async () => undefined) {
  const calls: string[] = [];
  const statuses: TkSyncStatus[] = [];
  const client = {
    request: async <T>(method: string, path: string): Promise<T | undefined> => {
      calls.push(`${method} ${path}`);
      return (await answer()) as T;
    },
  };
  const sync: AccountSync = new AccountSync(client, DELAY_MS, () => statuses.push(sync.status));
  return { sync, calls, statuses };
}

describe('AccountSync', () => {
  it('syncs once after a burst of writes, when the last one has landed', async () => {
    const { sync, calls, statuses } = rig();
    await Promise.all([sync.trackWrite(async () => 'a'), sync.trackWrite(async () => 'b')]);
    assert.equal(sync.status, 'pending');
    assert.deepEqual(calls, []);
    await later(DELAY_MS * 3);
    assert.deepEqual(calls, ['POST /accounts/sync']);
    assert.deepEqual(statuses, ['pending', 'syncing', 'idle']);
  });

  it('resolves each write to what it wrote', async () => {
    const { sync } = rig();
    assert.equal(await sync.trackWrite(async () => 'saved'), 'saved');
  });

  it('waits while a write is still under way', async () => {
    const { sync, calls } = rig();
    let land!: () => void;
    const slow = sync.trackWrite(() => new Promise<void>((resolve) => (land = resolve)));
    await sync.trackWrite(async () => undefined);
    await later(DELAY_MS * 3);
    assert.deepEqual(calls, []);
    land();
    await slow;
    await later(DELAY_MS * 3);
    assert.deepEqual(calls, ['POST /accounts/sync']);
  });

  it('does not sync after a write that failed', async () => {
    const { sync, calls } = rig();
    await assert.rejects(sync.trackWrite(() => Promise.reject(new TkError('forbidden'))), TkError);
    await later(DELAY_MS * 3);
    assert.equal(sync.status, 'idle');
    assert.deepEqual(calls, []);
  });

  it('reports a failed sync as error, and sync() tries again', async () => {
    let fail = true;
    const { sync } = rig(async () => {
      if (fail) throw new TkError('unavailable');
    });
    await sync.sync();
    assert.equal(sync.status, 'error');
    assert.equal(sync.error?.code, 'unavailable');
    fail = false;
    await sync.sync();
    assert.equal(sync.status, 'idle');
    assert.equal(sync.error, null);
  });
});
