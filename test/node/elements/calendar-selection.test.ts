/**
 * The calendar picker's save logic without a browser: optimistic writes and their rollback,
 * per-row errors, manual mode, and how a reload merges with writes still under way.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CalendarSelection, type WriteProviderSync } from '../../../src/internal/calendar-selection.js';
import { TkError } from '../../../src/session/errors.js';
import type { TimekitCalendar } from '../../../src/shared/timekit.js';

const calendar = (id: string, providerSync: boolean) => ({ id, name: id, provider_sync: providerSync }) as TimekitCalendar;

/** A write whose answer the test gives later. */
function pendingWrite() {
  let settle!: { resolve: (sync: boolean) => void; reject: (error: unknown) => void };
  const write: WriteProviderSync = () =>
    new Promise((resolve, reject) => {
      settle = { resolve: (sync) => resolve({ provider_sync: sync }), reject };
    });
  return { write, settle: () => settle };
}

const accepting: WriteProviderSync = async (_id, sync) => ({ provider_sync: sync });
const refusing: WriteProviderSync = async () => {
  throw new TkError('forbidden');
};

describe('CalendarSelection', () => {
  it('takes what Timekit syncs as the selection on load', () => {
    const selection = new CalendarSelection(() => {});
    selection.loaded([calendar('a', true), calendar('b', false)]);
    assert.deepEqual(selection.selected, ['a']);
    assert.equal(selection.differsFromSaved, false);
  });

  it('keeps a value set from code across a reload, and says it differs from Timekit', () => {
    const selection = new CalendarSelection(() => {});
    selection.setFromCode(['b']);
    selection.loaded([calendar('a', true), calendar('b', false)]);
    assert.deepEqual(selection.selected, ['b']);
    assert.equal(selection.differsFromSaved, true);
  });

  it('a saved toggle becomes what Timekit syncs', async () => {
    const selection = new CalendarSelection(() => {});
    selection.loaded([calendar('a', false)]);
    selection.toggle('a', true, false);
    assert.deepEqual(await selection.write('a', true, true, accepting), { saved: true });
    assert.equal(selection.differsFromSaved, false);
    assert.equal(selection.saving.size, 0);
  });

  it('a refused toggle rolls back and shows a row error with the value asked for', async () => {
    const selection = new CalendarSelection(() => {});
    selection.loaded([calendar('a', false)]);
    selection.toggle('a', true, false);
    const outcome = await selection.write('a', true, true, refusing);
    assert.equal(outcome.saved, false);
    assert.ok(!outcome.saved && !outcome.aborted && outcome.rolledBack && outcome.error.code === 'forbidden');
    assert.deepEqual(selection.selected, []);
    assert.equal(selection.rowErrors.get('a')?.sync, true);
  });

  it('without rollback (manual save) a refused write keeps the selection', async () => {
    const selection = new CalendarSelection(() => {});
    selection.loaded([calendar('a', false)]);
    selection.toggle('a', true, true);
    const outcome = await selection.write('a', true, false, refusing);
    assert.ok(!outcome.saved && !outcome.aborted && !outcome.rolledBack);
    assert.deepEqual(selection.selected, ['a']);
  });

  it("an older write's failure does not undo a newer toggle", async () => {
    const selection = new CalendarSelection(() => {});
    selection.loaded([calendar('a', false)]);
    const first = pendingWrite();
    selection.toggle('a', true, false);
    const older = selection.write('a', true, true, first.write);
    const firstSettle = first.settle();
    selection.toggle('a', false, false);
    const newer = selection.write('a', false, true, accepting);
    firstSettle.reject(new TkError('unavailable'));
    const outcome = await older;
    assert.ok(!outcome.saved && !outcome.aborted && !outcome.rolledBack);
    assert.equal(selection.rowErrors.has('a'), false);
    await newer;
    assert.deepEqual(selection.selected, []);
  });

  it('a reload during a write keeps what the user chose', async () => {
    const selection = new CalendarSelection(() => {});
    selection.loaded([calendar('a', false), calendar('b', true)]);
    const pending = pendingWrite();
    selection.toggle('a', true, false);
    const writing = selection.write('a', true, true, pending.write);
    assert.deepEqual([...selection.saving], ['a']);
    selection.loaded([calendar('a', false), calendar('b', true)]);
    assert.deepEqual([...selection.selected].sort(), ['a', 'b']);
    pending.settle().resolve(true);
    await writing;
    assert.equal(selection.differsFromSaved, false);
  });

  it('an aborted write reports nothing', async () => {
    const selection = new CalendarSelection(() => {});
    const aborting: WriteProviderSync = async () => {
      throw new DOMException('gone', 'AbortError');
    };
    assert.deepEqual(await selection.write('a', true, true, aborting), { saved: false, aborted: true });
    assert.equal(selection.rowErrors.size, 0);
  });

  it('lists the unsaved changes for a manual save', () => {
    const selection = new CalendarSelection(() => {});
    const calendars = [calendar('a', true), calendar('b', false)];
    selection.loaded(calendars);
    selection.toggle('a', false, true);
    selection.toggle('b', true, true);
    assert.deepEqual(
      selection.unsavedChanges(calendars).map(({ calendar: c, sync }) => [c.id, sync]),
      [['a', false], ['b', true]],
    );
  });

  it('a reset returns to what Timekit syncs, and the next reload replaces the selection again', () => {
    const selection = new CalendarSelection(() => {});
    selection.loaded([calendar('a', true), calendar('b', false)]);
    selection.toggle('b', true, true);
    selection.reset();
    assert.deepEqual(selection.selected, ['a']);
    selection.loaded([calendar('a', false), calendar('b', true)]);
    assert.deepEqual(selection.selected, ['b']);
  });

  it('a value given before the load keeps only the ids the calendars have, and answers the others', () => {
    const selection = new CalendarSelection(() => {});
    selection.setFromCode(['b', 'gone']);
    assert.deepEqual(selection.loaded([calendar('a', true), calendar('b', false)]), ['gone']);
    assert.deepEqual(selection.selected, ['b']);
  });

  it("a reload that drops Timekit's own ids reports none: no value was given", () => {
    const selection = new CalendarSelection(() => {});
    selection.loaded([calendar('a', true), calendar('b', false)]);
    assert.deepEqual(selection.loaded([calendar('b', false)]), []);
    assert.deepEqual(selection.selected, []);
  });

  it("a reset to the page's ids keeps them across the next reload", () => {
    const selection = new CalendarSelection(() => {});
    selection.loaded([calendar('a', true), calendar('b', false)]);
    selection.reset(['b']);
    selection.loaded([calendar('a', true), calendar('b', false)]);
    assert.deepEqual(selection.selected, ['b']);
  });
});
