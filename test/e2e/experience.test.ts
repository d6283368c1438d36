/**
 * The provider's experience on the demo, end to end in Chromium, with the screenshots the docs
 * show (UPDATE_SCREENSHOTS=1): the visible wait while the Google window is open, what is chosen
 * after the first connect, a save that shows itself, a refused save rolled back on its row, and
 * the phone view with touch-sized rows.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { connectedAccount, connectWithPopup, consent, screenshotPath, signIn, startDemo, type Demo } from './harness.js';

let demo: Demo;

before(async () => {
  demo = await startDemo();
});

after(async () => {
  await demo?.close();
});

const connectCard = (page: Page) => page.locator('tk-google-connect');
const calendarPicker = (page: Page) => page.locator('tk-calendar-picker');
/**
 * Waits until the popup shows the provider's sign-in page, as the provider sees it before Cancel.
 * Until then the popup is still this page's blank window, which Cancel closes (a wait for its load
 * event ends at once).
 */
const signInShown = (popup: Page) => popup.getByRole('button', { name: 'Allow' }).waitFor();
/** "Saved" on the picker's row of `calendar` (another row's, the default primary's, may still show). */
const savedOnRow = (page: Page, calendar: RegExp) =>
  calendarPicker(page)
    .locator('[part~="option"]')
    .filter({ has: page.getByRole('checkbox', { name: calendar }) })
    .locator('[part~="row-status"]', { hasText: 'Saved' });

test('while the Google window is open: "Waiting for Google…", Show window and Cancel, visible; Cancel ends the wait, focus is back on the button (screenshot)', async () => {
  const { context, page } = await signIn(demo, 'ada');
  try {
    const connect = page.getByRole('button', { name: 'Connect Google Calendar' });
    const [popup] = await Promise.all([page.waitForEvent('popup'), connect.click()]);
    await signInShown(popup);
    await page.bringToFront();
    await connectCard(page).getByText('Waiting for Google…').waitFor({ state: 'visible' });
    await connectCard(page).getByRole('button', { name: 'Show window' }).waitFor({ state: 'visible' });
    await connectCard(page).screenshot({ path: screenshotPath('experience-popup-wait') });

    // The window shows the sign-in page of another origin, which a page that disowned its popup
    // may not close: the wait ends all the same, and the element says the window is the user's to close.
    await connectCard(page).getByRole('button', { name: 'Cancel' }).click();
    await connectCard(page).getByText('Connection cancelled. You can close the sign-in window.').waitFor({ state: 'visible' });
    assert.match(await page.locator('#log').innerText(), /tk-cancel/);
    assert.equal(await page.evaluate(() => document.activeElement?.localName), 'tk-google-connect', 'focus is back in the connect element');
    assert.ok(await connect.isEnabled());
    await popup.close();
  } finally {
    await context.close();
  }
});

test('a provider who answers in the window after Cancel is connected after all: nothing is lost', async () => {
  const { context, page } = await signIn(demo, 'ben');
  try {
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Connect Google Calendar' }).click()]);
    await signInShown(popup);
    await page.bringToFront();
    await connectCard(page).getByRole('button', { name: 'Cancel' }).click();
    await connectCard(page).getByText('Connection cancelled. You can close the sign-in window.').waitFor({ state: 'visible' });
    await consent(popup, 'Riley Quinn');
    await connectedAccount(page, 'riley.quinn+tk@example.com').waitFor();
    assert.match(await page.locator('#log').innerText(), /tk-connected[\s\S]*riley\.quinn\+tk@example\.com/);
  } finally {
    await context.close();
  }
});

test('after the first connect the primary calendar is chosen for both, and the summaries say so (screenshot)', async () => {
  const { context, page } = await signIn(demo, 'carmen');
  try {
    await connectWithPopup(page, 'Alex Morgan', 'alex.morgan@example.com');
    await calendarPicker(page).getByText('Checking 1 calendar', { exact: true }).waitFor();
    // The name sits in Unicode isolates, so a right-to-left name cannot reorder the sentence.
    await page.locator('tk-booking-target').getByText(/^New bookings go to \W?alex\.morgan@example\.com\W?$/).waitFor();
    assert.ok(await calendarPicker(page).getByRole('checkbox', { name: /^alex\.morgan@example\.com/ }).isChecked());
    await page.locator('#onboarding').screenshot({ path: screenshotPath('experience-defaults') });
  } finally {
    await context.close();
  }
});

test('a tick shows "Saving…" then "Saved" on its row; a refused one says so on its row, rolls back and offers Try again (screenshots)', async () => {
  const { context, page } = await signIn(demo, 'carmen');
  try {
    await connectWithPopup(page, 'Jordan Reed', 'jordan.reed@example.com');
    await calendarPicker(page).getByRole('checkbox', { name: /^Clinic rota/ }).check();
    await savedOnRow(page, /^Clinic rota/).waitFor();
    await calendarPicker(page).screenshot({ path: screenshotPath('experience-saved') });

    // Timekit refuses every write from now on: the row says it is retrying, then rolls back with the reason.
    await page.route('**/api/v2/calendars/**', (route) =>
      route.request().method() === 'GET' ? route.continue() : route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":"Service unavailable"}' }),
    );
    const rooms = calendarPicker(page).getByRole('checkbox', { name: /^Room bookings/ });
    await rooms.check();
    const rowError = calendarPicker(page).locator('[part~="row-error"]');
    await rowError.waitFor({ timeout: 30_000 });
    assert.match(await rowError.innerText(), /Could not save “Room bookings”/);
    assert.equal(await rooms.isChecked(), false, 'the refused tick is rolled back');
    await calendarPicker(page).screenshot({ path: screenshotPath('experience-rollback') });

    await page.unroute('**/api/v2/calendars/**');
    await rowError.getByRole('button', { name: 'Try again' }).click();
    await savedOnRow(page, /^Room bookings/).waitFor();
    assert.equal(await rooms.isChecked(), true, 'Try again saved it');
  } finally {
    await context.close();
  }
});

test('on a phone (touch, 375 px): every calendar row and button is at least 44 px tall, nothing overflows (screenshot)', async () => {
  const { context, page } = await signIn(demo, 'ada', { viewport: { width: 375, height: 740 }, phone: true });
  try {
    assert.ok(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), 'the page sees a coarse pointer');
    await connectWithPopup(page, '田中 ゆき', 'yuki.tanaka@example.jp');
    await calendarPicker(page).getByText('Checking 1 calendar', { exact: true }).waitFor();
    const heights = await page.evaluate(() =>
      ['tk-google-connect', 'tk-calendar-picker', 'tk-booking-target'].flatMap((tag) =>
        [...document.querySelector(tag)!.shadowRoot!.querySelectorAll<HTMLElement>('[part~="option"] label, button')]
          .filter((target) => target.getClientRects().length > 0)
          .map((target) => ({ tag, target: target.textContent!.trim().slice(0, 40), height: target.getBoundingClientRect().height })),
      ),
    );
    assert.ok(heights.length >= 8, `targets measured: ${heights.length}`);
    assert.deepEqual(
      heights.filter((h) => h.height < 44),
      [],
      'targets under 44 px',
    );
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no horizontal scrolling');
    await calendarPicker(page).scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('experience-phone') });
  } finally {
    await context.close();
  }
});
