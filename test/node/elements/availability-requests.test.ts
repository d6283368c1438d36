/**
 * The session's rules write without a browser, against a stand-in for the Timekit client: what it
 * accepts back from Timekit (liberal: any key order, an empty answer read back) and what it
 * refuses (rules Timekit did not keep, a body past Timekit's limit, never sent).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { saveRules } from '../../../src/session/availability-requests.js';
import { TkError } from '../../../src/session/errors.js';
import type { TkAvailabilityRules } from '../../../src/shared/constraints.js';
import type { TkAccountInfo } from '../../../src/session/credentials.js';
import type { TimekitClient } from '../../../src/session/timekit-client.js';

const account = { resourceId: 'res-1' } as TkAccountInfo;
const holidays = { start: '2026-12-24T00:00:00+01:00', end: '2026-12-27T00:00:00+01:00' };
const rules: TkAvailabilityRules = {
  timezone: 'Europe/Berlin',
  constraints: [{ allow_day_and_time: { day: 'Monday', start: 9, end: 17 } }, { block_period: holidays }],
};

/** A client whose answers the test gives per method; it records every call. */
function client(answers: { PUT?: unknown; GET?: unknown }) {
  const calls: Array<{ method: string; path: string; body?: unknown }> = [];
  const stand = {
    async request(method: 'GET' | 'PUT', path: string, options: { body?: unknown } = {}) {
      calls.push({ method, path, body: options.body });
      return answers[method];
    },
  };
  return { client: stand as unknown as TimekitClient, calls };
}

describe('saveRules', () => {
  it('writes only the two fields to the resource, and takes the answer back with its keys in any order', async () => {
    const reordered = {
      timezone: 'Europe/Berlin',
      availability_constraints: [{ allow_day_and_time: { end: 17, start: 9, day: 'Monday' } }, { block_period: { end: holidays.end, start: holidays.start } }],
    };
    const { client: stand, calls } = client({ PUT: { data: reordered } });
    assert.deepEqual(await saveRules(stand, account, rules), { constraints: reordered.availability_constraints, timezone: 'Europe/Berlin' });
    assert.deepEqual(calls, [{ method: 'PUT', path: '/resources/res-1', body: { availability_constraints: rules.constraints, timezone: 'Europe/Berlin' } }]);
  });

  it('reads the resource back when Timekit answers the write without a body (204)', async () => {
    const { client: stand, calls } = client({ PUT: undefined, GET: { data: { availability_constraints: rules.constraints, timezone: 'Europe/Berlin' } } });
    assert.deepEqual(await saveRules(stand, account, rules), rules);
    assert.deepEqual(calls.map((c) => c.method), ['PUT', 'GET']);
  });

  it('refuses as unavailable rules Timekit answered but did not keep', async () => {
    const { client: stand } = client({ PUT: { data: { availability_constraints: [], timezone: 'Europe/Berlin' } } });
    await assert.rejects(saveRules(stand, account, rules), (error: unknown) => error instanceof TkError && error.code === 'unavailable');
  });

  it("refuses rules past Timekit's 64,000 characters as invalid, before sending anything", async () => {
    const many = { ...rules, constraints: Array.from({ length: 2000 }, () => rules.constraints[1]!) };
    const { client: stand, calls } = client({});
    await assert.rejects(saveRules(stand, account, many), (error: unknown) => error instanceof TkError && error.code === 'invalid');
    assert.equal(calls.length, 0);
  });
});
