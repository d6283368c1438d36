/**
 * Validation a user can see: a `required` picker with no value blocks the form's submit, and the
 * browser shows its own message on the picker's first calendar (the validity anchor, which it
 * focuses), or on the picker's label when there is no calendar to choose. Without an anchor the
 * browser blocks the submit with nothing shown ("An invalid form control … is not focusable").
 * And in `save="auto"` mode a `.value` from code that differs from Timekit's selection is shown
 * as unsaved, never passed off as saved.
 */
import { expect, fixtureSync, html } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-booking-target.js';
import '../../../src/tk-calendar-picker.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import { FakeSession, calendar } from '../helpers/fake-session.js';
import { hasState, part, waitForState } from '../helpers/dom.js';
import { BOOKING_TARGET, CALENDAR_PICKER, type PickerKind } from '../helpers/pickers.js';

async function sessionWith(list = [calendar({ name: 'Work' }), calendar({ name: 'Family' })]) {
  const session = new FakeSession();
  session.calendarList = list;
  await session.refresh();
  return session;
}

/** Submits `form` as a click on its button would; answers whether it went through. */
function submits(form: HTMLFormElement): boolean {
  let submitted = false;
  const onSubmit = (event: SubmitEvent) => {
    submitted = true;
    event.preventDefault();
  };
  form.addEventListener('submit', onSubmit);
  form.requestSubmit();
  form.removeEventListener('submit', onSubmit);
  return submitted;
}

/** What a `required` picker shows the user when the form is submitted with nothing chosen. */
function describeRequired(kind: PickerKind) {
  describe(`<${kind.tag} required>: the browser's message`, () => {
    it(`blocks the submit and puts the focus (and the browser's message) on the first ${kind.control}`, async () => {
      const session = await sessionWith();
      const form = fixtureSync<HTMLFormElement>(html`<form>
        ${kind.template({ session, name: 'calendars', required: true, manualSave: true })}
        <button>Save</button>
      </form>`);
      const el = form.querySelector(kind.tag)!;
      await waitForState(el, 'content', { message: 'no calendars shown' });
      kind.clear(el);
      await el.updateComplete;

      expect(submits(form), 'the form was submitted').to.equal(false);
      const first = el.shadowRoot!.querySelector(`input[type="${kind.control}"]`);
      expect(el.shadowRoot!.activeElement, `the first ${kind.control} has the focus`).to.equal(first);
      expect(document.activeElement).to.equal(el);
      expect(el.validationMessage).to.equal(kind.requiredMessage);
    });

    it('with nothing to choose (signed out), the label takes the message', async () => {
      const form = fixtureSync<HTMLFormElement>(html`<form>${kind.template({ name: 'calendars', required: true })}</form>`);
      const el = form.querySelector(kind.tag)!;
      await waitForState(el, 'signed-out');
      expect(submits(form)).to.equal(false);
      expect(el.shadowRoot!.activeElement).to.equal(part(el, 'label'));
      expect(part(el, 'label')!.tabIndex, 'out of the tab order').to.equal(-1);
    });
  });
}

describeRequired(CALENDAR_PICKER);
describeRequired(BOOKING_TARGET);

describe('<tk-calendar-picker save="auto">: a .value that differs from Timekit says so', () => {
  it('shows the value set from code with a notice and the unsynced state; none once they agree', async () => {
    const session = await sessionWith([calendar({ name: 'Work', provider_sync: true }), calendar({ name: 'Family', provider_sync: true })]);
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    try {
      // A controlled component's first render: an empty list, before the calendars load.
      const el = fixtureSync<TkCalendarPicker>(html`<tk-calendar-picker .session=${session} .value=${[]}></tk-calendar-picker>`);
      await waitForState(el, 'content');
      await el.updateComplete;
      expect(el.value).to.deep.equal([]);
      expect(hasState(el, 'unsynced')).to.equal(true);
      expect(part(el, 'warning')!.textContent).to.equal('Not saved: the calendar service counts a different selection.');
      // the console text comes from a chunk loaded on first need, so after the render
      await waitUntil(() => warnings.length > 0, 'no console warning');
      expect(warnings).to.have.length(1);
      expect(warnings[0]).to.contain('save="auto"').and.contain('provider_sync');

      el.value = session.calendarList.map((c) => c.id);
      await el.updateComplete;
      expect(hasState(el, 'unsynced')).to.equal(false);
      expect(part(el, 'warning')).to.equal(null);
      expect(warnings, 'one warning per element').to.have.length(1);
    } finally {
      console.warn = original;
    }
  });

  it('a user toggle that saves shows no notice; save="manual" never does', async () => {
    const session = await sessionWith([calendar({ name: 'Work' })]);
    const auto = fixtureSync<TkCalendarPicker>(html`<tk-calendar-picker .session=${session}></tk-calendar-picker>`);
    await waitForState(auto, 'content');
    auto.shadowRoot!.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    await waitUntil(() => !hasState(auto, 'saving'), 'still saving');
    expect(auto.value).to.have.length(1);
    expect(part(auto, 'warning')).to.equal(null);

    const manual = fixtureSync(html`<tk-calendar-picker save="manual" .session=${session} .value=${['not-synced']}></tk-calendar-picker>`);
    await waitForState(manual, 'content');
    expect(part(manual, 'warning')).to.equal(null);
  });
});
