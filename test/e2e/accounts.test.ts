/**
 * A provider's calendar accounts in the demo, on the emulator's default side of the second-signup
 * doubt: another account becomes another Timekit resource, so the kit asks before switching, and
 * nothing the provider had is lost by saying no, closing the window, or a refused personal account.
 * (accounts-attached.test.ts plays the other side.)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { connectMicrosoftWithPopup, connectWithPopup, consent, screenshotPath, signIn, startDemo, type Demo } from './harness.js';

let demo: Demo;

before(async () => {
  demo = await startDemo();
});

after(async () => {
  await demo?.close();
});

const value = (page: Page, selector: 'tk-calendar-picker' | 'tk-booking-target') =>
  page.locator(selector).evaluate((el: HTMLElementTagNameMap['tk-calendar-picker'] | HTMLElementTagNameMap['tk-booking-target']) => el.value);

const formIsValid = (page: Page) => page.locator('#onboarding').evaluate((form: HTMLFormElement) => form.checkValidity());

test('a Microsoft account on a new resource is asked about first: Keep changes nothing, Switch moves over and the form asks again', async () => {
  const { context, page } = await signIn(demo, 'carmen');
  try {
    await connectWithPopup(page, 'Alex Morgan', 'alex.morgan@example.com');
    await page.getByRole('checkbox', { name: /^Work/ }).check();
    await page.getByRole('radio', { name: /^Work/ }).check();
    const resourceId = (await page.locator('#save-resource').innerText()).trim();
    const chosen = await value(page, 'tk-calendar-picker');
    const booking = await value(page, 'tk-booking-target');

    await connectMicrosoftWithPopup(page, 'Dana Whitfield');
    const keep = page.getByRole('button', { name: 'Keep alex.morgan@example.com' });
    await keep.waitFor();
    await page.getByRole('button', { name: 'Switch to dana.whitfield@contoso.example' }).waitFor();
    await page.locator('.path').first().screenshot({ path: screenshotPath('accounts-question-light') });
    // Asking changes nothing yet.
    assert.equal((await page.locator('#save-resource').innerText()).trim(), resourceId);
    await keep.click();
    await keep.waitFor({ state: 'detached' });
    assert.equal((await page.locator('#save-resource').innerText()).trim(), resourceId);
    assert.deepEqual(await value(page, 'tk-calendar-picker'), chosen);
    assert.equal(await value(page, 'tk-booking-target'), booking);
    assert.ok(await formIsValid(page));

    await connectMicrosoftWithPopup(page, 'Dana Whitfield');
    await page.getByRole('button', { name: 'Switch to dana.whitfield@contoso.example' }).click();
    await page.getByRole('checkbox', { name: /^Design team/ }).waitFor();
    const switched = (await page.locator('#save-resource').innerText()).trim();
    assert.notEqual(switched, resourceId, 'the host is told the new resource');
    // No value of the old resource survives: the booking target is empty and the form asks again.
    assert.equal(await value(page, 'tk-booking-target'), '');
    assert.ok(!(await formIsValid(page)));
    assert.ok((await value(page, 'tk-calendar-picker') as string[]).every((id) => !chosen.includes(id)));
    await page.getByRole('checkbox', { name: /^Design team/ }).check();
    await page.getByRole('radio', { name: /^Design team/ }).check();
    await page.getByRole('button', { name: 'Save onboarding' }).click();
    const submitted = await page.locator('#submitted-data').innerText();
    assert.match(submitted, new RegExp(`^resource_id=${switched}$`, 'm'));
    assert.ok(!submitted.includes(booking as string), 'no calendar of the old resource is submitted');
  } finally {
    await context.close();
  }
});

test('a personal Microsoft account never comes back: the element said so before, and after the window is closed it says why', async () => {
  const { context, page } = await signIn(demo, 'ada');
  try {
    await page.locator('tk-microsoft-connect').getByText(/needs a work or school Microsoft 365 account/i).waitFor();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Sign in with Microsoft' }).click()]);
    await consent(popup, 'Casey Brooks', 'Accept');
    await popup.getByText(/AADSTS50020/).waitFor();
    await popup.close();
    await page.locator('tk-microsoft-connect').getByText(/personal/i).waitFor();
    assert.equal((await page.locator('#save-resource').innerText()).trim(), '—', 'nothing was connected');
  } finally {
    await context.close();
  }
});
