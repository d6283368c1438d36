/**
 * In memory by default; with `stateFile`, what one emulator instance wrote is there after
 * `close()` and a new start on the same file.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import { ALEX, api, appAuth, MONDAY_NOON, start, syncedIdentity, userAuth, widgetCredential } from './helpers.js';

let dir: string;
before(() => (dir = mkdtempSync(join(tmpdir(), 'tk-emulator-state-'))));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('stateFile', () => {
  it('keeps resources, calendars, provider_sync choices, credentials and bookings across a restart', async () => {
    const stateFile = join(dir, 'state.json');
    let emulator: Emulator = await start({ stateFile, now: () => MONDAY_NOON });
    const alex = await syncedIdentity(emulator, ALEX);
    const work = alex.byName.get('Work');
    await api(emulator, `/calendars/${work.id}`, { method: 'PUT', auth: alex.auth, body: { provider_sync: true } });
    const widget = await widgetCredential(emulator, alex.auth, { referrer: '*' });
    const booking = await api(emulator, '/bookings', {
      auth: alex.auth,
      body: {
        graph: 'instant',
        start: '2026-06-03T18:00:00Z',
        end: '2026-06-03T19:00:00Z',
        what: 'Survives a restart',
        calendar_id: alex.byName.get('Bookings').id,
        customer: { name: 'Pat', email: 'pat@example.com' },
      },
    });
    assert.equal(booking.status, 201);
    const findtimeBefore = await api(emulator, '/findtime', { auth: alex.auth, body: { start: '2026-06-02T00:00:00Z', future: '2 days' } });
    // The last change right before close() must be saved too (saves are debounced).
    const plain = await api(emulator, '/resources', { auth: appAuth(emulator.appKey), body: { name: 'Last one', timezone: 'UTC' } });
    await emulator.close();
    assert.ok(existsSync(stateFile));

    emulator = await start({ stateFile, now: () => MONDAY_NOON });
    try {
      const calendars = await api(emulator, '/calendars', { auth: alex.auth });
      assert.equal(calendars.status, 200, 'the resource token still authenticates');
      // The clock is pinned, so only provider_sync differs from the list taken after the sync.
      const expected = alex.calendars.map((c) => (c.id === work.id ? { ...c, provider_sync: true } : c));
      assert.deepEqual(calendars.body.data, expected);
      const widgetCall = await api(emulator, '/calendars', { auth: { ...userAuth(ALEX, widget.token), origin: 'https://x.example' } });
      assert.equal(widgetCall.status, 200);
      const read = await api(emulator, `/bookings/${booking.body.data.id}?include=event`, { auth: alex.auth });
      assert.equal(read.status, 200);
      assert.equal(read.body.data.event.what, 'Survives a restart');
      const findtimeAfter = await api(emulator, '/findtime', { auth: alex.auth, body: { start: '2026-06-02T00:00:00Z', future: '2 days' } });
      assert.deepEqual(findtimeAfter.body, findtimeBefore.body, 'the busy events were saved too');
      const last = await api(emulator, `/resources/${plain.body.data.id}`, { auth: appAuth(emulator.appKey) });
      assert.equal(last.status, 200);
      const accounts = await api(emulator, '/accounts', { auth: alex.auth });
      assert.equal(accounts.body.data[0].provider_id, ALEX);
    } finally {
      await emulator.close();
    }
  });

  it('starts empty on a new file, and keeps nothing without one', async () => {
    const fresh = await start({ stateFile: join(dir, 'other.json') });
    const resources = await api(fresh, '/resources', { auth: appAuth(fresh.appKey) });
    assert.equal(resources.body.total, 0);
    await api(fresh, '/resources', { auth: appAuth(fresh.appKey), body: { name: 'Only here', timezone: 'UTC' } });
    await fresh.close();

    const memory = await start();
    await api(memory, '/resources', { auth: appAuth(memory.appKey), body: { name: 'Gone soon', timezone: 'UTC' } });
    await memory.close();
    const again = await start();
    try {
      assert.equal((await api(again, '/resources', { auth: appAuth(again.appKey) })).body.total, 0);
    } finally {
      await again.close();
    }
  });
});
