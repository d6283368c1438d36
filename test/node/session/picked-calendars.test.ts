/** TkSession's picked calendar ids under their new names, and the deprecated ones still answering. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TkSession } from '../../../src/session/session-service.js';

const session = () => new TkSession({ fetchCredentials: async () => ({ status: 'signed-out' }) });

describe('TkSession: the calendar ids the pickers picked', () => {
  it('reportPickedCalendars fills pickedCalendarIds (the union of the pickers) and fires availability', () => {
    const s = session();
    let fired = 0;
    s.addEventListener('availability', () => fired++);
    const [first, second] = [{}, {}];
    s.reportPickedCalendars(first, ['a', 'b']);
    s.reportPickedCalendars(second, ['b', 'c']);
    assert.deepEqual([...(s.pickedCalendarIds ?? [])].sort(), ['a', 'b', 'c']);
    s.reportPickedCalendars(first, null);
    s.reportPickedCalendars(second, null);
    assert.equal(s.pickedCalendarIds, null);
    assert.equal(fired, 4);
  });

  it('the deprecated availability and setAvailability are the same', () => {
    const s = session();
    s.setAvailability({}, ['x']);
    assert.deepEqual(s.availability, ['x']);
    assert.deepEqual(s.pickedCalendarIds, ['x']);
  });
});
