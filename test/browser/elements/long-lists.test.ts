/**
 * Both pickers with many calendars (issue #21, items 5 and 6): bounded height, the filter, "N of M
 * chosen" and "Show chosen only", clamped names with the full name kept, one Tab stop with arrow
 * keys inside, only the rows on screen rendered for long lists (form value intact), and target
 * sizes in a phone-sized layout.
 */
import { expect, fixtureSync, html, oneEvent } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import type { TkBookingTarget } from '../../../src/components/booking-target/booking-target.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import type { TimekitCalendar } from '../../../src/shared/timekit.js';
import { FakeSession, calendar } from '../helpers/fake-session.js';
import { BOOKING_TARGET, CALENDAR_PICKER, PICKERS, type PickerAttributes, type PickerKind } from '../helpers/pickers.js';
import { part, parts, rowControl, waitForState } from '../helpers/dom.js';
import { waitUntil } from '../helpers/wait.js';

/** `n` calendars named "Team 0" … in name order ("Team 0001" sorts as shown). */
const many = (n: number, fields: (i: number) => Partial<TimekitCalendar> = () => ({})) =>
  Array.from({ length: n }, (_, i) => calendar({ name: `Team ${String(i).padStart(4, '0')}`, ...fields(i) }));

async function sessionWith(calendars: TimekitCalendar[]) {
  const session = new FakeSession();
  session.calendarList = calendars;
  await session.become(session.next as never);
  return session;
}

/** A form with a button before and after the picker, mounted; resolves once the picker shows calendars. */
async function inForm<El extends TkCalendarPicker | TkBookingTarget>(kind: PickerKind<El>, calendars: TimekitCalendar[], attributes: PickerAttributes = {}, width = '40rem') {
  const session = await sessionWith(calendars);
  const form = fixtureSync<HTMLFormElement>(html`<form style="inline-size: ${width}">
    <button type="button" id="before">before</button>${kind.template({ session, name: 'cal', ...attributes }) as TemplateResult}<button type="button" id="after">after</button>
  </form>`);
  const el = form.querySelector<El>(kind.tag)!;
  await waitForState(el, 'content');
  return { form, el, session };
}

/**
 * A 375 × 667 viewport (or back to 800 × 600). wtr's setViewport drives puppeteer (Chromium,
 * Firefox); this WebKit runs under WebDriver, which it does not support: there the 375 px wide
 * form alone gives the phone layout (the pickers' rules do not depend on the viewport).
 */
async function phoneViewport(on: boolean) {
  const webkit = !navigator.userAgent.includes('Chrome') && !navigator.userAgent.includes('Firefox');
  if (!webkit) await setViewport(on ? { width: 375, height: 667 } : { width: 800, height: 600 });
}

/** The element the picker's shadow root has focused (`null` when the focus is outside it). */
const focusedIn = (el: Element) => el.shadowRoot!.activeElement;
const focusedRowId = (el: Element) => focusedIn(el)?.closest<HTMLElement>('[data-id]')?.dataset['id'];

/** Waits until a long list is virtualized (the virtualizer is loaded lazily, and renders in its own tasks). */
const virtualized = (el: Element) => waitUntil(() => el.shadowRoot!.querySelector('[role=listitem] [part~=option]') !== null, 'the long list was not virtualized', { timeout: 10_000 });

describe('long lists', () => {
  for (const kind of PICKERS) {
    describe(`<${kind.tag}>`, () => {
      it('is bounded: 40 or 1,000 calendars make the same height, the list scrolls inside; 3 calendars need no scrollbar', async () => {
        const forty = await inForm(kind, many(40));
        const thousand = await inForm(kind, many(1000));
        const few = await inForm(kind, many(3));
        const height = (el: Element) => el.getBoundingClientRect().height;
        expect(height(thousand.el)).to.be.closeTo(height(forty.el), 1);
        const scroller = part(thousand.el, 'scroller')!;
        expect(scroller.scrollHeight).to.be.greaterThan(scroller.clientHeight);
        // 20rem by default, the filter (and count) above it
        expect(height(thousand.el)).to.be.below(30 * 16);
        const small = part(few.el, 'scroller')!;
        expect(small.scrollHeight).to.be.at.most(small.clientHeight + 1);
        thousand.el.style.setProperty('--tk-picker-max-height', '10rem');
        expect(part(thousand.el, 'scroller')!.getBoundingClientRect().height).to.be.closeTo(10 * 16, 1);
      });

      it('clamps a long name to two lines; the full name is in its title, the label (accessible name) and shows on focus', async () => {
        const long = `Quarterly planning ${'and budget review '.repeat(28)}end`;
        const { el, session } = await inForm(kind, [calendar({ name: long }), calendar({ name: 'Work' })], {}, '20rem');
        const id = session.calendarList[0]!.id;
        const name = el.shadowRoot!.querySelector<HTMLElement>(`[data-id="${id}"] [part~=name]`)!;
        const lineHeight = parseFloat(getComputedStyle(name).lineHeight) || 1.2 * parseFloat(getComputedStyle(name).fontSize);
        const clamped = name.getBoundingClientRect().height;
        expect(clamped).to.be.at.most(2 * lineHeight + 2);
        expect(name.title).to.equal(long);
        expect(name.closest('label')!.textContent).to.contain(long);
        rowControl(el, id).focus();
        await waitUntil(() => name.getBoundingClientRect().height > 4 * lineHeight, 'the focused row did not show its full name');
        await expect(el).to.be.accessible();
      });

      it('is one Tab stop: Tab reaches the filter first, then the list; arrows, Home and End move inside; Tab leaves', async () => {
        const { form, el, session } = await inForm(kind, many(30));
        const ids = session.calendarList.map((c) => c.id);
        form.querySelector<HTMLButtonElement>('#before')!.focus();
        await sendKeys({ press: 'Tab' });
        expect(focusedIn(el)).to.equal(part(el, 'filter'));
        if (kind === CALENDAR_PICKER) {
          await sendKeys({ press: 'Tab' });
          expect(focusedIn(el)).to.equal(part(el, 'show-chosen'));
        }
        await sendKeys({ press: 'Tab' });
        expect(focusedRowId(el)).to.equal(ids[0]);
        await sendKeys({ press: 'ArrowDown' });
        await waitUntil(() => focusedRowId(el) === ids[1], 'ArrowDown did not move to the second row');
        await sendKeys({ press: 'End' });
        await waitUntil(() => focusedRowId(el) === ids[29], 'End did not move to the last row');
        await sendKeys({ press: 'ArrowUp' });
        await waitUntil(() => focusedRowId(el) === ids[28], 'ArrowUp did not move up');
        await sendKeys({ press: 'Home' });
        await waitUntil(() => focusedRowId(el) === ids[0], 'Home did not move to the first row');
        expect(parts(el, kind.control).filter((c) => c.tabIndex === 0)).to.have.length(1);
        await sendKeys({ press: 'Tab' });
        expect(document.activeElement).to.equal(form.querySelector('#after'));
      });

      it('renders only the rows on screen with 1,000 calendars; End reaches the last; an unrendered chosen calendar still submits; accessible', async () => {
        const calendars = many(1000);
        const last = calendars[999]!;
        const { form, el } = await inForm(kind, calendars);
        await virtualized(el);
        const rendered = parts(el, 'option').length;
        expect(rendered).to.be.within(1, 100);
        const item = el.shadowRoot!.querySelector('[role=listitem]')!;
        expect(item.getAttribute('aria-setsize')).to.equal('1000');
        expect(item.getAttribute('aria-posinset')).to.equal('1');
        if (kind === CALENDAR_PICKER) (el as TkCalendarPicker).value = [last.id];
        else (el as TkBookingTarget).value = last.id;
        await el.updateComplete;
        expect(el.shadowRoot!.querySelector(`[data-id="${last.id}"]`)).to.equal(null);
        expect(new FormData(form).getAll('cal')).to.deep.equal([last.id]);
        await expect(el).to.be.accessible();

        // Tab lands on the first row, or the booking target's chosen one: the virtualizer renders it first
        form.querySelector<HTMLButtonElement>('#before')!.focus();
        await sendKeys({ press: 'Tab' }); // filter
        if (kind === CALENDAR_PICKER) await sendKeys({ press: 'Tab' }); // show chosen only
        await sendKeys({ press: 'Tab' });
        const start = kind === BOOKING_TARGET ? last.id : calendars[0]!.id;
        await waitUntil(() => focusedRowId(el) === start, 'Tab did not reach the list', { timeout: 10_000 });
        await sendKeys({ press: 'Home' });
        await waitUntil(() => focusedRowId(el) === calendars[0]!.id, 'Home did not reach the first row', { timeout: 10_000 });
        await sendKeys({ press: 'End' });
        await waitUntil(() => focusedRowId(el) === last.id, 'End did not reach the last row', { timeout: 10_000 });
        const scroller = part(el, 'scroller')!.getBoundingClientRect();
        const focused = focusedIn(el)!.getBoundingClientRect();
        expect(focused.top).to.be.at.least(scroller.top - 1);
        expect(focused.bottom).to.be.at.most(scroller.bottom + 1);
      });

      it('scrolled away from its Tab stop row with the wheel, the list keeps its Tab stop: the scroller takes it and hands it on to the row', async () => {
        const calendars = many(1000);
        const first = calendars[0]!.id;
        const { form, el } = await inForm(kind, calendars);
        await virtualized(el);
        const scroller = part(el, 'scroller')!;
        expect(scroller.tabIndex).to.equal(-1);
        // Only the virtualizer renders as the list scrolls, not the picker: its range event moves the Tab stop.
        scroller.scrollTop = scroller.scrollHeight;
        await waitUntil(() => el.shadowRoot!.querySelector(`[data-id="${first}"]`) === null, 'the first row stayed rendered', { timeout: 10_000 });
        await waitUntil(() => scroller.tabIndex === 0, 'the scroller did not take the Tab stop', { timeout: 10_000 });

        form.querySelector<HTMLButtonElement>('#before')!.focus();
        await sendKeys({ press: 'Tab' }); // filter
        if (kind === CALENDAR_PICKER) await sendKeys({ press: 'Tab' }); // show chosen only
        await sendKeys({ press: 'Tab' });
        await waitUntil(() => focusedRowId(el) === first, 'Tab did not reach the first row', { timeout: 10_000 });
        expect(scroller.tabIndex).to.equal(-1);
      });

      it('row targets are at least 24 px in a phone-sized layout, and the coarse-pointer rule makes them 44 px', async () => {
        await phoneViewport(true);
        try {
          const { el } = await inForm(kind, many(12, (i) => ({ name: i === 3 ? 'x'.repeat(300) : `Team ${i}`, provider_primary: i === 0 })), {}, '375px');
          const targets = () => [...parts(el, 'option').map((o) => o.querySelector('label')!), part(el, 'filter')!, ...parts(el, 'show-chosen')];
          const visible = () => targets().filter((t) => t.getClientRects().length > 0);
          expect(visible().length).to.be.at.least(5);
          for (const target of visible()) expect(target.getBoundingClientRect().height, target.textContent ?? '').to.be.at.least(24);

          // Engines cannot emulate a coarse pointer from wtr: apply the stylesheet's own
          // `(pointer: coarse)` rules unconditionally and measure what they do.
          const sheets = el.shadowRoot!.adoptedStyleSheets;
          const coarse = sheets.flatMap((sheet) => [...sheet.cssRules]).find((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule && rule.conditionText === '(pointer: coarse)');
          expect(coarse, 'a (pointer: coarse) rule').to.not.equal(undefined);
          const forced = new CSSStyleSheet();
          forced.replaceSync([...coarse!.cssRules].map((rule) => rule.cssText).join('\n'));
          el.shadowRoot!.adoptedStyleSheets = [...sheets, forced];
          for (const target of visible()) expect(target.getBoundingClientRect().height, target.textContent ?? '').to.be.at.least(44);
        } finally {
          await phoneViewport(false);
        }
      });
    });
  }

  it('<tk-booking-target>: the filter narrows the rows; the chosen calendar, filtered out, still submits', async () => {
    const { form, el, session } = await inForm(BOOKING_TARGET, many(25));
    const chosen = session.calendarList[0]!;
    el.value = chosen.id;
    await el.updateComplete;
    const filter = part(el, 'filter') as HTMLInputElement;
    expect(filter.getAttribute('aria-label')).to.equal('Filter calendars');
    filter.value = 'team 001';
    filter.dispatchEvent(new Event('input'));
    await waitUntil(() => parts(el, 'option').length === 10, 'the filter did not narrow the rows');
    expect(parts(el, 'name').every((n) => n.textContent!.startsWith('Team 001'))).to.equal(true);
    expect(new FormData(form).get('cal')).to.equal(chosen.id);
    await expect(el).to.be.accessible();
  });

  it('<tk-booking-target>: arrows move the focus only; Space chooses, with one tk-change', async () => {
    const { el, session } = await inForm(BOOKING_TARGET, many(5));
    const [first, second, third] = session.calendarList;
    el.value = first!.id;
    await el.updateComplete;
    let changes = 0;
    el.addEventListener('tk-change', () => changes++);
    rowControl(el, first!.id).focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => focusedRowId(el) === third!.id, 'the arrows did not move the focus');
    expect(el.value).to.equal(first!.id);
    expect(rowControl(el, second!.id).checked).to.equal(false);
    expect(changes).to.equal(0);
    const changed = oneEvent(el, 'tk-change');
    await sendKeys({ press: ' ' });
    expect((await changed).detail).to.deep.equal({ calendarId: third!.id });
    expect(changes).to.equal(1);
  });

  it('<tk-booking-target>: the arrow keys skip read-only calendars', async () => {
    const { el, session } = await inForm(BOOKING_TARGET, many(4, (i) => ({ provider_access: i === 1 ? 'reader' : 'owner' })));
    const writable = session.calendarList.filter((c) => c.provider_access === 'owner');
    rowControl(el, writable[0]!.id).focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => focusedRowId(el) === writable[1]!.id, 'ArrowDown did not skip the read-only row');
  });

  it('<tk-calendar-picker>: "N of M chosen" with grouped digits; "Show chosen only" brings an unrendered chosen calendar into view', async () => {
    const calendars = many(1001);
    const { el, form } = await inForm(CALENDAR_PICKER, calendars, { manualSave: true });
    const [first, far] = [calendars[0]!, calendars[990]!];
    el.value = [first.id, far.id];
    await el.updateComplete;
    expect(part(el, 'count')!.textContent!.trim()).to.equal('2 of 1,001 chosen');
    await virtualized(el);
    expect(el.shadowRoot!.querySelector(`[data-id="${far.id}"]`)).to.equal(null);
    const toggle = part(el, 'show-chosen') as HTMLButtonElement;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await el.updateComplete;
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    await waitUntil(() => parts(el, 'option').length === 2, 'not only the chosen calendars shown');
    // unticking one in that view keeps it listed, so it can be ticked again
    rowControl(el, far.id).click();
    await el.updateComplete;
    expect(el.value).to.deep.equal([first.id]);
    expect(parts(el, 'option')).to.have.length(2);
    expect(part(el, 'count')!.textContent!.trim()).to.equal('1 of 1,001 chosen');
    expect(new FormData(form).getAll('cal')).to.deep.equal([first.id]);
    toggle.click();
    await el.updateComplete;
    await virtualized(el);
    expect(parts(el, 'option').length).to.be.within(1, 100);
    await expect(el).to.be.accessible();
  });
});
