/** PickerSelections: the union of what the pickers on one page picked, each picker's report its own. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PickerSelections } from '../../../src/session/picker-selections.js';

describe('PickerSelections', () => {
  it('is null until a picker reports', () => {
    assert.equal(new PickerSelections().union, null);
  });

  it('holds the union of every picker’s selection, each id once', () => {
    const selections = new PickerSelections();
    selections.set({}, ['a', 'b']);
    selections.set({}, ['b', 'c']);
    assert.deepEqual(selections.union, ['a', 'b', 'c']);
  });

  it('replaces a picker’s earlier report with its new one', () => {
    const selections = new PickerSelections();
    const picker = {};
    selections.set(picker, ['a']);
    selections.set(picker, ['b']);
    assert.deepEqual(selections.union, ['b']);
  });

  it('drops a picker that withdraws, and is null again when none is left', () => {
    const selections = new PickerSelections();
    const picker = {};
    selections.set(picker, ['a']);
    selections.set(picker, null);
    assert.equal(selections.union, null);
  });

  it('keeps an empty report apart from no report', () => {
    const selections = new PickerSelections();
    selections.set({}, []);
    assert.deepEqual(selections.union, []);
  });

  it('pick adds a calendar through the first picker that can, and answers false with none', () => {
    const selections = new PickerSelections();
    assert.equal(selections.pick('a'), false);
    const picked: string[] = [];
    const picker = {};
    selections.set({}, ['x']);
    selections.set(picker, [], (id) => picked.push(id));
    assert.equal(selections.pick('a'), true);
    assert.deepEqual(picked, ['a']);
    selections.set(picker, null);
    assert.equal(selections.pick('b'), false);
    assert.deepEqual(picked, ['a']);
  });
});
