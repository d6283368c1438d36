/**
 * The fault matrix: `<tk-calendar-picker>`, `<tk-booking-target>` (loading only: its choice is the
 * host's to save) and their TkSession on the default path (the companion's relay) against the real
 * emulator, each fault put on the emulator's answer to this test's own resource (the wtr plugin's
 * POST /__tk-test/fault adds the emulator's `Tk-Emulator-Fault` header to that resource's next
 * request): other test files share the emulator.
 */
import { expect, oneEvent } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import '../../../src/tk-calendar-picker.js';
import '../../../src/tk-booking-target.js';
import type { TkBookingTarget } from '../../../src/components/booking-target/booking-target.js';
import type { TkCalendarPicker } from '../../../src/components/calendar-picker/calendar-picker.js';
import { TkSession } from '../../../src/session/session-service.js';
import type { TkErrorEventDetail } from '../../../src/events/error.js';
import { calendarsOf, newResource, sessionFor } from '../helpers/emulator.js';
import { hasState, part, parts, row, rowControl, waitForState } from '../helpers/dom.js';
import { CALENDAR_PICKER, PICKERS, fixturePicker, type PickerKind } from '../helpers/pickers.js';

/** Timekit calls of this page, and the fault put on the next `count` that match. */
const calls: string[] = [];
let pending: { fault: string; count: number; method: string } | undefined;
/** The resource of the test under way: faults go to its requests only. */
let resourceEmail = '';
const originalFetch = window.fetch;

function inject(method: 'GET' | 'PUT', fault: string, count: number) {
  pending = { method, fault, count };
}

before(() => {
  window.fetch = async (input, init = {}) => {
    const url = new URL(String(input), location.href);
    const method = init.method ?? 'GET';
    // Only the session's calendar calls (it omits cookies; the fixture helpers' own calls do not).
    if (init.credentials !== 'omit' || !/\/v2\/calendars/.test(url.pathname)) return originalFetch(input, init);
    calls.push(`${method} ${url.pathname.replace(/^.*\/v2\//, '/v2/')}`);
    if (pending && pending.count > 0 && pending.method === method) {
      pending.count--;
      await originalFetch('/__tk-test/fault', { method: 'POST', body: JSON.stringify({ email: resourceEmail, method, fault: pending.fault }) });
    }
    return originalFetch(input, init);
  };
});
after(() => {
  window.fetch = originalFetch;
});

/** A picker of `kind` on its own new resource, with its `tk-error`s collected. */
async function mount<El extends TkCalendarPicker | TkBookingTarget>(
  kind: PickerKind<El>,
  options: { extra?: string[]; credentials?: () => Promise<never> | undefined; retryDelayMs?: number } = {},
) {
  const login = await newResource(options.extra ?? ['Gym', 'Clinic']);
  resourceEmail = login.email;
  let minted = 0;
  const session = new TkSession({
    // Small delays: the fault cases stay fast (the delays themselves are session.test.ts's); the
    // timeout leaves room for a loaded machine, where a plain answer can take over a second.
    retryDelayMs: options.retryDelayMs ?? 20,
    timeoutMs: 3_000,
    fetchCredentials: async () => {
      minted++;
      return options.credentials?.() ?? sessionFor(login);
    },
  });
  const picker = await fixturePicker(kind, { session });
  const errors: TkErrorEventDetail[] = [];
  picker.addEventListener('tk-error', (event) => errors.push(event.detail));
  return { login, session, picker, errors, minted: () => minted };
}

const shows = (picker: Element, state: string) => waitForState(picker, state, { message: `not ${state}`, timeout: 10_000 });

/** Both pickers load the same way: what each shows, and fires, when Timekit fails the calendar list. */
function describeLoadingFaults(kind: PickerKind) {
  describe(`fault matrix: <${kind.tag}> loading`, () => {
    beforeEach(() => {
      calls.length = 0;
      pending = undefined;
    });

    // [fault header, failing calls]: retried by the session, so the list shows without an error
    const recovered: Array<[string, number]> = [
      ['status=429; retry-after=0', 2],
      ['status=503; retry-after=1', 1],
      ['status=500', 2],
      ['drop', 2],
      ['malformed', 1],
      ['timeout', 1],
    ];
    for (const [fault, count] of recovered) {
      it(`${fault} × ${count}: retried on its own, the list shows, no tk-error`, async () => {
        inject('GET', fault, count);
        const { picker, errors } = await mount(kind);
        await shows(picker, 'content');
        expect(calls.filter((c) => c.startsWith('GET'))).to.have.length(count + 1);
        expect(errors).to.deep.equal([]);
      });
    }

    it('status=403 × 1: error state, tk-error forbidden, no retry button: the text says what the developer must fix', async () => {
      inject('GET', 'status=403', 1);
      const { picker, errors } = await mount(kind);
      await shows(picker, 'error');
      expect(errors.map((e) => [e.code, e.retryable])).to.deep.equal([['forbidden', false]]);
      expect(part(picker, 'retry-button')).to.equal(null);
      expect(part(picker, 'error')!.textContent).to.contain("The site's developer needs to check");
    });

    const refused: Array<[string, string, boolean, number]> = [
      ['status=404', 'not-found', false, 1],
      ['status=422', 'invalid', false, 1],
      ['status=503; retry-after=0', 'unavailable', true, 3],
      // Timekit dropping the connection reaches the page as the relay's 502: Timekit is unavailable.
      ['drop', 'unavailable', true, 3],
    ];
    for (const [fault, code, retryable, count] of refused) {
      it(`${fault} × ${count}: error state, tk-error ${code}, the retry button recovers`, async () => {
        inject('GET', fault, count);
        const { picker, errors } = await mount(kind);
        await shows(picker, 'error');
        expect(calls).to.have.length(count);
        expect(errors.map((e) => [e.code, e.retryable])).to.deep.equal([[code, retryable]]);
        expect(part(picker, 'error')!.getAttribute('role')).to.equal('alert');
        part(picker, 'retry-button')!.click();
        await shows(picker, 'content');
        expect(parts(picker, 'name')).to.have.length(3);
      });
    }

    it('401 expired credential: refreshes the credential once and shows the list', async () => {
      inject('GET', 'expired-credential', 1);
      const { picker, errors, minted } = await mount(kind);
      await shows(picker, 'content');
      expect([minted(), calls.length, errors.length]).to.deep.equal([2, 2, 0]);
    });

    it('the companion down: asked three times, then error state (network); the retry button asks again and recovers', async () => {
      let down = true;
      const { picker, session, errors, minted } = await mount(kind, { credentials: () => (down ? Promise.reject(new TypeError('Failed to fetch')) : undefined) });
      await shows(picker, 'error');
      // The session's own failure is `tk-session-change`'s to report; the picker shows it.
      expect(part(picker, 'error')!.textContent).to.contain('Could not reach the calendar service');
      expect([session.error?.code, errors.length, calls.length, minted()]).to.deep.equal(['network', 0, 0, 3]);
      down = false;
      part(picker, 'retry-button')!.click();
      await shows(picker, 'content');
      expect(minted()).to.equal(4);
    });

    it('the companion down for a moment: the session asks again on its own, the list shows', async () => {
      let failures = 2;
      const { picker, errors, minted } = await mount(kind, { credentials: () => (failures-- > 0 ? Promise.reject(new TypeError('Failed to fetch')) : undefined) });
      await shows(picker, 'content');
      expect([minted(), errors.length, parts(picker, 'error').length]).to.deep.equal([3, 0, 0]);
    });
  });
}

for (const kind of PICKERS) describeLoadingFaults(kind);

describe('fault matrix: <tk-calendar-picker> saving', () => {
  beforeEach(() => {
    calls.length = 0;
    pending = undefined;
  });

  async function ready(retryDelayMs?: number) {
    const mounted = await mount(CALENDAR_PICKER, { retryDelayMs });
    await shows(mounted.picker, 'content');
    const all = await calendarsOf(mounted.login);
    const gym = all.find((c) => c.name === 'Gym')!;
    const clinic = all.find((c) => c.name === 'Clinic')!;
    return { ...mounted, gym, clinic };
  }

  const saved = async (login: Parameters<typeof calendarsOf>[0], id: string) => (await calendarsOf(login)).find((c) => c.id === id)!.provider_sync;

  it('a refused save (422) rolls back visibly, keeps the other selection, and its retry saves', async () => {
    const { picker, login, gym, clinic, errors } = await ready();
    rowControl(picker, clinic.id).click();
    // Saved in Timekit first: the saving state shows only after a render, so waiting for it to end
    // could let the fault below meet this write instead.
    await waitUntil(async () => await saved(login, clinic.id), 'clinic not saved');
    await waitUntil(() => !hasState(picker, 'saving'));
    inject('PUT', 'status=422', 1);
    const failed = oneEvent(picker, 'tk-error');
    rowControl(picker, gym.id).click();
    expect(picker.value).to.include(gym.id); // optimistic
    expect((await failed).detail.code).to.equal('invalid');
    await waitUntil(() => !picker.value.includes(gym.id), 'not rolled back');
    expect(rowControl(picker, gym.id).checked).to.equal(false);
    expect(picker.value).to.include(clinic.id);
    const rowError = parts(picker, 'row-error');
    expect(rowError).to.have.length(1);
    expect(rowError[0]!.closest('[data-id]')!.getAttribute('data-id')).to.equal(gym.id);
    expect(await saved(login, gym.id)).to.equal(false);

    rowError[0]!.querySelector('button')!.click();
    await waitUntil(() => !hasState(picker, 'saving') && parts(picker, 'row-error').length === 0);
    expect(picker.value).to.include.members([gym.id, clinic.id]);
    expect(await saved(login, gym.id)).to.equal(true);
    expect(errors.map((e) => e.code)).to.deep.equal(['invalid']);
  });

  it('a save that keeps failing (503 × 3) rolls back with tk-error unavailable; the retry saves', async () => {
    const { picker, login, gym } = await ready();
    inject('PUT', 'status=503; retry-after=0', 3);
    const failed = oneEvent(picker, 'tk-error');
    rowControl(picker, gym.id).click();
    expect((await failed).detail).to.deep.include({ code: 'unavailable', retryable: true });
    await waitUntil(() => !picker.value.includes(gym.id), 'not rolled back');
    expect(calls.filter((c) => c.startsWith('PUT'))).to.have.length(3);
    part(picker, 'row-error')!.querySelector('button')!.click();
    await waitUntil(async () => await saved(login, gym.id), 'not saved');
    expect(picker.value).to.include(gym.id);
  });

  it('while a failing save is tried again the row says so; then it rolls back with the reason and Try again on the row', async () => {
    // Retries a second apart, so the row's "(retrying)" is there long enough to be seen.
    const { picker, gym } = await ready(1_000);
    inject('PUT', 'status=503; retry-after=0', 3);
    rowControl(picker, gym.id).click();
    const rowStatus = () => row(picker, gym.id).querySelector('[part~="row-status"]')?.textContent;
    await waitUntil(() => rowStatus() === 'Saving… (retrying)', 'the row never said it was retrying', { timeout: 10_000 });
    expect(rowControl(picker, gym.id).checked).to.equal(true);
    await waitUntil(() => row(picker, gym.id).querySelector('[part~="row-error"]') !== null, 'no error on the row', { timeout: 15_000 });
    const rowError = row(picker, gym.id).querySelector('[part~="row-error"]')!;
    expect(rowError.textContent).to.contain('Could not save “Gym”.').and.to.contain('The calendar service is unavailable right now.');
    expect(rowError.querySelector('[part~="retry-button"]')!.textContent).to.equal('Try again');
    expect([rowControl(picker, gym.id).checked, rowStatus()]).to.deep.equal([false, undefined]);
  });

  for (const fault of ['status=429; retry-after=0', 'status=500', 'drop', 'malformed', 'expired-credential']) {
    it(`a save meeting ${fault} once is retried on its own and saved`, async () => {
      const { picker, login, gym, errors, minted } = await ready();
      inject('PUT', fault, 1);
      rowControl(picker, gym.id).click();
      await waitUntil(async () => await saved(login, gym.id), 'not saved', { timeout: 5_000 });
      await waitUntil(() => !hasState(picker, 'saving'), 'still saving');
      expect([picker.value.includes(gym.id), parts(picker, 'row-error').length, errors.length]).to.deep.equal([true, 0, 0]);
      expect(calls.filter((c) => c.startsWith('PUT'))).to.have.length(2);
      expect(minted()).to.equal(fault === 'expired-credential' ? 2 : 1);
    });
  }
});
