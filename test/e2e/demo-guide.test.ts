/**
 * The demo as a guide: the stepper shows where the provider is and later steps wait for earlier
 * ones; after connecting, "Continue" leads on; the plain-resource form steps aside once a calendar
 * is connected; and a provider with 1,000 calendars gets a page as tall as one with a few.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { connectWithPopup, signIn, startDemo, type Demo } from './harness.js';

let demo: Demo;

before(async () => {
  demo = await startDemo();
});

after(async () => {
  await demo?.close();
});

const stepper = (page: Page) => page.getByRole('navigation', { name: 'Onboarding steps' });

/** Each step's state as the stepper shows it, in order. */
const stepStates = (page: Page) => stepper(page).locator('li').evaluateAll((items) => items.map((item) => (item as HTMLElement).dataset.state));

/** The stepper's current step (the one link with `aria-current="step"`). */
const currentStep = (page: Page) => stepper(page).locator('a[aria-current="step"]');

async function waitForStates(page: Page, expected: string[]) {
  await page.waitForFunction(
    (wanted) => JSON.stringify([...document.querySelectorAll<HTMLElement>('#stepper li')].map((item) => item.dataset.state)) === JSON.stringify(wanted),
    expected,
  );
}

test('the stepper: steps 2–4 wait for step 1 with their reason, then advance after connecting; Continue moves focus to the current step', async () => {
  const { context, page } = await signIn(demo, 'ada');
  try {
    await waitForStates(page, ['current', 'waiting', 'waiting', 'waiting']);
    assert.equal(await stepper(page).getByRole('listitem').count(), 4);
    assert.match(await currentStep(page).innerText(), /Connect a calendar/);
    assert.match(await stepper(page).locator('[data-step="calendars"]').innerText(), /Waits for step 1, Connect a calendar/);
    // The page's own actions wait visibly, with the reason next to them.
    const save = page.getByRole('button', { name: 'Save onboarding' });
    assert.ok(await save.isDisabled());
    assert.equal(await save.evaluate((button) => document.getElementById(button.getAttribute('aria-describedby')!)!.textContent), 'Waits for step 1, Connect a calendar.');
    assert.ok(await page.locator('#calendars-waits').isVisible());
    assert.ok(await page.getByRole('button', { name: 'Book a test appointment' }).isDisabled());
    assert.ok(await page.getByRole('button', { name: 'Continue', exact: true }).isHidden());
    // Signed in to Brightside with no Timekit resource yet: the log does not read like a failed login.
    await page.locator('#log li', { hasText: 'tk-session-change' }).getByText('no calendar connected yet').first().waitFor();

    await connectWithPopup(page, 'Alex Morgan', 'alex.morgan@example.com');
    await page.getByRole('checkbox', { name: /^Work/ }).waitFor();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#stepper [data-step="connect"]')!.dataset.state === 'done');
    assert.match(await stepper(page).locator('[data-step="connect"]').innerText(), /Done/);
    assert.ok(await save.isEnabled());
    assert.ok(await page.locator('#calendars-waits').isHidden());

    // "Continue" leads; the connect button (now "connect another") is secondary: no fill.
    const next = page.getByRole('button', { name: 'Continue', exact: true });
    const fill = (locator: ReturnType<Page['locator']>) => locator.evaluate((el) => getComputedStyle(el).backgroundColor);
    const connectFill = await page
      .locator('tk-google-connect')
      .evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('[part~="button"]')!).backgroundColor);
    assert.equal(connectFill, 'rgba(0, 0, 0, 0)');
    assert.notEqual(await fill(next), 'rgba(0, 0, 0, 0)');
    await page.getByRole('button', { name: 'Connect another Google account' }).waitFor();

    // Continue focuses the heading of the step the stepper calls current.
    const currentHeading = (await currentStep(page).getAttribute('href'))!.slice(1);
    assert.notEqual(currentHeading, 'step-1');
    await next.click();
    assert.equal(await page.evaluate(() => document.activeElement?.id), currentHeading);

    // Both calendars chosen: step 2 is done and "Prove it" no longer waits.
    await page.getByRole('checkbox', { name: /^Work/ }).check();
    await page.getByRole('radio', { name: /^Work/ }).check();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('#stepper [data-step="calendars"]')!.dataset.state === 'done');
    assert.notEqual((await stepStates(page))[3], 'waiting');
    const book = page.getByRole('button', { name: 'Book a test appointment' });
    assert.ok(await book.isEnabled());

    // Suggested hours are not done until saved; then the last step is current, and done once a booking lands.
    assert.notEqual((await stepStates(page))[2], 'done');
    await page.getByRole('button', { name: 'Save these hours' }).click();
    await waitForStates(page, ['done', 'done', 'done', 'current']);
    assert.match(await currentStep(page).innerText(), /Prove it/);
    await page.waitForFunction(() => document.querySelector('tk-availability-preview')!.matches(':state(content)'));
    await book.click();
    await waitForStates(page, ['done', 'done', 'done', 'done']);
    assert.equal(await currentStep(page).count(), 0, 'nothing left to do');
  } finally {
    await context.close();
  }
});

test('the plain-resource form: shown before a resource exists, behind a confirmed switch once a calendar is connected', async () => {
  const { context, page } = await signIn(demo, 'ben');
  try {
    const create = page.getByRole('button', { name: 'Create resource' });
    const useInstead = page.getByRole('button', { name: 'Use a plain resource instead' });
    assert.ok(await create.isVisible());
    assert.ok(await useInstead.isHidden());

    await connectWithPopup(page, 'Jordan Reed', 'jordan.reed@example.com');
    await create.waitFor({ state: 'hidden' });
    await useInstead.click();
    assert.equal(await useInstead.getAttribute('aria-expanded'), 'true');
    // Changing one's mind keeps the form away.
    await page.getByRole('button', { name: 'Keep the calendar account' }).click();
    assert.ok(await create.isHidden());
    assert.equal(await useInstead.getAttribute('aria-expanded'), 'false');

    await useInstead.click();
    await page.getByRole('group', { name: /A calendar account is connected/ }).waitFor();
    await page.getByRole('button', { name: 'Show the plain-resource form' }).click();
    await create.waitFor();
    assert.equal(await page.evaluate(() => (document.activeElement as HTMLInputElement).name), 'name');
  } finally {
    await context.close();
  }
});

test('the plain-resource form: gone once it has made the resource, with no switch back to it', async () => {
  const { context, page } = await signIn(demo, 'carmen');
  try {
    await page.getByRole('button', { name: 'Create resource' }).click();
    await page.getByText(/^Created carmen\.ruiz\./).waitFor();
    await page.getByRole('button', { name: 'Create resource' }).waitFor({ state: 'hidden' });
    assert.ok(await page.getByRole('button', { name: 'Use a plain resource instead' }).isHidden(), 'no calendar account to protect, no switch');
    await page.getByRole('button', { name: 'Continue', exact: true }).waitFor();
  } finally {
    await context.close();
  }
});

/** axe-core as the browser tests run it (through chai-a11y-axe), here on the whole demo page. */
const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/** The WCAG 2.x A and AA violations axe finds on the page, as "rule: selector" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } };
    const { violations } = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] });
    return violations.flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
  });
}

test('the demo page passes axe (WCAG 2.2 A and AA rules, contrast included) before and after connecting, in the light, dark and brand themes and in forced colours', async () => {
  const { context, page } = await signIn(demo, 'ben');
  try {
    assert.deepEqual(await axeViolations(page), [], 'before connecting');
    await connectWithPopup(page, 'Alex Morgan', 'alex.morgan@example.com');
    await page.getByRole('checkbox', { name: /^Work/ }).waitFor();
    for (const theme of ['light', 'dark', 'brand']) {
      await page.locator('#theme').selectOption(theme);
      assert.deepEqual(await axeViolations(page), [], `connected, ${theme} theme`);
    }
    // Forced colours (Windows High Contrast): Chromium computes the forced system colours, so axe checks those.
    await page.locator('#theme').selectOption('light');
    await page.emulateMedia({ forcedColors: 'active' });
    assert.equal(await page.evaluate(() => matchMedia('(forced-colors: active)').matches), true);
    assert.deepEqual(await axeViolations(page), [], 'connected, forced colours');
  } finally {
    await context.close();
  }
});

/**
 * Once the provider's calendars are listed in both pickers: the height of each card on the page
 * (by its step, or its id), and each picker's list: how tall it is on the page and how tall its
 * content is.
 */
async function pageHeightWith(on: Demo, user: string, identity: string, email: string, firstCalendar: RegExp) {
  const { context, page } = await signIn(on, user);
  try {
    await connectWithPopup(page, identity, email);
    // A thousand calendars take a while on a busy machine: longer waits than the context's 10 s.
    // Each list is scrolled to first, as the provider would: a virtualized list below the fold
    // renders no rows until it is on screen.
    for (const [tag, role] of [['tk-calendar-picker', 'checkbox'], ['tk-booking-target', 'radio']] as const) {
      await page.locator(tag).scrollIntoViewIfNeeded();
      await page.locator(tag).getByRole(role, { name: firstCalendar }).waitFor({ timeout: 30_000 });
    }
    // The cards below the pickers settle too: the rules with the resource's hours, the preview with its slots.
    await page.waitForFunction(() => document.querySelector('tk-availability-rules')!.matches(':state(content)'), null, { timeout: 30_000 });
    await page.waitForFunction(() => !document.querySelector('tk-availability-preview')!.matches(':state(loading), :state(refreshing)'), null, { timeout: 30_000 });
    return await page.evaluate(() => ({
      cards: Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('.card')].map((card) => [card.dataset.step ?? card.id, card.getBoundingClientRect().height]),
      ),
      lists: ['tk-calendar-picker', 'tk-booking-target'].map((tag) => {
        const picker = document.querySelector(tag)!;
        const scroller = picker.shadowRoot!.querySelector<HTMLElement>('[part~="scroller"]')!;
        return {
          picker: picker.getBoundingClientRect().height,
          shown: scroller.clientHeight,
          content: scroller.scrollHeight,
          bound: parseFloat(getComputedStyle(scroller).maxHeight),
        };
      }),
    }));
  } finally {
    await context.close();
  }
}

test('at 1,000 calendars the demo page is about as tall as with a few: the lists scroll inside the elements', async () => {
  // A demo of its own: another test's resource for the same user (a plain one, with saved hours)
  // would change the cards below the pickers between the two measurements.
  const fresh = await startDemo();
  let few, many;
  try {
    few = await pageHeightWith(fresh, 'ada', 'Alex Morgan', 'alex.morgan@example.com', /^Work/);
    many = await pageHeightWith(fresh, 'ben', 'Sam Lee', 'sam.lee@example.com', /^sam\.lee@example\.com/);
  } finally {
    await fresh.close();
  }
  for (const list of many.lists) {
    // Each list stops at its bound (--tk-picker-max-height) and scrolls the other thousand rows inside.
    assert.ok(list.shown <= list.bound + 1, `a list is ${list.shown} px tall, over its bound of ${list.bound} px`);
    assert.ok(list.content > 10 * list.shown, `a list shows ${list.shown} of ${list.content} px: it does not scroll inside`);
  }
  for (const list of many.lists) {
    // Around the list: the legend, the filter, "N of M chosen" and the summary, whatever the count.
    assert.ok(list.picker - list.shown < 300, `a picker is ${list.picker} px tall around a list of ${list.shown} px`);
  }
  // Only the calendars card grows, by what its pickers grow (each up to its bound, plus the filter
  // and count lines a short list does without): unbounded, 1,000 rows would add some 45,000 px per
  // list. The event log is left out: it grows with the events logged so far, up to its own bound.
  const pickersGrew = many.lists.reduce((sum, list, i) => sum + list.picker - few.lists[i]!.picker, 0);
  for (const [card, height] of Object.entries(many.cards)) {
    if (card === 'log-panel') continue;
    const grew = height - few.cards[card]!;
    const allowed = card === 'calendars' ? pickersGrew : 0;
    assert.ok(Math.abs(grew - allowed) <= 20, `the ${card} card is ${height} px tall with 1,000 calendars and ${few.cards[card]} px with a few (the pickers grew ${pickersGrew} px)`);
  }
});
