/**
 * Availability constraints: a resource reads and writes its own `availability_constraints` and
 * `timezone` (`GET`/`PUT /resources/:id`), and `POST /availability` offers only the slots the
 * query's constraints and the resource's own allow, in the resource's zone. Timekit's 64,000-character
 * request limit is a 413. The window is Friday 5 June 2026 to Monday 8 June in Berlin (UTC+2, no
 * DST change), with no calendar busy, so only the constraints shape the answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../../src/emulator/index.js';
import { api, appAuth, assertError, assertInvalid, createResource, MISSING_ID, MONDAY_NOON, start, type Headers } from './helpers.js';

const WINDOW = { from: '2026-06-05T00:00:00+02:00', to: '2026-06-09T00:00:00+02:00' };
const EVERY_DAY = 'Fri 0-24, Sat 0-24, Sun 0-24, Mon 0-24';

let emulator: Emulator;
before(async () => (emulator = await start({ now: () => MONDAY_NOON })));
after(() => emulator.close());

/**
 * The slots' starts as local hour ranges per day, e.g. `Fri 9-12 13-17, Mon 0-24` (hour-long
 * slots: `9-12` means slots starting at 9, 10 and 11).
 */
function hoursByDay(slots: Array<{ start: string }>, zone: string): string {
  const days = new Map<string, number[]>();
  for (const slot of slots) {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' })
        .formatToParts(new Date(slot.start))
        .map((p) => [p.type, p.value]),
    );
    days.set(parts.weekday!, [...(days.get(parts.weekday!) ?? []), Number(parts.hour)]);
  }
  return [...days]
    .map(([day, hours]) => {
      const ranges: string[] = [];
      let first = hours[0]!;
      hours.forEach((hour, i) => {
        if (hours[i + 1] === hour + 1) return;
        ranges.push(`${first}-${hour + 1}`);
        first = hours[i + 1]!;
      });
      return `${day} ${ranges.join(' ')}`;
    })
    .join(', ');
}

async function availability(resourceId: string, constraints: unknown[] | undefined, auth: Headers = appAuth(emulator.appKey)) {
  const body = { resources: [resourceId], ...WINDOW, length: '1 hour', ...(constraints ? { constraints } : {}) };
  return api(emulator, '/availability', { auth, body });
}

async function slotsOf(resource: { id: string; timezone: string }, constraints?: unknown[]): Promise<string> {
  const answer = await availability(resource.id, constraints);
  assert.equal(answer.status, 200, answer.text);
  return hoursByDay(answer.body.data, resource.timezone);
}

describe('GET and PUT /resources/:id', () => {
  it('a resource reads itself with its constraints (none at first) and zone; another resource is 404 to it', async () => {
    const own = await createResource(emulator, { timezone: 'Europe/Berlin' });
    const other = await createResource(emulator);
    const read = await api(emulator, `/resources/${own.resource.id}`, { auth: own.auth });
    assert.equal(read.status, 200, read.text);
    assert.deepEqual([read.body.data.availability_constraints, read.body.data.timezone], [[], 'Europe/Berlin']);
    assertError(await api(emulator, `/resources/${other.resource.id}`, { auth: own.auth }), 404, 'Resource');
    assertError(await api(emulator, `/resources/${MISSING_ID}`, { auth: appAuth(emulator.appKey) }), 404, 'Resource');
  });

  it('writes availability_constraints and timezone, answers the resource, and keeps them for the next read', async () => {
    const { resource, auth } = await createResource(emulator);
    const rules = { availability_constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }, { block_weekends: {} }], timezone: 'Asia/Tokyo' };
    const put = await api(emulator, `/resources/${resource.id}`, { method: 'PUT', auth, body: rules });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual([put.body.data.availability_constraints, put.body.data.timezone], [rules.availability_constraints, rules.timezone]);
    const read = await api(emulator, `/resources/${resource.id}`, { auth: appAuth(emulator.appKey) });
    assert.deepEqual([read.body.data.availability_constraints, read.body.data.timezone], [rules.availability_constraints, rules.timezone]);
    assert.equal(read.body.data.name, resource.name, 'other fields stay');
  });

  it('refuses unknown constraints, bad hours, an unknown day, a bad period and an unknown zone with 422; another resource is 404', async () => {
    const { resource, auth } = await createResource(emulator);
    const other = await createResource(emulator);
    const put = (body: unknown, id = resource.id) => api(emulator, `/resources/${id}`, { method: 'PUT', auth, body });
    for (const constraint of [
      { allow_lunch: {} },
      { allow_hours: { start: 17, end: 9 } },
      { allow_hours: { start: 9.5, end: 17 } },
      { allow_day: { day: 'Someday' } },
      { block_period: { start: '2026-06-05', end: '2026-06-06' } },
      { allow_hours: { start: 9, end: 17 }, block_weekends: {} },
    ]) {
      assertInvalid(await put({ availability_constraints: [constraint] }), 'availability_constraints');
    }
    assertInvalid(await put({ availability_constraints: {} }), 'availability_constraints');
    assertInvalid(await put({ timezone: 'Mars/Olympus' }), 'timezone');
    assertError(await put({ timezone: 'UTC' }, other.resource.id), 404, 'Resource');
    const read = await api(emulator, `/resources/${resource.id}`, { auth });
    assert.deepEqual(read.body.data.availability_constraints, [], 'nothing refused was kept');
  });

  it('answers 204 without a body under putNoContent, and keeps the write', async () => {
    const strict = await start({ switches: { putNoContent: true } });
    try {
      const { resource, auth } = await createResource(strict);
      const put = await api(strict, `/resources/${resource.id}`, { method: 'PUT', auth, body: { timezone: 'Europe/Lisbon' } });
      assert.deepEqual([put.status, put.text], [204, '']);
      assert.equal((await api(strict, `/resources/${resource.id}`, { auth })).body.data.timezone, 'Europe/Lisbon');
    } finally {
      await strict.close();
    }
  });
});

describe('POST /availability with constraints, in the resource zone', () => {
  let berlin: { id: string; timezone: string };
  before(async () => (berlin = (await createResource(emulator, { timezone: 'Europe/Berlin' })).resource));

  const cases: Array<[string, unknown[], string]> = [
    ['no constraint allows all time', [], EVERY_DAY],
    ['allow_day_and_time: only that day, those hours', [{ allow_day_and_time: { day: 'Friday', start: 9, end: 17 } }], 'Fri 9-17'],
    [
      'several allow rules are OR-ed',
      [{ allow_day_and_time: { day: 'Friday', start: 9, end: 12 } }, { allow_day_and_time: { day: 'Monday', start: 14, end: 16 } }],
      'Fri 9-12, Mon 14-16',
    ],
    ['allow_hours: those hours every day', [{ allow_hours: { start: 8, end: 10 } }], 'Fri 8-10, Sat 8-10, Sun 8-10, Mon 8-10'],
    ['block_hours cuts out of the allowed hours', [{ allow_hours: { start: 8, end: 18 } }, { block_hours: { start: 12, end: 13 } }], 'Fri 8-12 13-18, Sat 8-12 13-18, Sun 8-12 13-18, Mon 8-12 13-18'],
    ['allow_day: the whole day', [{ allow_day: { day: 'Saturday' } }], 'Sat 0-24'],
    ['block_day: all but that day', [{ block_day: { day: 'Sunday' } }], 'Fri 0-24, Sat 0-24, Mon 0-24'],
    ['allow_weekdays: Monday to Friday', [{ allow_weekdays: {} }], 'Fri 0-24, Mon 0-24'],
    ['block_weekends: no Saturday nor Sunday', [{ block_weekends: {} }], 'Fri 0-24, Mon 0-24'],
    ['block_day_and_time: part of a day', [{ allow_weekdays: {} }, { block_day_and_time: { day: 'Monday', start: 0, end: 12 } }], 'Fri 0-24, Mon 12-24'],
    ['allow_period: only inside it', [{ allow_period: { start: '2026-06-06T10:00:00+02:00', end: '2026-06-06T12:00:00+02:00' } }], 'Sat 10-12'],
    [
      'working hours with a day off (block_period) and extra hours on a Saturday (allow_period)',
      [
        ...['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].map((day) => ({ allow_day_and_time: { day, start: 9, end: 17 } })),
        { block_period: { start: '2026-06-08T00:00:00+02:00', end: '2026-06-09T00:00:00+02:00' } },
        { allow_period: { start: '2026-06-06T10:00:00+02:00', end: '2026-06-06T12:00:00+02:00' } },
      ],
      'Fri 9-17, Sat 10-12',
    ],
  ];
  for (const [name, constraints, expected] of cases) {
    it(name, async () => assert.equal(await slotsOf(berlin, constraints), expected));
  }

  it('reads the hours in the resource zone: Friday 9–10 is 07:00 UTC in Berlin, 13:00 UTC in New York, 00:00 UTC in Tokyo', async () => {
    const constraints = [{ allow_day_and_time: { day: 'Friday', start: 9, end: 10 } }];
    const startsIn = async (timezone: string) => {
      const { resource } = await createResource(emulator, { timezone });
      const answer = await availability(resource.id, constraints);
      return answer.body.data.map((slot: { start: string }) => new Date(slot.start).toISOString());
    };
    assert.deepEqual(await startsIn('Europe/Berlin'), ['2026-06-05T07:00:00.000Z']);
    assert.deepEqual(await startsIn('America/New_York'), ['2026-06-05T13:00:00.000Z']);
assert.deepEqual(await startsIn('Asia/Tokyo'), ['2026-06-05T00:00:00.000Z']);
  });

  it("applies the resource's stored availability_constraints together with the query's", async () => {
    const { resource, auth } = await createResource(emulator, { timezone: 'Europe/Berlin' });
    const stored = [{ allow_day_and_time: { day: 'Friday', start: 9, end: 12 } }];
    assert.equal((await api(emulator, `/resources/${resource.id}`, { method: 'PUT', auth, body: { availability_constraints: stored } })).status, 200);
    assert.equal(await slotsOf(resource), 'Fri 9-12');
    assert.equal(await slotsOf(resource, [{ allow_day_and_time: { day: 'Monday', start: 14, end: 16 } }]), 'Fri 9-12, Mon 14-16');
    assert.equal(await slotsOf(resource, [{ block_hours: { start: 10, end: 11 } }]), 'Fri 9-10 11-12');
  });

  it('answers each slot with its resource, and refuses a bad constraint with 422', async () => {
    const answer = await availability(berlin.id, [{ allow_period: { start: '2026-06-06T10:00:00+02:00', end: '2026-06-06T11:00:00+02:00' } }]);
    assert.equal(answer.body.data.length, 1);
    assert.deepEqual(
      answer.body.data[0].resources.map((r: { id: string }) => r.id),
      [berlin.id],
    );
    assertInvalid(await availability(berlin.id, [{ allow_everything: {} }]), 'constraints');
    assertInvalid(await availability(berlin.id, [{ allow_day: { day: 'Caturday' } }]), 'constraints');
  });
});

describe("Timekit's 64,000-character request limit", () => {
  it('answers a longer JSON body with 413 and keeps nothing; one just under the limit is read', async () => {
    const { resource, auth } = await createResource(emulator);
    const period = { block_period: { start: '2026-06-05T10:00:00+02:00', end: '2026-06-05T11:00:00+02:00' } };
    const body = (count: number) => ({ availability_constraints: Array.from({ length: count }, () => period) });
    const perRule = JSON.stringify(period).length + 1;
    const under = body(Math.floor(63_900 / perRule));
    const over = body(Math.ceil(64_100 / perRule));
    assert.ok(JSON.stringify(under).length <= 64_000 && JSON.stringify(over).length > 64_000);
    assertError(await api(emulator, `/resources/${resource.id}`, { method: 'PUT', auth, body: over }), 413);
    assert.deepEqual((await api(emulator, `/resources/${resource.id}`, { auth })).body.data.availability_constraints, []);
    assert.equal((await api(emulator, `/resources/${resource.id}`, { method: 'PUT', auth, body: under })).status, 200);
    assertError(await availability(resource.id, over.availability_constraints), 413);
  });
});
