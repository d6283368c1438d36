/**
 * The emulator's seeded, deterministic world: one Timekit app and the fake Google and Microsoft
 * identities that its consent pages offer, each with a realistic calendar set and weekly busy
 * events.
 */
import type { ProviderAccess, TimekitAccount } from '../shared/timekit.js';

/** The calendar providers Timekit connects (fidelity re-audit, row 17): Google and Microsoft 365. */
export type Provider = TimekitAccount['provider'];

export interface SeedApp {
  slug: string;
  name: string;
  /** Live key: rate limits answer 503. */
  appKey: string;
  /** Test key: responses carry `Timekit-TestMode: true`, rate limits answer 429. */
  testAppKey: string;
}

/** The seeded app's slug and name. Its keys are random per run unless given (see `createEmulator`). */
export const DEFAULT_APP: Pick<SeedApp, 'slug' | 'name'> = {
  slug: 'tk-demo',
  name: 'tk-elements demo app',
};

/** A recurring busy block, in the identity's own time zone. Days: 0 = Sunday … 6 = Saturday. */
interface WeeklyBusy {
  days: number[];
  start: string;
  end: string;
  what: string;
}

interface CalendarSeed {
  providerId: string;
  name: string;
  description: string | null;
  access: ProviderAccess;
  primary?: boolean;
  color: string;
  busy: WeeklyBusy[];
}

export interface SeedIdentity {
  email: string;
  name: string;
  firstName: string;
  lastName: string;
  timezone: string;
  /** One line for the consent page, so a tester knows what each identity is for. */
  summary: string;
  calendars: CalendarSeed[];
  /**
   * A personal Microsoft account (Outlook.com): Timekit supports organisational accounts only, so
   * Allow ends on Microsoft's AADSTS50020 page and never comes back to the callback.
   */
  personal?: boolean;
}

const WEEKDAYS = [1, 2, 3, 4, 5];

/** Exactly 500 characters, for layout and truncation tests. */
const LONG_CALENDAR_NAME = (
  'Quarterly planning, budget reviews, hiring loops, vendor calls and everything else that ' +
  'lands in one shared calendar '
)
  .repeat(5)
  .slice(0, 500);

const HTML_CALENDAR_NAME = '<b>Board</b> & "meetings" <img src=x onerror=alert(1)>';

function primary(email: string, color: string, busy: WeeklyBusy[]): CalendarSeed {
  return { providerId: email, name: email, description: null, access: 'owner', primary: true, color, busy };
}

function bulkCalendars(count: number): CalendarSeed[] {
  const accesses: ProviderAccess[] = ['owner', 'writer', 'reader'];
  return Array.from({ length: count }, (_, i) => {
    const n = String(i + 1).padStart(4, '0');
    return {
      providerId: `project-${n}@group.calendar.google.com`,
      name: `Project ${n}`,
      description: `Bulk calendar ${n} for performance work`,
      access: accesses[i % 3]!,
      color: `#${((i * 2654435761) % 0xffffff).toString(16).padStart(6, '0')}`,
      busy: i % 50 === 0 ? [{ days: [i % 7], start: '11:00', end: '12:00', what: `Project ${n} review` }] : [],
    };
  });
}

export const GOOGLE_IDENTITIES: readonly SeedIdentity[] = [
  {
    email: 'alex.morgan@example.com',
    name: 'Alex Morgan',
    firstName: 'Alex',
    lastName: 'Morgan',
    timezone: 'America/New_York',
    summary: 'A consultant: primary, work, a read-only team rota, holidays, a 500-character name',
    calendars: [
      primary('alex.morgan@example.com', '#4285f4', [
        { days: [1, 3], start: '12:00', end: '13:00', what: 'Lunch with Sam' },
        { days: [5], start: '16:00', end: '17:00', what: 'Gym' },
      ]),
      {
        providerId: 'c_work_alex@group.calendar.google.com',
        name: 'Work',
        description: 'Client meetings',
        access: 'owner',
        color: '#0b8043',
        busy: [
          { days: [2, 4], start: '10:00', end: '12:00', what: 'Client workshop' },
          { days: WEEKDAYS, start: '09:00', end: '09:30', what: 'Stand-up' },
        ],
      },
      {
        providerId: 'c_team_rota@group.calendar.google.com',
        name: 'Team rota',
        description: 'Shared by the team lead; read-only',
        access: 'reader',
        color: '#f4511e',
        busy: [{ days: WEEKDAYS, start: '15:00', end: '16:00', what: 'On call' }],
      },
      {
        providerId: 'en.usa#holiday@group.v.calendar.google.com',
        name: 'Holidays in United States',
        description: 'Public holidays',
        access: 'reader',
        color: '#33b679',
        busy: [],
      },
      {
        providerId: 'c_long_alex@group.calendar.google.com',
        name: LONG_CALENDAR_NAME,
        description: null,
        access: 'writer',
        color: '#8e24aa',
        busy: [],
      },
    ],
  },
  {
    email: 'yuki.tanaka@example.jp',
    name: '田中 ゆき',
    firstName: 'ゆき',
    lastName: '田中',
    timezone: 'Asia/Tokyo',
    summary: 'Non-Latin names and emoji',
    calendars: [
      primary('yuki.tanaka@example.jp', '#7986cb', [{ days: WEEKDAYS, start: '12:00', end: '13:00', what: '昼食' }]),
      {
        providerId: 'c_shigoto@group.calendar.google.com',
        name: '仕事',
        description: '会議',
        access: 'owner',
        color: '#e67c73',
        busy: [{ days: [1, 2, 3], start: '14:00', end: '16:00', what: '定例会議' }],
      },
      {
        providerId: 'c_kazoku@group.calendar.google.com',
        name: '家族の予定 👨‍👩‍👧',
        description: null,
        access: 'writer',
        color: '#f6bf26',
        busy: [{ days: [6], start: '10:00', end: '12:00', what: '公園' }],
      },
      {
        providerId: 'ja.japanese#holiday@group.v.calendar.google.com',
        name: '日本の祝日',
        description: null,
        access: 'reader',
        color: '#039be5',
        busy: [],
      },
    ],
  },
  {
    email: 'noor.haddad@example.com',
    name: 'نور حداد',
    firstName: 'نور',
    lastName: 'حداد',
    timezone: 'Asia/Dubai',
    summary: 'Right-to-left names and a calendar name full of HTML',
    calendars: [
      primary('noor.haddad@example.com', '#009688', [{ days: [0, 1, 2, 3, 4], start: '09:00', end: '10:00', what: 'اجتماع' }]),
      {
        providerId: 'c_amal@group.calendar.google.com',
        name: 'العمل',
        description: 'اجتماعات العملاء',
        access: 'owner',
        color: '#795548',
        busy: [{ days: [0, 2], start: '13:00', end: '15:00', what: 'زيارة عميل' }],
      },
      {
        providerId: 'c_family_noor@group.calendar.google.com',
        name: 'مواعيد العائلة',
        description: null,
        access: 'reader',
        color: '#a79b8e',
        busy: [],
      },
      {
        providerId: 'c_html_noor@group.calendar.google.com',
        name: HTML_CALENDAR_NAME,
        description: '<script>alert("description")</script>',
        access: 'owner',
        color: '#d50000',
        busy: [],
      },
    ],
  },
  {
    email: 'sam.lee@example.com',
    name: 'Sam Lee',
    firstName: 'Sam',
    lastName: 'Lee',
    timezone: 'Europe/Berlin',
    summary: '1,000 calendars, for performance work',
    calendars: [
      primary('sam.lee@example.com', '#3f51b5', [{ days: WEEKDAYS, start: '08:00', end: '09:00', what: 'Commute' }]),
      ...bulkCalendars(999),
    ],
  },
  {
    email: 'jordan.reed@example.com',
    name: 'Jordan Reed',
    firstName: 'Jordan',
    lastName: 'Reed',
    timezone: 'Europe/London',
    summary: 'Only the primary calendar is writable; everything else is shared read-only',
    calendars: [
      primary('jordan.reed@example.com', '#616161', []),
      {
        providerId: 'c_clinic_rota@group.calendar.google.com',
        name: 'Clinic rota',
        description: 'Managed by the practice',
        access: 'reader',
        color: '#ad1457',
        busy: [{ days: WEEKDAYS, start: '09:00', end: '13:00', what: 'Clinic' }],
      },
      {
        providerId: 'c_rooms@group.calendar.google.com',
        name: 'Room bookings',
        description: null,
        access: 'reader',
        color: '#c0ca33',
        busy: [],
      },
    ],
  },
  {
    // Timekit may append the email to the callback unencoded (doubt #5 in docs/emulator.md): a
    // "+" then reads as a space.
    email: 'riley.quinn+tk@example.com',
    name: 'Riley Quinn',
    firstName: 'Riley',
    lastName: 'Quinn',
    timezone: 'Australia/Sydney',
    summary: 'A "+" in the email, which a callback must carry intact',
    calendars: [primary('riley.quinn+tk@example.com', '#00897b', [{ days: WEEKDAYS, start: '15:00', end: '16:00', what: 'Tutoring' }])],
  },
];

/**
 * A Microsoft Graph calendar id for a seed: Graph ids are long base64 strings (`AAMkAD…=`), not
 * emails, and carry `=`, `-` and `_`, which a client must keep intact. Deterministic per name.
 */
function graphId(name: string): string {
  return `AAMkAD${Buffer.from(`tk-emulator-calendar/${name}`).toString('base64').replace(/\+/g, '-').replace(/\//g, '_')}`;
}

/** Outlook names every mailbox's default calendar "Calendar". */
function outlookPrimary(email: string, color: string, busy: WeeklyBusy[]): CalendarSeed {
  return { providerId: graphId(email), name: 'Calendar', description: null, access: 'owner', primary: true, color, busy };
}

/**
 * The fake Microsoft 365 identities the emulator's Microsoft sign-in page offers: work or school
 * accounts (organisational; Timekit supports only these), and one personal Outlook.com account
 * that Microsoft refuses with AADSTS50020 before Timekit hears anything.
 */
export const MICROSOFT_IDENTITIES: readonly SeedIdentity[] = [
  {
    email: 'dana.whitfield@contoso.example',
    name: 'Dana Whitfield',
    firstName: 'Dana',
    lastName: 'Whitfield',
    timezone: 'Europe/Dublin',
    summary: 'Work account: Calendar, a room she can only read, a team calendar, a 500-character name',
    calendars: [
      outlookPrimary('dana.whitfield@contoso.example', '#0078d4', [
        { days: WEEKDAYS, start: '09:30', end: '10:00', what: 'Team stand-up' },
        { days: [3], start: '14:00', end: '15:30', what: 'Customer review' },
      ]),
      {
        providerId: graphId('contoso/room-liffey'),
        name: 'Liffey meeting room (2.01)',
        description: 'Room mailbox, shared read-only',
        access: 'reader',
        color: '#8764b8',
        busy: [{ days: [1, 4], start: '11:00', end: '12:00', what: 'Room booked' }],
      },
      {
        providerId: graphId('contoso/group-design'),
        name: 'Design team',
        description: 'Microsoft 365 group calendar',
        access: 'writer',
        color: '#038387',
        busy: [{ days: [2], start: '15:00', end: '16:00', what: 'Design crit' }],
      },
      {
        providerId: graphId('contoso/long-dana'),
        name: LONG_CALENDAR_NAME,
        description: null,
        access: 'owner',
        color: '#ca5010',
        busy: [],
      },
    ],
  },
  {
    email: 'eleni.papadopoulou@fabrikam.example',
    name: 'Ελένη Παπαδοπούλου',
    firstName: 'Ελένη',
    lastName: 'Παπαδοπούλου',
    timezone: 'Europe/Athens',
    summary: 'Work account with non-Latin names: Calendar, a shared clinic calendar (read-only)',
    calendars: [
      outlookPrimary('eleni.papadopoulou@fabrikam.example', '#4f6bed', [{ days: WEEKDAYS, start: '13:00', end: '14:00', what: 'Μεσημεριανό' }]),
      {
        providerId: graphId('fabrikam/clinic'),
        name: 'Ιατρείο – βάρδιες',
        description: 'Κοινόχρηστο ημερολόγιο',
        access: 'reader',
        color: '#c239b3',
        busy: [{ days: [1, 3, 5], start: '08:00', end: '12:00', what: 'Βάρδια' }],
      },
    ],
  },
  {
    // The same address as the Google identity: signing in with both lands on one resource, which
    // then has a Google and a Microsoft account (GET /accounts lists both).
    email: 'alex.morgan@example.com',
    name: 'Alex Morgan',
    firstName: 'Alex',
    lastName: 'Morgan',
    timezone: 'America/New_York',
    summary: 'The Google identity’s address as a work account too: both providers on one resource',
    calendars: [
      outlookPrimary('alex.morgan@example.com', '#0f6cbd', [{ days: [2], start: '14:00', end: '15:00', what: 'Partner sync (Teams)' }]),
      {
        providerId: graphId('example/alex-clients'),
        name: 'Client projects',
        description: null,
        access: 'owner',
        color: '#498205',
        busy: [{ days: [4], start: '13:00', end: '14:00', what: 'Project call' }],
      },
    ],
  },
  {
    email: 'casey.personal@outlook.com',
    name: 'Casey Brooks',
    firstName: 'Casey',
    lastName: 'Brooks',
    timezone: 'Europe/London',
    summary: 'A personal (Outlook.com) account: Microsoft refuses it (AADSTS50020) and Timekit never calls back',
    personal: true,
    calendars: [],
  },
];

/** The identities each provider's sign-in page offers. */
export const IDENTITIES: Readonly<Record<Provider, readonly SeedIdentity[]>> = {
  google: GOOGLE_IDENTITIES,
  microsoft: MICROSOFT_IDENTITIES,
};

/** The seeded identity of `provider` with this email (case-insensitive), if any. */
export function findIdentity(provider: Provider, email: string): SeedIdentity | undefined {
  const wanted = email.toLowerCase();
  return IDENTITIES[provider].find((identity) => identity.email === wanted);
}
