/**
 * The session's working-hours API against the real emulator (evidence profile) and companion: the
 * rules round trip through the relay, and bookable slots from `/availability` through the relay or
 * from findtime with the widget credential, narrowed to the rules shown. The week is Monday 7 June
 * 2027 to Monday 14 June in Berlin (UTC+2 all week).
 */
import { expect } from '@open-wc/testing';
import { TkSession } from '../../../src/session/session-service.js';
import { TkError } from '../../../src/session/errors.js';
import type { TkAvailabilityRules, TkConstraint } from '../../../src/shared/constraints.js';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import { bookFor, newResource, sessionFor, type Login } from '../helpers/emulator.js';

const WEEK = { from: '2027-06-07T00:00:00+02:00', to: '2027-06-14T00:00:00+02:00', length: '1 hour' };
const WORKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'] as const;
const NINE_TO_FIVE: TkConstraint[] = WORKDAYS.map((day) => ({ allow_day_and_time: { day, start: 9, end: 17 } }));
const WEDNESDAY_OFF: TkConstraint = { block_period: { start: '2027-06-09T00:00:00+02:00', end: '2027-06-10T00:00:00+02:00' } };
const RULES: TkAvailabilityRules = { constraints: [...NINE_TO_FIVE, WEDNESDAY_OFF], timezone: 'Europe/Berlin' };

/** Hour-long slots 09:00–17:00 Berlin (07:00–15:00 UTC) on the given June 2027 days, in UTC ISO form. */
function workingHours(days: number[]): string[] {
  return days.flatMap((day) => Array.from({ length: 8 }, (_, i) => new Date(Date.UTC(2027, 5, day, 7 + i)).toISOString()));
}

const startsOf = (slots: Array<{ start: string }>) => slots.map((slot) => new Date(slot.start).toISOString());

/** The same resource in direct mode: the widget credential as the session's only Timekit credential. */
function directSession(relay: TkReadySession): TkSession {
  const widget = relay.widget!;
  return new TkSession({
    fetchCredentials: async () => ({ ...relay, mode: 'direct', apiBase: widget.apiBase, app: widget.app, token: widget.token, expiresAt: widget.expiresAt, widget: undefined }),
  });
}

describe('TkSession availability rules and bookable slots (real emulator and companion)', () => {
  let login: Login;
  let relay: TkReadySession;
  let session: TkSession;

  before(async () => {
    login = await newResource();
    relay = await sessionFor(login);
    session = new TkSession({ fetchCredentials: async () => relay });
  });
  after(() => session.stop());

  it('loads a new resource as unsaved rules in its zone, saves the rules through the relay, and loads them back', async () => {
    expect(await session.loadAvailabilityRules()).to.deep.equal({ constraints: [], timezone: 'Europe/Berlin', saved: false });
    // The evidence profile answers the PUT with 204: the session reads the rules back.
    expect(await session.saveAvailabilityRules(RULES)).to.deep.equal(RULES);
    expect(await session.loadAvailabilityRules()).to.deep.equal({ ...RULES, saved: true });
  });

  it('offers through /availability only the slots inside the rules, without busy time', async () => {
    await bookFor(login, '2027-06-08T10:00:00+02:00', '2027-06-08T11:00:00+02:00');
    const slots = await session.bookableSlots({ rules: RULES, ...WEEK });
    expect(session.availabilityPath).to.equal('availability');
    const expected = workingHours([7, 8, 10, 11]).filter((start) => start !== '2027-06-08T08:00:00.000Z');
    expect(startsOf(slots)).to.deep.equal(expected);
  });

  it('narrows to the rules the page shows, even before they are saved', async () => {
    const mornings: TkAvailabilityRules = { constraints: [...RULES.constraints, { block_hours: { start: 12, end: 24 } }], timezone: 'Europe/Berlin' };
    const slots = await session.bookableSlots({ rules: mornings, ...WEEK });
    expect(startsOf(slots)).to.deep.equal(workingHours([7, 8, 10, 11]).filter((start) => Number(start.slice(11, 13)) < 10 && start !== '2027-06-08T08:00:00.000Z'));
  });

  it('in direct mode asks findtime with the widget credential, with the same slots', async () => {
    const direct = directSession(relay);
    try {
      const viaAvailability = await session.bookableSlots({ rules: RULES, ...WEEK });
      const viaFindtime = await direct.bookableSlots({ rules: RULES, ...WEEK });
      expect(direct.availabilityPath).to.equal('findtime');
      expect(startsOf(viaFindtime)).to.deep.equal(startsOf(viaAvailability));
      // Over no calendar at all, the booking's busy hour is free again.
      const noCalendars = await direct.bookableSlots({ rules: RULES, ...WEEK, calendarIds: [] });
      expect(startsOf(noCalendars)).to.deep.equal(workingHours([7, 8, 10, 11]));
    } finally {
      direct.stop();
    }
  });

  it("refuses rules past Timekit's 64,000 characters with invalid, and keeps the saved rules", async () => {
    const period: TkConstraint = { block_period: { start: '2027-06-09T10:00:00+02:00', end: '2027-06-09T11:00:00+02:00' } };
    const tooMany = { constraints: Array.from({ length: 1_000 }, () => period), timezone: 'Europe/Berlin' };
    const error = await session.saveAvailabilityRules(tooMany).then(() => null, (e: unknown) => e);
    expect(error).to.be.instanceOf(TkError);
    expect((error as TkError).code).to.equal('invalid');
    expect((await session.loadAvailabilityRules()).constraints).to.deep.equal(RULES.constraints);
  });
});

describe('TkSession availabilityRules (the rules shown on the page)', () => {
  it("follows the latest report, withdraws an element's rules with null, and fires 'rules' on each change only", () => {
    const session = new TkSession({ fetchCredentials: async () => ({ status: 'signed-out' }) });
    let events = 0;
    session.addEventListener('rules', () => events++);
    const [first, second] = [{}, {}];
    const berlin: TkAvailabilityRules = { constraints: [{ allow_weekdays: {} }], timezone: 'Europe/Berlin' };
    const lisbon: TkAvailabilityRules = { constraints: [], timezone: 'Europe/Lisbon' };
    expect(session.availabilityRules).to.equal(null);
    session.setAvailabilityRules(first, berlin);
    session.setAvailabilityRules(second, lisbon);
    expect(session.availabilityRules).to.equal(lisbon);
    session.setAvailabilityRules(first, null);
    expect([session.availabilityRules, events]).to.deep.equal([lisbon, 2]);
    session.setAvailabilityRules(second, null);
    expect([session.availabilityRules, events]).to.deep.equal([null, 3]);
  });
});
