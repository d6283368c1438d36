/**
 * The fidelity matrix: the kit's core flow (provision a plain resource, connect Google, list
 * calendars, toggle one and sync, book into the chosen target) against an emulator playing each
 * side of Timekit's undocumented behaviour (docs/timekit-api.md): both profiles, and every switch
 * alone over the optimistic side. The browser half runs TkSession itself, as the elements do; a
 * fetch that adds what a browser adds on its own (`Origin`, and the `Referer` the session asks for)
 * stands in for the page.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FIDELITY_SWITCHES, type EmulatorOptions } from '../../../src/emulator/index.js';
import { TkSession } from '../../../src/session/session-service.js';
import type { TkSessionResponse } from '../../../src/shared/companion-protocol.js';
import type { TimekitEnvelope } from '../../../src/shared/timekit.js';
import { connect, PAGE, postSession, resultOf, startRig, waitFor, type Rig } from './helpers.js';
import { bookSlot } from '../../shared/matrix-booking.js';

const IDENTITY = 'alex.morgan@example.com';

const CASES: Array<{ name: string; emulator: EmulatorOptions }> = [
  { name: 'the optimistic profile', emulator: { profile: 'optimistic' } },
  { name: 'the evidence profile', emulator: { profile: 'evidence' } },
  ...FIDELITY_SWITCHES.map((name) => ({ name: `${name} alone`, emulator: { profile: 'optimistic' as const, switches: { [name]: true } } })),
];

/**
 * What a browser adds by itself to the session's Timekit calls (the ones that omit cookies):
 * `Origin` on a cross-origin call, and the `Referer` that `strict-origin` sends.
 */
const originalFetch = globalThis.fetch;
function browserFetch(input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
  if (init.credentials !== 'omit') return originalFetch(input, init);
  const headers = new Headers(init.headers);
  if (!headers.has('origin')) headers.set('origin', PAGE);
  if (!headers.has('referer') && init.referrerPolicy === 'strict-origin') headers.set('referer', `${PAGE}/`);
  return originalFetch(input, { ...init, headers });
}

/** A TkSession for `user`, its credentials from the companion's `POST /session` (its relay path resolved against the endpoint). */
function sessionOf(rig: Rig, user: string): TkSession {
  return new TkSession({
    endpoint: rig.url,
    retryDelayMs: 10,
    syncDelayMs: 20,
    fetchCredentials: async () => JSON.parse((await postSession(rig, user)).body) as TkSessionResponse,
  });
}

for (const { name, emulator } of CASES) {
  describe(`core flow on ${name}`, () => {
    let rig: Rig;
    let session: TkSession;
    before(async () => {
      rig = await startRig({}, emulator);
      globalThis.fetch = browserFetch as typeof fetch;
    });
    after(async () => {
      globalThis.fetch = originalFetch;
      session?.stop();
      await rig.close();
    });

    it('provisionResource makes a plain resource whose session works', async () => {
      const made = await rig.companion.provisionResource('plain', { name: 'Pat Plain', email: 'pat@example.org', timezone: 'Europe/Oslo' });
      assert.equal(rig.emulator.state.resources.get(made.resourceId)?.email, 'pat@example.org');
      assert.equal(rig.emulator.state.calendars.get(made.calendarId)?.resource_id, made.resourceId);
      const plain = sessionOf(rig, 'plain');
      try {
        assert.deepEqual((await plain.calendars()).map((c) => c.id), [made.calendarId]);
      } finally {
        plain.stop();
      }
    });

    it('connect stores the resource Timekit signed in, not another one a search returned', async () => {
      // The plain resource above comes first in the app's list: a search Timekit ignores would return it.
      const page = await connect(rig, 'pro', IDENTITY);
      assert.equal(resultOf(page).message.ok, true, page.body);
      const record = (await rig.store.get('pro'))!;
      assert.equal(record.resourceId, rig.emulator.state.resourceByEmail(IDENTITY)!.id);
      assert.equal(record.email, IDENTITY);
      session = sessionOf(rig, 'pro');
      await session.refresh();
      assert.equal(session.status, 'ready');
      assert.equal(session.account?.resourceId, record.resourceId);
    });

    it('lists the calendars, toggles one, and one sync follows that imports its events', async () => {
      const calendars = await session.calendars();
      const work = calendars.find((c) => c.name === 'Work')!;
      assert.ok(work, 'the Work calendar is listed');
      // The companion's sync after the connect, then the session's page-load health sync.
      await waitFor(() => rig.count('POST', /^\/accounts\/sync$/) === 2);
      const syncsBefore = rig.count('POST', /^\/accounts\/sync$/);
      const saved = await session.setProviderSync(work.id, true);
      assert.equal(saved.provider_sync, true);
      assert.equal(rig.emulator.state.calendars.get(work.id)?.provider_sync, true);
      assert.equal(rig.count('PUT', new RegExp(`^/calendars/${work.id}$`)), 1, 'the write went out once');
      await waitFor(() => session.syncStatus === 'idle' && rig.count('POST', /^\/accounts\/sync$/) > syncsBefore);
      assert.equal(rig.count('POST', /^\/accounts\/sync$/), syncsBefore + 1);
      const events = [...rig.emulator.state.events.values()].filter((e) => e.calendar_id === work.id);
      assert.ok(events.length > 0, "the Work calendar's busy events are in Timekit");
    });

    it('findtime with the widget credential sees the synced busy time, and a booking lands in the chosen target', async () => {
      const calendars = await session.calendars();
      const work = calendars.find((c) => c.name === 'Work')!;
      const target = calendars.find((c) => c.provider_primary)!;
      const slots = (await session.request<TimekitEnvelope<Array<{ start: string; end: string }>>>('POST', '/findtime', {
        body: { calendar_ids: [work.id, target.id], length: '30 minutes', future: '2 weeks' },
      }))!.data;
      assert.ok(slots.length > 0);
      const busy = [...rig.emulator.state.events.values()].filter((e) => e.calendar_id === work.id).map((e) => [Date.parse(e.start), Date.parse(e.end)]);
      for (const slot of slots) {
        const [start, end] = [Date.parse(slot.start), Date.parse(slot.end)];
        assert.ok(!busy.some(([s, e]) => start < e! && s! < end), `${slot.start} overlaps a busy Work event`);
      }
      const booking = await bookSlot(session, slots[0]!, target.id);
      const booked = [...rig.emulator.state.events.values()].find((e) => e.booking_id === booking.id);
      assert.equal(booked?.calendar_id, target.id);
    });

    it('declining consent stores nothing and says consent-denied', async () => {
      const page = await connect(rig, 'shy', IDENTITY, 'deny');
      assert.equal(resultOf(page).message.code, 'consent-denied');
      assert.equal(await rig.store.get('shy'), null);
    });
  });
}
