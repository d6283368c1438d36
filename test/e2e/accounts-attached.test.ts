/**
 * A provider's calendar accounts in the demo, on the other side of the second-signup doubt: the
 * emulator attaches another account signed up in the same browser to the provider's resource
 * (`secondSignupAttaches`), so Google, Microsoft 365 and a second Google account end up on one
 * resource, and the provider chooses calendars from each.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectedAccount, connectMicrosoftWithPopup, connectWithPopup, consent, screenshotPath, signIn, startDemo, type Demo } from './harness.js';

let demo: Demo;

before(async () => {
  // Read by the demo's plugin when the server starts (demo/dev-server.ts).
  process.env.TK_EMULATOR_SWITCHES = 'secondSignupAttaches';
  demo = await startDemo();
});

after(async () => {
  await demo?.close();
});

test('Google, then Microsoft 365, then a second Google account: one resource, calendars chosen from each, one for bookings', async () => {
  const { context, page } = await signIn(demo, 'ben', { viewport: { width: 1280, height: 1400 } });
  try {
    await connectWithPopup(page, 'Alex Morgan', 'alex.morgan@example.com');
    const resourceId = (await page.locator('#save-resource').innerText()).trim();
    await page.getByRole('checkbox', { name: /^Work/ }).check();

    await connectMicrosoftWithPopup(page, 'Dana Whitfield');
    await page.getByText('Microsoft: dana.whitfield@contoso.example').first().waitFor();
    await page.getByRole('checkbox', { name: /^Design team/ }).check();

    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Connect another Google account' }).click()]);
    await consent(popup, 'yuki.tanaka@example.jp');
    await connectedAccount(page, 'yuki.tanaka@example.jp').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Switch to/ }).count(), 0, 'nothing to ask: the accounts share the resource');
    assert.equal((await page.locator('#save-resource').innerText()).trim(), resourceId);

    // Groups per provider, each naming its accounts.
    const picker = page.locator('tk-calendar-picker');
    await picker.getByRole('group', { name: /Google.*alex\.morgan@example\.com.*yuki\.tanaka@example\.jp/ }).waitFor();
    await picker.getByRole('group', { name: /Microsoft.*dana\.whitfield@contoso\.example/ }).waitFor();
    await page.getByRole('radio', { name: /^Design team/ }).check();
    await page.locator('#save-panel').screenshot({ path: screenshotPath('accounts-save-panel-light') });
    await page.locator('.path').first().screenshot({ path: screenshotPath('accounts-connected-light') });

    const ids = (await picker.evaluate((el: HTMLElementTagNameMap['tk-calendar-picker']) => el.value)) as string[];
    // Alex's primary (the default after the first connect) and Work, and Design team.
    assert.equal(ids.length, 3, 'two Google calendars and one Microsoft calendar count for availability');
    const booking = await page.locator('tk-booking-target').evaluate((el: HTMLElementTagNameMap['tk-booking-target']) => el.value);
    assert.ok(ids.includes(booking), 'bookings land in the chosen Microsoft calendar');
    await page.getByRole('button', { name: 'Save onboarding' }).click();
    const submitted = await page.locator('#submitted-data').innerText();
    assert.match(submitted, new RegExp(`^resource_id=${resourceId}$`, 'm'));
    for (const id of ids) assert.match(submitted, new RegExp(`^findtime_calendars=${id}$`, 'm'));
    assert.match(submitted, new RegExp(`^booking_calendar=${booking}$`, 'm'));
  } finally {
    await context.close();
  }
});
