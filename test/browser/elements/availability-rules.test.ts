// Wrappers that are not Lit elements mount with fixtureSync: open-wc's fixture waits an animation
// frame for them, and a background tab (two test files at a time) gets none.
import { expect, fixture, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-availability-rules.js';
import { TkAvailabilityRulesElement } from '../../../src/components/availability-rules/availability-rules.js';
import { TkChangeEvent, type TkRulesChangeDetail } from '../../../src/events/change.js';
import { TkErrorEvent } from '../../../src/events/error.js';
import { TkError } from '../../../src/session/errors.js';
import { provideTkSession } from '../../../src/session/session-context.js';
import type { TkAvailabilityRules, TkConstraint } from '../../../src/shared/constraints.js';
import { FAKE_TOKEN, FakeSession, readySession as readySessionResponse } from '../helpers/fake-session.js';
import { hasState, part, parts, waitForState } from '../helpers/dom.js';

const WEEKDAYS_9_TO_5: TkConstraint[] = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].map((day) => ({
  allow_day_and_time: { day, start: 9, end: 17 },
})) as TkConstraint[];

/** A ready session whose resource holds `rules` (or none: a new provider). */
async function readySession(rules?: TkAvailabilityRules) {
  const session = new FakeSession();
  if (rules) session.storedRules = { ...rules, saved: true };
  await session.become(session.next as never);
  return session;
}

/** A mounted element showing its rules. */
async function rulesElement(session?: FakeSession, attributes: { save?: 'manual' } = {}) {
  const el = await fixture<TkAvailabilityRulesElement>(html`<tk-availability-rules save=${attributes.save ?? 'auto'} .session=${session}></tk-availability-rules>`);
  if (session?.status === 'ready' && !session.holdRules) await waitForState(el, 'content');
  return el;
}

/** The weekday row of `day`. */
function day(el: Element, name: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(`[part~="day"][data-day="${name}"]`);
  if (!found) throw new Error(`no row for ${name}`);
  return found;
}

/** The native controls with part `name` inside `scope`, in document order. */
const controls = <T extends HTMLElement>(scope: Element, name: string) => [...scope.querySelectorAll<T>(`[part~="${name}"]`)];

/** Chooses `value` in a native select as a user does: the value, then `change`. */
function choose(select: HTMLSelectElement | HTMLInputElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

function shownRanges(el: Element, name: string): Array<[number, number]> {
  return controls<HTMLElement>(day(el, name), 'range').map((range) => [
    Number(range.querySelector<HTMLSelectElement>('[part~="start"]')!.value),
    Number(range.querySelector<HTMLSelectElement>('[part~="end"]')!.value),
  ]);
}

describe('<tk-availability-rules>', () => {
  it('is the registered class', () => {
    expect(document.createElement('tk-availability-rules')).to.be.instanceOf(TkAvailabilityRulesElement);
  });

  describe('states', () => {
    it('signed-out without a session: message part, state, disabled fieldset, accessible', async () => {
      const el = await rulesElement();
      expect(hasState(el, 'signed-out')).to.equal(true);
      expect(part(el, 'signed-out')!.textContent).to.contain('Connect a calendar account first');
      expect(part(el, 'base')!.hasAttribute('disabled')).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('loading: status part with a polite name, busy, accessible', async () => {
      const session = await readySession();
      session.holdRules = true;
      const el = await rulesElement(session);
      await waitUntil(() => session.rulesLoads.length === 1);
      expect(hasState(el, 'loading')).to.equal(true);
      expect(part(el, 'status')!.getAttribute('role')).to.equal('status');
      expect(part(el, 'status')!.textContent).to.contain('Loading working hours');
      expect(part(el, 'base')!.getAttribute('aria-busy')).to.equal('true');
      await expect(el).to.be.accessible();
    });

    it('error: alert with the message for the code, tk-error, a retry that loads, accessible', async () => {
      const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'Europe/Berlin' });
      session.holdRules = true;
      const el = await rulesElement(session);
      await waitUntil(() => session.rulesLoads.length === 1);
      const fired = oneEvent(el, 'tk-error');
      session.rulesLoads[0]!.deferred.reject(new TkError('unavailable'));
      const event = (await fired) as TkErrorEvent;
      expect(event).to.be.instanceOf(TkErrorEvent);
      expect(event.detail).to.deep.equal({ code: 'unavailable', message: 'The calendar service is unavailable right now.', retryable: true });
      await waitForState(el, 'error');
      expect(part(el, 'error')!.getAttribute('role')).to.equal('alert');
      await expect(el).to.be.accessible();

      session.holdRules = false;
      part(el, 'retry-button')!.click();
      await waitForState(el, 'content');
      expect(shownRanges(el, 'Monday')).to.deep.equal([[9, 17]]);
    });

    it('content: the saved hours per weekday with Intl weekday names, days off marked, accessible', async () => {
      const el = await rulesElement(
        await readySession({
          constraints: [{ allow_day_and_time: { day: 'Monday', start: 8, end: 12 } }, { allow_day_and_time: { day: 'Monday', start: 13, end: 18 } }],
          timezone: 'America/New_York',
        }),
      );
      expect(parts(el, 'day-name').map((name) => name.textContent)).to.deep.equal(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']);
      expect(shownRanges(el, 'Monday')).to.deep.equal([
        [8, 12],
        [13, 18],
      ]);
      expect(shownRanges(el, 'Tuesday')).to.deep.equal([]);
      expect(controls<HTMLInputElement>(day(el, 'Tuesday'), 'day-toggle')[0]!.checked).to.equal(false);
      expect(day(el, 'Tuesday').textContent).to.contain('Day off');
      expect(el.timezone).to.equal('America/New_York');
      expect(hasState(el, 'suggested')).to.equal(false);
      await expect(el).to.be.accessible();
    });
  });

  describe('a new provider', () => {
    it('starts from Monday–Friday 9–17 in their zone, shown as a suggestion and reported to the session', async () => {
      const session = await readySession();
      const el = await rulesElement(session);
      expect(hasState(el, 'suggested')).to.equal(true);
      expect(part(el, 'suggestion')!.textContent).to.contain('Suggested hours, not saved yet');
      expect(el.value).to.deep.equal(WEEKDAYS_9_TO_5);
      expect(el.timezone).to.equal('Europe/Berlin');
      expect(session.reportedRules.at(-1)).to.deep.equal({ constraints: WEEKDAYS_9_TO_5, timezone: 'Europe/Berlin' });
      expect(session.rulesSaves).to.have.length(0);
      await expect(el).to.be.accessible();
    });

    it('"Save these hours" writes the suggestion; the note goes and "Saved" shows', async () => {
      const session = await readySession();
      const el = await rulesElement(session);
      part(el, 'save-suggestion')!.click();
      await waitForState(el, 'saved');
      expect(session.rulesSaves.map((s) => s.rules)).to.deep.equal([{ constraints: WEEKDAYS_9_TO_5, timezone: 'Europe/Berlin' }]);
      expect(part(el, 'suggestion')).to.equal(null);
      expect(part(el, 'save-status')!.textContent).to.equal('Saved');
    });

    it('in manual mode the suggestion has no save button of its own', async () => {
      const el = await rulesElement(await readySession(), { save: 'manual' });
      expect(part(el, 'suggestion')).to.not.equal(null);
      expect(part(el, 'save-suggestion')).to.equal(null);
    });
  });

  describe('editing', () => {
    it('an hour change fires tk-change {constraints, timezone} and change, bubbling and composed, and reports the rules', async () => {
      const session = await readySession({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'Europe/Berlin' });
      const el = await rulesElement(session);
      const tkChange = oneEvent(el, 'tk-change');
      const change = oneEvent(el, 'change');
      choose(controls<HTMLSelectElement>(day(el, 'Monday'), 'end')[0]!, '18');
      const event = (await tkChange) as TkChangeEvent<TkRulesChangeDetail>;
      expect(event).to.be.instanceOf(TkChangeEvent);
      expect(event.bubbles && event.composed).to.equal(true);
      expect(event.detail).to.deep.equal({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 18 } }], timezone: 'Europe/Berlin' });
      expect((await change).bubbles).to.equal(true);
      expect(session.reportedRules.at(-1)).to.deep.equal(event.detail);
    });

    it('adds a second range to a day and removes one', async () => {
      const el = await rulesElement(await readySession({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 12 } }], timezone: 'UTC' }));
      controls(day(el, 'Monday'), 'add-range')[0]!.click();
      await el.updateComplete;
      expect(shownRanges(el, 'Monday')).to.deep.equal([
        [9, 12],
        [12, 13],
      ]);
      controls(day(el, 'Monday'), 'remove')[0]!.click();
      await el.updateComplete;
      expect(shownRanges(el, 'Monday')).to.deep.equal([[12, 13]]);
      expect(el.value).to.deep.equal([{ allow_day_and_time: { day: 'Monday', start: 12, end: 13 } }]);
    });

    it('unchecking a day makes it a day off; checking it again brings its hours back', async () => {
      const el = await rulesElement(await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' }));
      const toggle = controls<HTMLInputElement>(day(el, 'Wednesday'), 'day-toggle')[0]!;
      toggle.click();
      await el.updateComplete;
      expect(el.value.some((c) => 'allow_day_and_time' in c && c.allow_day_and_time.day === 'Wednesday')).to.equal(false);
      toggle.click();
      await el.updateComplete;
      expect(shownRanges(el, 'Wednesday')).to.deep.equal([[9, 17]]);
    });

    it('copies Monday to all weekdays', async () => {
      const el = await rulesElement(
        await readySession({
          constraints: [{ allow_day_and_time: { day: 'Monday', start: 8, end: 12 } }, { allow_day_and_time: { day: 'Monday', start: 14, end: 16 } }, { allow_day_and_time: { day: 'Saturday', start: 10, end: 11 } }],
          timezone: 'UTC',
        }),
      );
      part(el, 'copy-to-weekdays')!.click();
      await el.updateComplete;
      for (const name of ['Tuesday', 'Wednesday', 'Thursday', 'Friday']) {
        expect(shownRanges(el, name)).to.deep.equal([
          [8, 12],
          [14, 16],
        ]);
      }
      expect(shownRanges(el, 'Saturday')).to.deep.equal([[10, 11]]);
    });

    it('setting .value or .timezone from code fires nothing and saves nothing', async () => {
      const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
      const el = await rulesElement(session);
      let fired = 0;
      el.addEventListener('tk-change', () => fired++);
      el.addEventListener('change', () => fired++);
      el.value = [{ allow_day_and_time: { day: 'Sunday', start: 10, end: 14 } }];
      el.timezone = 'Asia/Tokyo';
      await el.updateComplete;
      expect(shownRanges(el, 'Sunday')).to.deep.equal([[10, 14]]);
      expect(part(el, 'timezone')!.querySelector<HTMLOptionElement>('option:checked')!.value).to.equal('Asia/Tokyo');
      // past the save pause: still nothing written
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(fired).to.equal(0);
      expect(session.rulesSaves).to.have.length(0);
    });

    it('keeps constraints it does not edit as they came', async () => {
      const kept: TkConstraint[] = [{ block_weekends: {} }, { allow_hours: { start: 8, end: 20 } }];
      const el = await rulesElement(await readySession({ constraints: [...kept, { allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'UTC' }));
      choose(controls<HTMLSelectElement>(day(el, 'Monday'), 'start')[0]!, '10');
      await el.updateComplete;
      expect(el.value).to.deep.equal([{ allow_day_and_time: { day: 'Monday', start: 10, end: 17 } }, ...kept]);
    });
  });

  describe('time zone', () => {
    it("lists the engine's zones with their offset now, and names the chosen zone with its offset", async () => {
      const el = await rulesElement(await readySession({ constraints: [], timezone: 'Asia/Kolkata' }));
      const select = part(el, 'timezone') as HTMLSelectElement;
      const kolkata = [...select.options].find((o) => o.value === 'Asia/Kolkata');
      const zones = Intl.supportedValuesOf('timeZone');
      expect(select.options.length).to.be.at.least(zones.length);
      // Kolkata has kept UTC+5:30 all year since 1945: the offset is known without a date
      expect(kolkata!.textContent).to.equal('Asia/Kolkata (GMT+05:30)');
      expect(kolkata!.selected).to.equal(true);
      expect(part(el, 'zone-name')!.textContent).to.contain('India Standard Time');
      expect(part(el, 'zone-name')!.textContent).to.contain('GMT+05:30');
    });

    it('choosing a zone fires tk-change with it, and time off keeps its local dates in the new zone', async () => {
      const el = await rulesElement(
        await readySession({ constraints: [{ block_period: { start: '2026-12-24T00:00:00+01:00', end: '2026-12-27T00:00:00+01:00' } }], timezone: 'Europe/Berlin' }),
      );
      const changed = oneEvent(el, 'tk-change');
      choose(part(el, 'timezone') as HTMLSelectElement, 'Asia/Tokyo');
      const { detail } = (await changed) as TkChangeEvent<TkRulesChangeDetail>;
      expect(detail.timezone).to.equal('Asia/Tokyo');
      expect(detail.constraints).to.deep.equal([{ block_period: { start: '2026-12-24T00:00:00+09:00', end: '2026-12-27T00:00:00+09:00' } }]);
    });
  });

  describe('time off and extra hours', () => {
    it('whole days off become one block_period from midnight to the midnight after the last day, in the zone', async () => {
      const el = await rulesElement(await readySession({ constraints: [], timezone: 'Europe/Berlin' }));
      part(el, 'add-time-off')!.click();
      await el.updateComplete;
      const [from, until] = controls<HTMLInputElement>(part(el, 'period')!, 'date');
      choose(from!, '2026-07-01');
      await el.updateComplete;
      choose(until!, '2026-07-03');
      await el.updateComplete;
      expect(el.value).to.deep.equal([{ block_period: { start: '2026-07-01T00:00:00+02:00', end: '2026-07-04T00:00:00+02:00' } }]);
    });

    it('part days off run from an hour on the first day to an hour on the last', async () => {
      const el = await rulesElement(await readySession({ constraints: [], timezone: 'Europe/Berlin' }));
      part(el, 'add-time-off')!.click();
      await el.updateComplete;
      const period = part(el, 'period')!;
      const [from, until] = controls<HTMLInputElement>(period, 'date');
      choose(from!, '2026-01-15');
      choose(until!, '2026-01-15');
      (period.querySelector('[part~="whole-days"]') as HTMLInputElement).click();
      await el.updateComplete;
      choose(controls<HTMLSelectElement>(period, 'start')[0]!, '13');
      await el.updateComplete;
      choose(controls<HTMLSelectElement>(period, 'end')[0]!, '15');
      await el.updateComplete;
      expect(el.value).to.deep.equal([{ block_period: { start: '2026-01-15T13:00:00+01:00', end: '2026-01-15T15:00:00+01:00' } }]);
    });

    it('extra hours on a date become an allow_period', async () => {
      const el = await rulesElement(await readySession({ constraints: [], timezone: 'America/New_York' }));
      part(el, 'add-extra-hours')!.click();
      await el.updateComplete;
      const extra = part(el, 'extra')!;
      choose(controls<HTMLInputElement>(extra, 'date')[0]!, '2026-03-07');
      await el.updateComplete;
      choose(controls<HTMLSelectElement>(extra, 'start')[0]!, '10');
      await el.updateComplete;
      choose(controls<HTMLSelectElement>(extra, 'end')[0]!, '14');
      await el.updateComplete;
      expect(el.value).to.deep.equal([{ allow_period: { start: '2026-03-07T10:00:00-05:00', end: '2026-03-07T14:00:00-05:00' } }]);
    });

    it('shows saved time off and extra hours as rows again', async () => {
      const el = await rulesElement(
        await readySession({
          constraints: [
            { block_period: { start: '2026-08-03T00:00:00+02:00', end: '2026-08-15T00:00:00+02:00' } },
            { allow_period: { start: '2026-08-22T10:00:00+02:00', end: '2026-08-22T13:00:00+02:00' } },
          ],
          timezone: 'Europe/Berlin',
        }),
      );
      expect(controls<HTMLInputElement>(part(el, 'period')!, 'date').map((input) => input.value)).to.deep.equal(['2026-08-03', '2026-08-14']);
      expect((part(el, 'period')!.querySelector('[part~="whole-days"]') as HTMLInputElement).checked).to.equal(true);
      expect(controls<HTMLInputElement>(part(el, 'extra')!, 'date')[0]!.value).to.equal('2026-08-22');
      expect(controls<HTMLSelectElement>(part(el, 'extra')!, 'end')[0]!.value).to.equal('13');
    });
  });

  describe('rows with problems', () => {
    it('a range that ends before it starts shows an announced error on its row, and nothing is fired or saved', async () => {
      const session = await readySession({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'UTC' });
      const el = await rulesElement(session);
      let fired = 0;
      el.addEventListener('tk-change', () => fired++);
      const reportsBefore = session.reportedRules.length;
      const start = controls<HTMLSelectElement>(day(el, 'Monday'), 'start')[0]!;
      choose(start, '18');
      await el.updateComplete;
      const error = controls<HTMLElement>(day(el, 'Monday'), 'row-error')[0]!;
      expect(error.getAttribute('role')).to.equal('alert');
      expect(error.textContent).to.equal('This ends before it starts.');
      expect(start.getAttribute('aria-invalid')).to.equal('true');
      expect(start.getAttribute('aria-describedby')).to.equal(error.id);
      expect(hasState(el, 'invalid')).to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // past the save pause
      expect(fired).to.equal(0);
      expect(session.rulesSaves).to.have.length(0);
      expect(session.reportedRules.length).to.equal(reportsBefore);
      expect(el.value).to.deep.equal([{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }]);
      await expect(el).to.be.accessible();
    });

    it('overlapping ranges on a day show the error on each', async () => {
      const el = await rulesElement(
        await readySession({
          constraints: [{ allow_day_and_time: { day: 'Friday', start: 9, end: 12 } }, { allow_day_and_time: { day: 'Friday', start: 13, end: 17 } }],
          timezone: 'UTC',
        }),
      );
      choose(controls<HTMLSelectElement>(day(el, 'Friday'), 'start')[1]!, '11');
      await el.updateComplete;
      expect(controls(day(el, 'Friday'), 'row-error').map((e) => e.textContent)).to.deep.equal([
        'This overlaps other hours on the same day.',
        'This overlaps other hours on the same day.',
      ]);
    });

    it('time off that ends before it starts is marked too', async () => {
      const el = await rulesElement(await readySession({ constraints: [], timezone: 'UTC' }));
      part(el, 'add-time-off')!.click();
      await el.updateComplete;
      const [from, until] = controls<HTMLInputElement>(part(el, 'period')!, 'date');
      choose(from!, '2026-05-10');
      choose(until!, '2026-05-08');
      await el.updateComplete;
      expect(controls(part(el, 'period')!, 'row-error')[0]!.textContent).to.equal('This ends before it starts.');
      expect(hasState(el, 'invalid')).to.equal(true);
    });
  });

  describe('saving', () => {
    it('save="auto": a burst of edits is written once, after the pause, with the saving and then the saved state', async () => {
      const session = await readySession({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'UTC' });
      session.holdRulesSave = true;
      const el = await rulesElement(session);
      const end = () => controls<HTMLSelectElement>(day(el, 'Monday'), 'end')[0]!;
      choose(end(), '18');
      await el.updateComplete;
      choose(end(), '19');
      await el.updateComplete;
      choose(end(), '20');
      await waitUntil(() => session.rulesSaves.length === 1, 'no save after the pause');
      await waitForState(el, 'saving');
      expect(part(el, 'save-status')!.textContent).to.equal('Saving…');
      expect(session.rulesSaves[0]!.rules).to.deep.equal({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 20 } }], timezone: 'UTC' });
      session.rulesSaves[0]!.deferred.resolve(session.rulesSaves[0]!.rules);
      await waitForState(el, 'saved');
      expect(part(el, 'save-status')!.textContent).to.equal('Saved');
      expect(part(el, 'save-status')!.getAttribute('role')).to.equal('status');
      expect(session.rulesSaves).to.have.length(1);
    });

    it('a refused save undoes the change visibly, with tk-change alone, tk-error and a retry that saves it', async () => {
      const session = await readySession({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'UTC' });
      session.failRulesSave = new TkError('unavailable');
      const el = await rulesElement(session);
      const events: string[] = [];
      el.addEventListener('change', () => events.push('change'));
      el.addEventListener('tk-change', (e) => events.push(`tk-change ${JSON.stringify((e as TkChangeEvent<TkRulesChangeDetail>).detail.constraints)}`));
      const failed = oneEvent(el, 'tk-error');
      choose(controls<HTMLSelectElement>(day(el, 'Monday'), 'end')[0]!, '18');
      expect(((await failed) as TkErrorEvent).detail.code).to.equal('unavailable');
      await waitForState(el, 'save-error');
      expect(shownRanges(el, 'Monday')).to.deep.equal([[9, 17]]);
      expect(el.value).to.deep.equal([{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }]);
      expect(part(el, 'save-error')!.getAttribute('role')).to.equal('alert');
      expect(part(el, 'save-error')!.textContent).to.contain('could not be saved and was undone');
      expect(events).to.deep.equal([
        `tk-change ${JSON.stringify([{ allow_day_and_time: { day: 'Monday', start: 9, end: 18 } }])}`,
        'change',
        `tk-change ${JSON.stringify([{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }])}`,
      ]);
      await expect(el).to.be.accessible();

      session.failRulesSave = undefined;
      part(el, 'save-error')!.querySelector<HTMLButtonElement>('[part~="retry-button"]')!.click();
      await waitForState(el, 'saved');
      expect(shownRanges(el, 'Monday')).to.deep.equal([[9, 18]]);
      expect(session.storedRules.constraints).to.deep.equal([{ allow_day_and_time: { day: 'Monday', start: 9, end: 18 } }]);
      expect(part(el, 'save-error')).to.equal(null);
    });

    it('save="manual" writes nothing by itself; .save() writes the rules shown', async () => {
      const session = await readySession({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'UTC' });
      const el = await rulesElement(session, { save: 'manual' });
      choose(controls<HTMLSelectElement>(day(el, 'Monday'), 'end')[0]!, '16');
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // past the save pause
      expect(session.rulesSaves).to.have.length(0);
      expect(await el.save()).to.equal(true);
      expect(session.storedRules.constraints).to.deep.equal([{ allow_day_and_time: { day: 'Monday', start: 9, end: 16 } }]);
    });

    it('.save() with a row that has a problem resolves false and writes nothing', async () => {
      const session = await readySession({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'UTC' });
      const el = await rulesElement(session, { save: 'manual' });
      choose(controls<HTMLSelectElement>(day(el, 'Monday'), 'end')[0]!, '8');
      await el.updateComplete;
      expect(await el.save()).to.equal(false);
      expect(session.rulesSaves).to.have.length(0);
    });
  });

  it('another resource signing in replaces rules the page had set with its own', async () => {
    const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
    const el = await rulesElement(session);
    el.value = [{ allow_day_and_time: { day: 'Sunday', start: 10, end: 14 } }];
    session.storedRules = { constraints: [{ allow_day_and_time: { day: 'Tuesday', start: 7, end: 9 } }], timezone: 'Asia/Tokyo', saved: true };
    await session.become(readySessionResponse({ resourceId: 'res-2' }));
    await waitUntil(() => el.timezone === 'Asia/Tokyo', 'the other resource never showed');
    expect(el.value).to.deep.equal([{ allow_day_and_time: { day: 'Tuesday', start: 7, end: 9 } }]);
  });

  it('an edit still waiting for its pause is written when the element leaves the page', async () => {
    const session = await readySession({ constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }], timezone: 'UTC' });
    const el = await rulesElement(session);
    choose(controls<HTMLSelectElement>(day(el, 'Monday'), 'end')[0]!, '12');
    el.remove();
    await waitUntil(() => session.rulesSaves.length === 1, 'not written');
    expect(session.storedRules.constraints).to.deep.equal([{ allow_day_and_time: { day: 'Monday', start: 9, end: 12 } }]);
  });

  describe('context', () => {
    it('gets the session from a provider, and reports null when it leaves the page', async () => {
      const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
      const wrap = fixtureSync<HTMLElement>(html`<div><tk-availability-rules></tk-availability-rules></div>`);
      provideTkSession(wrap, session);
      const el = wrap.querySelector('tk-availability-rules')!;
      await waitForState(el, 'content');
      expect(session.reportedRules.at(-1)).to.deep.equal({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
      el.remove();
      expect(session.reportedRules.at(-1)).to.equal(null);
    });
  });

  it('works by keyboard: Tab reaches the controls, Space makes a day a day off', async () => {
    const el = await rulesElement(await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' }));
    const changed = oneEvent(el, 'tk-change');
    (part(el, 'timezone') as HTMLSelectElement).focus();
    await sendKeys({ press: 'Tab' });
    expect(el.shadowRoot!.activeElement).to.equal(controls(day(el, 'Monday'), 'day-toggle')[0]);
    await sendKeys({ press: ' ' });
    const { detail } = (await changed) as TkChangeEvent<TkRulesChangeDetail>;
    expect(detail.constraints).to.deep.equal(WEEKDAYS_9_TO_5.slice(1));
  });

  describe('form association', () => {
    /** A `required` manual-save element named `hours` in a fieldset of a form. */
    async function inForm(value?: string) {
      const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
      const form = fixtureSync<HTMLFormElement>(html`<form>
        <fieldset><tk-availability-rules name="hours" required save="manual" value=${value ?? ''} .session=${session}></tk-availability-rules></fieldset>
      </form>`);
      const el = form.querySelector('tk-availability-rules')!;
      await waitForState(el, 'content');
      return { form, el, session };
    }

    it('submits {constraints, timezone} as JSON under its name', async () => {
      const { form } = await inForm();
      expect(JSON.parse(new FormData(form).get('hours') as string)).to.deep.equal({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
    });

    it('takes back the JSON the browser restores (bfcache, autofill) as its rules and form data', async () => {
      const { form, el } = await inForm();
      const kept = JSON.stringify({ constraints: [{ allow_day_and_time: { day: 'Sunday', start: 8, end: 11 } }], timezone: 'Europe/Oslo' });
      el.formStateRestoreCallback(kept);
      await el.updateComplete;
      expect(shownRanges(el, 'Sunday')).to.deep.equal([[8, 11]]);
      expect(el.timezone).to.equal('Europe/Oslo');
      expect(new FormData(form).get('hours')).to.equal(kept);
    });

    it('required: no bookable hours makes the form invalid, with the message', async () => {
      const { form, el } = await inForm();
      el.value = [];
      await el.updateComplete;
      expect(form.checkValidity()).to.equal(false);
      expect(el.validationMessage).to.equal('Add at least one range of bookable hours.');
    });

    it('a row with a problem makes the form invalid', async () => {
      const { form, el } = await inForm();
      choose(controls<HTMLSelectElement>(day(el, 'Monday'), 'end')[0]!, '8');
      await el.updateComplete;
      expect(form.checkValidity()).to.equal(false);
      expect(el.validationMessage).to.equal('Fix the marked hours to save them.');
    });

    it('a server-rendered value attribute is shown instead of the loaded rules, and a reset returns to it', async () => {
      const rendered = JSON.stringify({ constraints: [{ allow_day_and_time: { day: 'Saturday', start: 10, end: 12 } }], timezone: 'Asia/Tokyo' });
      const { form, el } = await inForm(rendered);
      expect(shownRanges(el, 'Saturday')).to.deep.equal([[10, 12]]);
      expect(el.timezone).to.equal('Asia/Tokyo');
      choose(controls<HTMLSelectElement>(day(el, 'Saturday'), 'end')[0]!, '15');
      await el.updateComplete;
      form.reset();
      await el.updateComplete;
      expect(shownRanges(el, 'Saturday')).to.deep.equal([[10, 12]]);
      expect(new FormData(form).get('hours')).to.equal(rendered);
    });

    it("without a value attribute the form's reset returns to the loaded rules", async () => {
      const { form, el } = await inForm();
      el.value = [];
      await el.updateComplete;
      form.reset();
      await el.updateComplete;
      expect(el.value).to.deep.equal(WEEKDAYS_9_TO_5);
      expect(form.checkValidity()).to.equal(true);
    });

    it('a disabled fieldset disables every control and leaves the value out of the form data', async () => {
      const { form, el } = await inForm();
      form.querySelector('fieldset')!.disabled = true;
      await el.updateComplete;
      expect(part(el, 'base')!.matches(':disabled')).to.equal(true);
      expect(controls<HTMLSelectElement>(day(el, 'Monday'), 'start')[0]!.matches(':disabled')).to.equal(true);
      expect(new FormData(form).get('hours')).to.equal(null);
    });
  });

  describe('localisation', () => {
    it('German: weekday names and times from Intl, strings from the German table', async () => {
      const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'Europe/Berlin' });
      const wrap = fixtureSync(html`<div lang="de"><tk-availability-rules .session=${session}></tk-availability-rules></div>`);
      const el = wrap.querySelector('tk-availability-rules')!;
      await waitForState(el, 'content');
      // German is a separate chunk, fetched on first use
      await waitUntil(() => part(el, 'label')!.textContent === 'Arbeitszeiten', 'no German');
      expect(part(el, 'day-name')!.textContent).to.equal('Montag');
      expect(controls<HTMLSelectElement>(day(el, 'Monday'), 'start')[0]!.selectedOptions[0]!.textContent).to.equal('09:00');
      expect(part(el, 'copy-to-weekdays')!.textContent).to.equal('Montag auf alle Werktage übertragen');
    });

    it('Spanish, and a strings override', async () => {
      const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'Europe/Madrid' });
      const wrap = fixtureSync(html`<div lang="es"><tk-availability-rules .session=${session}></tk-availability-rules></div>`);
      const el = wrap.querySelector('tk-availability-rules')!;
      await waitForState(el, 'content');
      await waitUntil(() => part(el, 'label')!.textContent === 'Horario de trabajo', 'no Spanish');
      expect(part(el, 'day-name')!.textContent).to.equal('lunes');
      el.strings = { rulesLabel: 'Mi horario' };
      await el.updateComplete;
      expect(part(el, 'label')!.textContent).to.equal('Mi horario');
    });

    it('a lang that is no language tag (a POSIX "C") falls back to English', async () => {
      const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
      const wrap = fixtureSync(html`<div lang="C"><tk-availability-rules .session=${session}></tk-availability-rules></div>`);
      const el = wrap.querySelector('tk-availability-rules')!;
      await waitForState(el, 'content');
      expect(part(el, 'day-name')!.textContent).to.equal('Monday');
    });

    it('English writes times with the day period', async () => {
      const el = await rulesElement(await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' }));
      expect(controls<HTMLSelectElement>(day(el, 'Monday'), 'end')[0]!.selectedOptions[0]!.textContent).to.equal('5:00 PM');
    });
  });

  it('a --tk-* property on an ancestor changes a part', async () => {
    const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
    const wrap = fixtureSync(html`<div style="--tk-rules-day-background: rgb(1, 2, 3)"><tk-availability-rules .session=${session}></tk-availability-rules></div>`);
    const el = wrap.querySelector('tk-availability-rules')!;
    await waitForState(el, 'content');
    expect(getComputedStyle(part(el, 'day')!).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  it('dir="rtl" mirrors the layout: the day name sits at the right of its hours', async () => {
    const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
    const wrap = fixtureSync(html`<div dir="rtl" style="inline-size: 40em"><tk-availability-rules .session=${session}></tk-availability-rules></div>`);
    const el = wrap.querySelector('tk-availability-rules')!;
    await waitForState(el, 'content');
    const name = part(el, 'day-name')!.getBoundingClientRect();
    const range = part(el, 'range')!.getBoundingClientRect();
    expect(name.left).to.be.greaterThan(range.right);
    await expect(el).to.be.accessible();
  });

  it('never shows the token in attributes, DOM, event details or the rules it reports', async () => {
    const session = await readySession({ constraints: WEEKDAYS_9_TO_5, timezone: 'UTC' });
    const el = await rulesElement(session);
    const details: unknown[] = [];
    el.addEventListener('tk-change', (e) => details.push(e.detail));
    choose(controls<HTMLSelectElement>(day(el, 'Monday'), 'end')[0]!, '18');
    await el.updateComplete;
    expect(details).to.have.length(1);
    expect(JSON.stringify([details, session.reportedRules])).to.not.contain(FAKE_TOKEN);
    expect(el.outerHTML + el.shadowRoot!.innerHTML).to.not.contain(FAKE_TOKEN);
  });
});
