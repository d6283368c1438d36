/**
 * The relay's address in a real browser, on stacks of their own (scripts/wtr/emulator-plugin.mjs):
 * a companion on its own origin behind a proxy that rewrites every Host to `localhost` (as Astro's
 * node adapter reports without `allowedDomains`) still serves the pickers, because the session
 * resolves the relay's path against the endpoint it reached the companion at; a companion whose
 * `publicUrl` names a place the page cannot reach makes the pickers say the service is
 * misconfigured (not "check your connection"), and the console names `publicUrl`.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/tk-session.js';
import '../../src/tk-calendar-picker.js';
import type { TkCalendarPicker } from '../../src/components/calendar-picker/calendar-picker.js';
import { enErrors } from '../../src/i18n/en-errors.js';
import { TkError } from '../../src/session/errors.js';
import { TkSession } from '../../src/session/session-service.js';
import { part, parts, waitForState } from './helpers/dom.js';
import { waitUntil } from './helpers/wait.js';

async function stackFor(options: object): Promise<{ companionUrl: string }> {
  const response = await fetch('/__tk-test/stack', { method: 'POST', body: JSON.stringify(options) });
  if (!response.ok) throw new Error(`POST /__tk-test/stack: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as { companionUrl: string };
}

describe('companion: the relay address comes from the endpoint, not the Host header', () => {
  it('behind a proxy that rewrites Host to localhost: the picker lists the calendars through the relay', async () => {
    const stack = await stackFor({ profile: 'optimistic', host: 'localhost' });
    const session = new TkSession({ endpoint: stack.companionUrl });
    const wrap = await fixture(html`<tk-session .session=${session}><tk-calendar-picker></tk-calendar-picker></tk-session>`);
    try {
      const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
      await waitForState(picker, ['content', 'error'], { timeout: 10_000 });
      expect(part(picker, 'error')?.textContent?.trim() ?? '', 'no error').to.equal('');
      expect(parts(picker, 'name').map((name) => name.textContent)).to.include('Work');
    } finally {
      session.stop();
    }
  });

  it('a publicUrl the page cannot reach: "misconfigured", not retried, and the console names publicUrl', async () => {
    // Port 9 is one every engine refuses to fetch from: a failure without any network.
    const stack = await stackFor({ profile: 'optimistic', publicUrl: 'http://127.0.0.1:9' });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    const session = new TkSession({ endpoint: stack.companionUrl });
    try {
      const error = await session.calendars().then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).to.be.instanceOf(TkError);
      expect((error as TkError).code).to.equal('misconfigured');
      expect((error as TkError).retryable).to.equal(false);
      await waitUntil(() => warnings.some((line) => line.includes('publicUrl')), 'no console warning names publicUrl');
      expect(warnings.find((line) => line.includes('publicUrl'))).to.include(stack.companionUrl);

      const wrap = await fixture(html`<tk-session .session=${session}><tk-calendar-picker></tk-calendar-picker></tk-session>`);
      const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
      await waitForState(picker, 'error', { timeout: 10_000 });
      expect(part(picker, 'error')!.textContent).to.include(enErrors.misconfigured);
      expect(part(picker, 'error')!.textContent).not.to.include(enErrors.network);
      expect(part(picker, 'retry-button'), 'a retry cannot fix it').to.equal(null);
    } finally {
      console.warn = warn;
      session.stop();
    }
  });
});
