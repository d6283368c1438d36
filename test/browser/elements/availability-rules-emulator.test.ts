/**
 * `<tk-availability-rules>` against the real emulator on the default path (the session a real
 * companion answers, as in against-emulator.test.ts): the rules a provider sets land on the
 * resource as `availability_constraints` and `timezone`, and come back on the next load.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-session.js';
import '../../../src/tk-availability-rules.js';
import type { TkSessionElement } from '../../../src/components/session/session-provider.js';
import type { TkConstraint } from '../../../src/shared/constraints.js';
import { newResource, sessionFor, type Login } from '../helpers/emulator.js';
import { testEnv } from '../helpers/env.js';
import { part, waitForState } from '../helpers/dom.js';

/** The resource as Timekit holds it (read with the app key). */
async function resourceOf(login: Login): Promise<{ timezone: string; availability_constraints?: TkConstraint[] }> {
  const env = await testEnv();
  const response = await fetch(`/v2/resources/${login.resourceId}`, { headers: { authorization: `Basic ${btoa(`:${env.testAppKey}`)}` } });
  if (!response.ok) throw new Error(`GET /resources/${login.resourceId}: HTTP ${response.status}`);
  return ((await response.json()) as { data: { timezone: string; availability_constraints?: TkConstraint[] } }).data;
}

async function mount(login: Login) {
  const credentials = await sessionFor(login);
  const wrap = await fixture<TkSessionElement>(html`<tk-session .fetchCredentials=${async () => credentials}><tk-availability-rules></tk-availability-rules></tk-session>`);
  const el = wrap.querySelector('tk-availability-rules')!;
  await waitForState(el, 'content', { message: 'no rules', timeout: 5_000 });
  return el;
}

describe('<tk-availability-rules> against the emulator', () => {
  it('a new provider saves Monday–Friday 9–17 with Wednesday off; the resource holds exactly those constraints, and a reload shows them', async () => {
    const login = await newResource();
    const el = await mount(login);
    expect(el.timezone).to.equal('Europe/Berlin'); // the resource's zone
    el.shadowRoot!.querySelector<HTMLInputElement>('[data-day="Wednesday"] [part~="day-toggle"]')!.click();
    const expected: TkConstraint[] = (['Monday', 'Tuesday', 'Thursday', 'Friday'] as const).map((day) => ({ allow_day_and_time: { day, start: 9, end: 17 } }));
    await waitUntil(async () => JSON.stringify((await resourceOf(login)).availability_constraints) === JSON.stringify(expected), 'not saved', { timeout: 10_000 });
    expect((await resourceOf(login)).timezone).to.equal('Europe/Berlin');
    await waitForState(el, 'saved');

    el.remove();
    const again = await mount(login);
    expect(part(again, 'suggestion')).to.equal(null);
    expect(again.value).to.deep.equal(expected);
  });
});
