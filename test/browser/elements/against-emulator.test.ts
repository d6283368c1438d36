/**
 * The elements against the real emulator (mounted same-origin by the wtr config), in real direct
 * mode: a resource's own widget credential (scope `widget`, referrer = this origin) handed to the
 * session through `fetchCredentials`.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../../src/tk-session.js';
import '../../../src/tk-calendar-picker.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import type { TkSessionElement } from '../../../src/components/session/session.js';
import { calendarsOf, googleLogin, newResource, widgetSession, type Login } from '../helpers/emulator.js';

const part = (el: Element, name: string) => [...el.shadowRoot!.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];

async function mount(login: Login, body = html`<tk-calendar-picker name="findtime"></tk-calendar-picker>`) {
  const credentials = await widgetSession(login);
  const wrap = await fixture<TkSessionElement>(html`<tk-session .fetchCredentials=${async () => credentials}>${body}</tk-session>`);
  return { wrap, credentials };
}

describe('elements against the emulator (direct mode)', () => {
  it('<tk-calendar-picker> lists the calendars and a toggle writes provider_sync to Timekit', async () => {
    const login = await newResource(['Gym', 'Clinic']);
    const { wrap } = await mount(login);
    const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
    await waitUntil(() => picker.matches(':state(content)'), 'no calendars', { timeout: 5_000 });
    expect(part(picker, 'name').map((n) => n.textContent).sort()).to.deep.equal(['Bookings', 'Clinic', 'Gym']);

    const gym = (await calendarsOf(login)).find((c) => c.name === 'Gym')!;
    expect(gym.provider_sync).to.equal(false);
    picker.shadowRoot!.querySelector<HTMLInputElement>(`[data-id="${gym.id}"] input`)!.click();
    await waitUntil(async () => (await calendarsOf(login)).find((c) => c.id === gym.id)!.provider_sync, 'not saved', { timeout: 5_000 });
    await waitUntil(() => !picker.matches(':state(saving)'));
    expect(picker.value).to.include(gym.id);
  });

  it('renders a Google identity\'s hostile and right-to-left calendar names as text', async () => {
    const login = await googleLogin('noor.haddad@example.com');
    const { wrap } = await mount(login);
    const picker = wrap.querySelector<TkCalendarPicker>('tk-calendar-picker')!;
    await waitUntil(() => picker.matches(':state(content)'), 'no calendars', { timeout: 5_000 });
    const names = part(picker, 'name').map((n) => n.textContent);
    expect(names).to.include('<b>Board</b> & "meetings" <img src=x onerror=alert(1)>');
    expect(picker.shadowRoot!.querySelector('img, b')).to.equal(null);
    expect(part(picker, 'badge-primary')).to.have.length(1);
  });
});
