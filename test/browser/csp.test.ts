/**
 * The elements under a strict Content-Security-Policy (no `unsafe-inline`, no `unsafe-eval`,
 * Trusted Types on): a same-origin iframe loads fixtures/csp/index.html, which the wtr dev server
 * serves with scripts/wtr/csp-header.mjs's policy. Its page.ts records every
 * `securitypolicyviolation`, then mounts the three elements on a real TkSession against the
 * emulator and makes one violation on purpose (a `style` attribute), the control: it proves the
 * policy is enforced and the listener works. Any other violation fails the test.
 */
import { expect } from '@open-wc/testing';
import { waitUntil } from './helpers/wait.js';
import { CSP_POLICY } from '../../scripts/wtr/csp-header.mjs';
import type { CspFixture, CspFixtureWindow } from './fixtures/csp/page.js';
import { calendarsOf } from './helpers/emulator.js';
import { hasState, part, parts, waitForState } from './helpers/dom.js';

const FIXTURE = '/test/browser/fixtures/csp/index.html';
const CONTROL_ID = 'csp-control';

const text = (el: Element | null | undefined) => el?.textContent?.replace(/\s+/g, ' ').trim();

describe('the elements under a strict Content-Security-Policy', () => {
  let iframe: HTMLIFrameElement;
  let win: CspFixtureWindow;
  let doc: Document;
  let fixture: CspFixture;

  before(async () => {
    iframe = document.createElement('iframe');
    iframe.src = FIXTURE;
    iframe.style.cssText = 'width: 800px; height: 900px';
    document.body.append(iframe);
    await waitUntil(() => (iframe.contentWindow as CspFixtureWindow | null)?.cspFixture !== undefined, 'the fixture page did not start', {
      timeout: 10_000,
    });
    win = iframe.contentWindow as CspFixtureWindow;
    doc = iframe.contentDocument!;
    fixture = await win.cspFixture;
  });

  after(() => iframe?.remove());

  it('is served with the strict policy', async () => {
    const response = await fetch(FIXTURE, { cache: 'no-store' });
    expect(response.headers.get('content-security-policy')).to.equal(CSP_POLICY);
    expect(CSP_POLICY).to.not.include('unsafe-');
    // nothing inline for the policy to block silently before page.ts listens
    expect(doc.querySelectorAll('script:not([src]), style, [style]:not(#csp-control)')).to.have.length(0);
  });

  it('renders, loads the German strings, shows the swatch colour and saves a toggle, with no violation but the control', async () => {
    const connect = doc.querySelector('tk-google-connect')!;
    const picker = doc.querySelector('tk-calendar-picker')!;
    const target = doc.querySelector('tk-booking-target')!;
    await waitUntil(() => hasState(picker, 'content') && hasState(target, 'content'), 'the pickers show no calendars', {
      timeout: 10_000,
    });
    // A plain resource has no Google account: connected to Timekit, nothing to list yet.
    await waitForState(connect, 'empty', { message: 'tk-google-connect is not empty', timeout: 5_000 });

    // German where lang="de" (a lazily loaded chunk), English elsewhere
    await waitUntil(() => text(part(picker, 'label')) === 'Kalender, die für die Verfügbarkeit zählen', 'the picker is not in German', {
      timeout: 5_000,
    });
    expect(text(part(connect, 'button'))).to.equal('Google Kalender verbinden');
    expect(text(part(target, 'label'))).to.equal('Calendar for new bookings');

    expect(parts(picker, 'name').map(text).sort()).to.deep.equal(['Bookings', 'Clinic', 'Gym']);
    const row = picker.shadowRoot!.querySelector(`[data-id="${fixture.colouredId}"]`)!;
    const swatch = row.querySelector('[part~="color"]')!;
    expect(win.getComputedStyle(swatch).backgroundColor).to.equal('rgb(26, 43, 60)');
    const targetSwatch = target.shadowRoot!.querySelector(`[data-id="${fixture.colouredId}"] [part~="color"]`)!;
    expect(win.getComputedStyle(targetSwatch).backgroundColor).to.equal('rgb(26, 43, 60)');

    // a toggle saves to Timekit
    expect((await calendarsOf(fixture.login)).find((c) => c.id === fixture.colouredId)!.provider_sync).to.equal(false);
    row.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    await waitUntil(async () => (await calendarsOf(fixture.login)).find((c) => c.id === fixture.colouredId)!.provider_sync, 'not saved', {
      timeout: 5_000,
    });
    await waitUntil(() => !hasState(picker, 'saving'), 'still saving', { timeout: 5_000 });
    expect((picker as HTMLElement & { value: readonly string[] }).value).to.include(fixture.colouredId);

    // The control was blocked and reported; violation events are queued, so give late ones a moment.
    const control = doc.getElementById(CONTROL_ID)!;
    expect(control.style.color).to.equal('');
    await waitUntil(() => win.cspViolations.length > 0, 'the control violation was not reported', { timeout: 5_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const violations = win.cspViolations.map((v) => ({ ...v }));
    expect(violations, JSON.stringify(violations, null, 2)).to.have.length(1);
    // all three engines report CSP 3's style-src-attr (which falls back to style-src)
    expect(violations[0]).to.deep.include({ directive: 'style-src-attr', blockedURI: 'inline', target: `div#${CONTROL_ID}` });
  });
});
