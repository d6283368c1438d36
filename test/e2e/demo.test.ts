/**
 * The demo, end to end: Chromium drives `npm start`'s stack (Vite with the demo plugin, the
 * emulator, the companion) through the whole onboarding story. One server and one browser for
 * the file; each test gets a fresh context, signed in as a demo user with nothing connected.
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

const logText = (page: Page) => page.locator('#log').innerText();

test('signed out of the host app: the sign-in card offers the demo users (screenshot)', async () => {
  const context = await demo.browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    await page.goto(demo.base);
    assert.deepEqual(await page.locator('#users strong').allInnerTexts(), ['Ada Lovelace', 'Ben Okafor', 'Carmen Ruiz']);
    assert.ok(await page.locator('#app').isHidden());
    await page.screenshot({ path: screenshotPath('sign-in-light') });
  } finally {
    await context.close();
  }
});

test('path 1b through the popup: connected, the pickers load, the log and the save panel show the resource', async () => {
  const { context, page } = await signIn(demo, 'ada');
  try {
    await connectWithPopup(page, 'Alex Morgan', 'alex.morgan@example.com');
    await page.getByRole('checkbox', { name: /^Work/ }).waitFor();
    const resourceId = (await page.locator('#save-resource').innerText()).trim();
    assert.match(resourceId, /^[0-9a-f-]{36}$/);
    const log = await logText(page);
    assert.match(log, /tk-connect\b/);
    assert.match(log, new RegExp(`tk-connected[\\s\\S]*"resourceId":"${resourceId}"`));
    assert.match(log, /"status":"ready"/);
    // The widget credential (the companion reuses one per resource and origin) appears nowhere on the page.
    const token = await page.evaluate(async () => ((await (await fetch('/timekit/session', { method: 'POST' })).json()) as { token: string }).token);
    assert.ok(token.length > 10);
    const everything = await page.evaluate(() =>
      [document.documentElement.outerHTML, ...[...document.querySelectorAll('*')].map((el) => el.shadowRoot?.innerHTML ?? '')].join('\n'),
    );
    assert.ok(!everything.includes(token), 'the token is not in the DOM');
  } finally {
    await context.close();
  }
});

test('popup blocked: the element says so and continues as a redirect, back to a connected page', async () => {
  const { context, page } = await signIn(demo, 'ben', { blockPopups: true });
  try {
    // The page is about to leave: keep what the element reports where the test can read it after.
    await page.evaluate(() =>
      document.addEventListener('tk-error', (event) => sessionStorage.setItem('tk-error', JSON.stringify((event as CustomEvent).detail))),
    );
    await page.getByRole('button', { name: 'Connect Google Calendar' }).click();
    await page.waitForURL(/\/_google\/consent/);
    await consent(page, 'Jordan Reed');
    await connectedAccount(page, 'jordan.reed@example.com').waitFor();
    assert.doesNotMatch(page.url(), /tk_connect/, 'the element removes the result parameter');
    const reported = JSON.parse((await page.evaluate(() => sessionStorage.getItem('tk-error')))!);
    assert.equal(reported.code, 'popup-blocked');
    assert.match(await logText(page), /tk-connected[\s\S]*jordan\.reed@example\.com/);
  } finally {
    await context.close();
  }
});

test('consent declined: tk-error consent-denied, nothing connected, the button is the one retry', async () => {
  const { context, page } = await signIn(demo, 'carmen');
  try {
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.getByRole('button', { name: 'Connect Google Calendar' }).click()]);
    await consent(popup, 'Alex Morgan', 'Deny');
    await page.getByRole('alert').filter({ hasText: 'Google access was not granted.' }).waitFor();
    assert.match(await logText(page), /tk-error[\s\S]*"code":"consent-denied"/);
    assert.equal((await page.locator('#save-resource').innerText()).trim(), '—');
    // The connect button is the one retry now.
    assert.ok(await page.locator('tk-google-connect').getByRole('button', { name: 'Try again' }).isVisible());
  } finally {
    await context.close();
  }
});

test('reload after connecting: the connection and the chosen calendars are still there', async () => {
  const { context, page } = await signIn(demo, 'ada');
  try {
    await connectWithPopup(page, 'Alex Morgan', 'alex.morgan@example.com');
    await page.getByRole('checkbox', { name: /^Work/ }).check();
    // save="auto": the toggle is written to Timekit; wait for the save to finish before reloading.
    await page.locator('tk-calendar-picker:not(:state(saving))').waitFor();
    const resourceId = await page.locator('#save-resource').innerText();
    await page.reload();
    await connectedAccount(page, 'alex.morgan@example.com').waitFor();
    assert.ok(await page.getByRole('checkbox', { name: /^Work/ }).isChecked());
    await page.locator('#save-resource', { hasText: resourceId }).waitFor();
  } finally {
    await context.close();
  }
});

/** Connects Alex, counts Work for availability and takes bookings in Work; answers Work's id. */
async function onboard(page: Page): Promise<{ workId: string; resourceId: string }> {
  await connectWithPopup(page, 'Alex Morgan', 'alex.morgan@example.com');
  await page.getByRole('checkbox', { name: /^Work/ }).check();
  await page.getByRole('radio', { name: /^Work/ }).check();
  const workId = await page.locator('tk-booking-target').evaluate((el: HTMLElementTagNameMap['tk-booking-target']) => el.value);
  // The primary calendar is ticked too: the picker's default after the first connect.
  assert.ok((await page.locator('tk-calendar-picker').evaluate((el: HTMLElementTagNameMap['tk-calendar-picker']) => el.value)).includes(workId));
  await page.locator('#save-booking', { hasText: workId }).waitFor();
  const resourceId = (await page.locator('#save-resource').innerText()).trim();
  return { workId, resourceId };
}

test('after connecting, the primary is chosen for both; after Save onboarding a reload keeps the booking calendar', async () => {
  const { context, page } = await signIn(demo, 'carmen');
  try {
    // An identity no other test here connects: its resource syncs no calendar yet.
    await connectWithPopup(page, 'نور حداد', 'noor.haddad@example.com');
    // Nothing clicked: the smart defaults choose the primary calendar, and the summaries say so.
    const primary = /^noor\.haddad@example\.com/;
    await page.getByRole('radio', { name: primary }).and(page.locator(':checked')).waitFor();
    assert.ok(await page.getByRole('checkbox', { name: primary }).isChecked());
    await page.getByRole('status').filter({ hasText: 'New bookings go to' }).filter({ hasText: 'noor.haddad@example.com' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Checking 1 calendar' }).waitFor();
    await page.locator('tk-calendar-picker:not(:state(saving))').waitFor();
    const workId = await page.locator('tk-booking-target').evaluate((el: HTMLElementTagNameMap['tk-booking-target']) => el.value);
    await page.getByRole('button', { name: 'Save onboarding' }).click();
    await page.reload();
    await connectedAccount(page, 'noor.haddad@example.com').waitFor();
    await page
      .getByRole('radio', { name: primary })
      .and(page.locator(':checked'))
      .waitFor()
      .catch(async (error: Error) => {
        // This wait failed once in CI and has not failed since: say what the page had, for the next time.
        const seen = await page.evaluate(() => {
          const el = document.querySelector('tk-booking-target')!;
          const states = ['loading', 'refreshing', 'content', 'empty', 'error', 'signed-out'].filter((state) => el.matches(`:state(${state})`));
          return { value: el.value, states, stored: { ...localStorage } };
        });
        throw new Error(`${error.message}\nthe booking target after the reload (saved value ${workId}): ${JSON.stringify(seen)}`);
      });
    assert.equal(await page.locator('tk-booking-target').evaluate((el: HTMLElementTagNameMap['tk-booking-target']) => el.value), workId);
    assert.ok(await page.getByRole('checkbox', { name: primary }).isChecked());
  } finally {
    await context.close();
  }
});

test('the plain form submits the ids: resource, findtime calendars, booking calendar', async () => {
  const { context, page } = await signIn(demo, 'ben');
  try {
    const { workId, resourceId } = await onboard(page);
    await page.getByRole('button', { name: 'Save onboarding' }).click();
    const submitted = await page.locator('#submitted-data').innerText();
    assert.match(submitted, new RegExp(`^resource_id=${resourceId}$`, 'm'));
    assert.match(submitted, new RegExp(`^findtime_calendars=${workId}$`, 'm'));
    assert.match(submitted, new RegExp(`^booking_calendar=${workId}$`, 'm'));
    assert.match(await page.locator('#save-findtime').innerText(), new RegExp(workId));
  } finally {
    await context.close();
  }
});

/** The slots `<tk-availability-preview>` shows, once it shows some and is not refreshing. */
async function shownSlots(page: Page): Promise<Array<{ start: string; end: string }>> {
  const preview = page.locator('tk-availability-preview');
  await page.waitForFunction(() => {
    const el = document.querySelector('tk-availability-preview')!;
    return el.matches(':state(content)') && !el.matches(':state(refreshing)');
  });
  return preview.evaluate((el: HTMLElementTagNameMap['tk-availability-preview']) => el.slots);
}

test('working hours and prove it: the suggested hours saved on the resource, the preview inside them, a test booking in its first slot and the booking calendar (screenshots)', async () => {
  const { context, page } = await signIn(demo, 'carmen');
  try {
    const { workId } = await onboard(page);
    // A new provider starts from Monday–Friday 9–17 in the resource's zone, suggested until saved.
    await page.getByRole('button', { name: 'Save these hours' }).click();
    await page.waitForFunction(() => document.querySelector('tk-availability-rules')!.matches(':state(saved)'));
    const timezone = await page.locator('tk-availability-rules').evaluate((el: HTMLElementTagNameMap['tk-availability-rules']) => el.timezone);
    const slots = await shownSlots(page);
    assert.ok(slots.length > 0, 'the preview shows bookable time');
    const wall = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
    for (const slot of slots) {
      const [weekday, time] = wall.format(new Date(slot.start)).split(' ') as [string, string];
      const [hour, minute] = time.split(':').map(Number) as [number, number];
      assert.ok(!['Sat', 'Sun'].includes(weekday) && hour >= 9 && hour * 60 + minute + 30 <= 17 * 60, `${slot.start} is inside Monday–Friday 9–17 in ${timezone}`);
    }

    await page.getByRole('button', { name: 'Book a test appointment' }).click();
    await page.getByText('✓ The booking landed in the calendar chosen for new bookings.').waitFor();
    assert.match(await page.locator('#booking-calendar').innerText(), new RegExp(`Work ${workId}`));
    assert.equal(await page.locator('#booking-when time').getAttribute('datetime'), slots[0]!.start, 'booked in the first slot the preview showed');
    // Work counts for availability too: the booked slot leaves the preview.
    await page.waitForFunction((start) => !document.querySelector('tk-availability-preview')!.slots.some((slot) => slot.start === start), slots[0]!.start);
    // The whole page in the window: rows below the fold (content-visibility: auto) are painted too.
    const { width, height } = page.viewportSize()!;
    await page.setViewportSize({ width, height: await page.evaluate(() => document.documentElement.scrollHeight) });
    await page.screenshot({ path: screenshotPath('demo-light'), fullPage: true });
    await page.locator('#theme').selectOption('dark');
    await page.screenshot({ path: screenshotPath('demo-dark'), fullPage: true });
    await page.locator('#theme').selectOption('brand');
    await page.screenshot({ path: screenshotPath('demo-brand'), fullPage: true });
    await page.setViewportSize({ width: 390, height: Math.min(height, 844) });
    await page.locator('#theme').selectOption('light');
    await page.evaluate(() => scrollTo(0, 0));
    await page.screenshot({ path: screenshotPath('demo-phone') });
  } finally {
    await context.close();
  }
});

test('path 1a: a plain resource from the companion\'s provisionResource; bookings land in its own calendar', async () => {
  const { context, page } = await signIn(demo, 'ben');
  try {
    await page.getByRole('button', { name: 'Create resource' }).click();
    await page.getByText(/^Created ben\.okafor\./).waitFor();
    // The resource has one Timekit calendar (the one Timekit creates with it, or provisionResource's).
    await page.getByRole('checkbox', { name: /^Bookings/ }).check();
    await page.getByRole('radio', { name: /^Bookings/ }).check();
    assert.ok((await shownSlots(page)).length > 0, 'the preview shows the suggested hours');
    await page.getByRole('button', { name: 'Book a test appointment' }).click();
    await page.getByText('✓ The booking landed in the calendar chosen for new bookings.').waitFor();
    assert.match(await page.locator('#booking-calendar').innerText(), /^Bookings [0-9a-f-]{36}$/);
    assert.match(await page.locator('#save-resource').innerText(), /^[0-9a-f-]{36}$/);
  } finally {
    await context.close();
  }
});

test('the language switcher changes the elements, the theme switcher the color scheme', async () => {
  const { context, page } = await signIn(demo, 'carmen');
  try {
    await page.locator('#lang').selectOption('de');
    await page.getByRole('button', { name: 'Google Kalender verbinden' }).waitFor();
    await page.locator('#lang').selectOption('es');
    await page.getByRole('button', { name: 'Conectar Google Calendar' }).waitFor();
    await page.reload();
    await page.getByRole('button', { name: 'Conectar Google Calendar' }).waitFor();
    await page.locator('#lang').selectOption('en');
    await page.locator('#theme').selectOption('dark');
    const scheme = () => page.evaluate(() => getComputedStyle(document.querySelector('tk-calendar-picker')!).colorScheme);
    assert.equal(await scheme(), 'dark');
    await page.locator('#theme').selectOption('brand');
    const accent = await page.locator('tk-calendar-picker').evaluate((el) => getComputedStyle(el).getPropertyValue('--tk-accent').trim());
    assert.equal(accent, '#0f766e');
  } finally {
    await context.close();
  }
});

interface Focused {
  tag: string;
  type: string;
  name: string;
  checked: boolean;
}

/** What has the keyboard focus, looking into shadow roots, with its label text as its name. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    const input = el as HTMLInputElement | null;
    return {
      tag: input?.localName ?? '',
      type: input?.type ?? '',
      name: (input?.labels?.[0]?.textContent ?? input?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      checked: input?.checked ?? false,
    };
  });
}

/** Presses `key` until the focused element matches; fails after `max` presses. */
async function pressUntil(page: Page, key: string, matches: (f: Focused) => boolean, max = 60): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(key);
    if (matches(await focused(page))) return;
  }
  assert.fail(`${key} never reached the wanted element; focus is on ${JSON.stringify(await focused(page))}`);
}

const button = (name: string) => (f: Focused) => f.tag === 'button' && f.name.startsWith(name);

test('keyboard only: sign in, connect in the popup, choose calendars, submit, book', async () => {
  const context = await demo.browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.setDefaultTimeout(10_000);
  try {
    const page = await context.newPage();
    await page.goto(demo.base);
    await page.locator('#users button').first().waitFor();
    await pressUntil(page, 'Tab', button('Ada Lovelace'));
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    await page.locator('#app').waitFor();
    // Setup, not the flow under test: forget what earlier tests connected for Ada.
    await page.evaluate(() => fetch('/demo/start-over', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }));
    await page.reload();
    await page.getByRole('button', { name: 'Connect Google Calendar' }).waitFor();

    await pressUntil(page, 'Tab', button('Connect Google Calendar'));
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('Enter')]);
    await popup.getByRole('button', { name: 'Allow' }).waitFor();
    // The first identity (Alex Morgan) is preselected on the consent screen.
    await pressUntil(popup, 'Tab', button('Allow'));
    await popup.keyboard.press('Enter');
    await connectedAccount(page, 'alex.morgan@example.com').waitFor();
    await page.getByRole('checkbox', { name: /^Work/ }).waitFor();

    // Each list is one Tab stop: Tab into it, then along it with the arrow keys.
    await pressUntil(page, 'Tab', (f) => f.type === 'checkbox');
    if (!(await focused(page)).name.startsWith('Work')) {
      await pressUntil(page, 'ArrowDown', (f) => f.type === 'checkbox' && f.name.startsWith('Work'), 10);
    }
    // Earlier tests may have left Work counted for Alex's resource (Timekit keeps provider_sync).
    if (!(await focused(page)).checked) await page.keyboard.press('Space');
    await page.locator('#save-findtime', { hasText: /[0-9a-f-]{36}/ }).waitFor();
    // The booking target's arrows move the focus only; Space chooses.
    await pressUntil(page, 'Tab', (f) => f.type === 'radio');
    if (!(await focused(page)).name.startsWith('Work')) {
      await pressUntil(page, 'ArrowDown', (f) => f.type === 'radio' && f.name.startsWith('Work'), 10);
    }
    await page.keyboard.press('Space');
    assert.ok((await focused(page)).checked, 'Space chooses the focused calendar');

    await pressUntil(page, 'Tab', button('Save onboarding'));
    await page.keyboard.press('Enter');
    const submitted = await page.locator('#submitted-data').innerText();
    const workId = await page.locator('tk-booking-target').evaluate((el: HTMLElementTagNameMap['tk-booking-target']) => el.value);
    assert.match(submitted, new RegExp(`^findtime_calendars=${workId}$`, 'm'));
    assert.match(submitted, new RegExp(`^booking_calendar=${workId}$`, 'm'));

    // The working hours: the suggestion saved from the keyboard (an earlier test may have saved
    // Alex's already: Timekit keeps them on the resource).
    await page.waitForFunction(() => !document.querySelector('tk-availability-rules')!.matches(':state(loading)'));
    if (await page.locator('tk-availability-rules').evaluate((el) => el.matches(':state(suggested)'))) {
      await pressUntil(page, 'Tab', button('Save these hours'), 150);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('tk-availability-rules')!.matches(':state(saved)'));
    }
    await shownSlots(page);

    await pressUntil(page, 'Tab', button('Book a test appointment'), 200);
    await page.keyboard.press('Enter');
    await page.getByText('✓ The booking landed in the calendar chosen for new bookings.').waitFor();
  } finally {
    await context.close();
  }
});
