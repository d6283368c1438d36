/**
 * The emulator's data: resources, calendars, events, credentials and bookings of one app, held
 * in memory and optionally saved to a JSON file so a demo survives a restart.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type {
  CalendarProvider,
  CredentialScope,
  CredentialType,
  ProviderAccess,
  TimekitAccount,
  TimekitCalendar,
  TimekitCredential,
  TimekitResource,
} from '../shared/timekit.js';
import { formatTimestamp } from './time.js';

/** A resource as stored: the wire fields, plus its password and connected accounts. */
export interface ResourceRecord extends Omit<TimekitResource, 'calendars' | 'credentials' | 'api_token'> {
  password: string;
  accounts: TimekitAccount[];
}

export interface CalendarRecord extends TimekitCalendar {
  resource_id: string;
}

export interface EventRecord {
  id: string;
  calendar_id: string;
  start: string;
  end: string;
  what: string;
  where: string | null;
  description: string | null;
  /** Emails invited to a booking's event; absent in state files from before bookings carried them. */
  participants?: string[];
  booking_id: string | null;
}

export interface CredentialRecord extends TimekitCredential {
  resource_id: string;
}

export interface BookingRecord {
  id: string;
  resource_id: string;
  calendar_id: string;
  event_id: string;
  graph: string;
  state: string;
  completed: boolean;
  possible_actions: string[];
  /** `phone`, `comment`, `where` and `voip` as the booking form sent them (booking.js 1.x). */
  customer: { id: string; name: string; email: string; timezone: string | null; phone?: string; comment?: string; where?: string; voip?: string };
  created_at: string;
  updated_at: string;
}

/** The app's keys, kept in the state file so a restart on it keeps them (they are random per run otherwise). */
export interface AppKeys {
  appKey: string;
  testAppKey: string;
}

interface Snapshot {
  version: 1;
  /** Absent in files written before keys were random. */
  keys?: AppKeys;
  resources: ResourceRecord[];
  calendars: CalendarRecord[];
  events: EventRecord[];
  credentials: CredentialRecord[];
  bookings: BookingRecord[];
}

export const newToken = () => randomBytes(24).toString('base64url').slice(0, 32);

export class EmulatorState {
  resources = new Map<string, ResourceRecord>();
  calendars = new Map<string, CalendarRecord>();
  events = new Map<string, EventRecord>();
  credentials = new Map<string, CredentialRecord>();
  bookings = new Map<string, BookingRecord>();
  /** The app's keys as loaded from the state file, then as the emulator uses them. */
  keys: AppKeys | undefined;
  private saveTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly now: () => Date,
    private readonly file?: string,
  ) {
    if (file && existsSync(file)) this.load(JSON.parse(readFileSync(file, 'utf8')) as Snapshot);
  }

  private stamp() {
    return formatTimestamp(this.now());
  }

  resourceByEmail(email: string): ResourceRecord | undefined {
    const wanted = email.toLowerCase();
    for (const resource of this.resources.values()) if (resource.email?.toLowerCase() === wanted) return resource;
    return undefined;
  }

  createResource(input: {
    name: string;
    timezone: string;
    email?: string | null;
    first_name?: string | null;
    last_name?: string | null;
    password?: string;
    image?: string | null;
    meta?: Record<string, unknown>;
    tags?: string[];
  }): { resource: ResourceRecord; token: string } {
    const stamp = this.stamp();
    const resource: ResourceRecord = {
      id: randomUUID(),
      name: input.name,
      first_name: input.first_name ?? null,
      last_name: input.last_name ?? null,
      email: input.email ?? null,
      timezone: input.timezone,
      image: input.image ?? null,
      meta: input.meta ?? {},
      tags: input.tags ?? [],
      password: input.password ?? newToken(),
      created_at: stamp,
      updated_at: stamp,
      accounts: [],
    };
    this.resources.set(resource.id, resource);
    this.createCalendar(resource.id, {
      name: 'Bookings',
      description: 'Calendar automatically created together with the resource',
    });
    // Timekit makes a global server-token for every new resource: the resource's own api token.
    const credential = this.createCredential(resource.id, {
      type: 'server-token',
      scopes: ['global'],
      description: 'Automatically generated at resource creation',
      referrer: [''],
      expires: null,
    });
    this.changed();
    return { resource, token: credential.token };
  }

  /** The resource's full-access token (its global server-token). */
  resourceToken(resourceId: string): string {
    for (const credential of this.credentials.values()) {
      if (credential.resource_id === resourceId && credential.scopes.includes('global')) return credential.token;
    }
    return this.createCredential(resourceId, {
      type: 'server-token',
      scopes: ['global'],
      description: 'Regenerated resource token',
      referrer: [''],
      expires: null,
    }).token;
  }

  createCalendar(
    resourceId: string,
    input: {
      name: string;
      description?: string | null;
      foregroundcolor?: string | null;
      backgroundcolor?: string | null;
      provider?: CalendarProvider;
      provider_id?: string | null;
      provider_access?: ProviderAccess;
      provider_primary?: boolean;
      provider_sync?: boolean;
    },
  ): CalendarRecord {
    const stamp = this.stamp();
    const calendar: CalendarRecord = {
      id: randomUUID(),
      resource_id: resourceId,
      name: input.name,
      description: input.description ?? null,
      foregroundcolor: input.foregroundcolor ?? null,
      backgroundcolor: input.backgroundcolor ?? null,
      provider: input.provider ?? 'timekit',
      provider_id: input.provider_id ?? null,
      provider_access: input.provider_access ?? 'owner',
      provider_primary: input.provider_primary ?? false,
      provider_sync: input.provider_sync ?? false,
      created_at: stamp,
      updated_at: stamp,
    };
    this.calendars.set(calendar.id, calendar);
    this.changed();
    return calendar;
  }

  updateCalendar(calendar: CalendarRecord, changes: Partial<TimekitCalendar>): CalendarRecord {
    Object.assign(calendar, changes, { updated_at: this.stamp() });
    this.changed();
    return calendar;
  }

  deleteCalendar(id: string) {
    this.calendars.delete(id);
    for (const [eventId, event] of this.events) if (event.calendar_id === id) this.events.delete(eventId);
    this.changed();
  }

  calendarsOf(resourceId: string): CalendarRecord[] {
    return [...this.calendars.values()].filter((calendar) => calendar.resource_id === resourceId);
  }

  createCredential(
    resourceId: string,
    input: {
      type: CredentialType;
      scopes: CredentialScope[];
      description: string;
      referrer: string[];
      expires: Date | null;
    },
  ): CredentialRecord {
    const now = this.now();
    const expires = input.expires ?? new Date(now.getTime() + 365 * 24 * 3600 * 1000);
    const credential: CredentialRecord = {
      id: randomUUID(),
      resource_id: resourceId,
      type: input.type,
      description: input.description,
      token: newToken(),
      scopes: input.scopes,
      referrer: input.referrer,
      expires: formatTimestamp(expires),
      token_generated_at: formatTimestamp(now),
    };
    this.credentials.set(credential.id, credential);
    this.changed();
    return credential;
  }

  addEvent(event: Omit<EventRecord, 'id'>): EventRecord {
    const record = { id: randomUUID(), ...event };
    this.events.set(record.id, record);
    this.changed();
    return record;
  }

  /** Saves soon (debounced); a no-op without a file. */
  changed() {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.save(), 50);
    this.saveTimer.unref();
  }

  save() {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    if (!this.file) return;
    const snapshot: Snapshot = {
      version: 1,
      keys: this.keys,
      resources: [...this.resources.values()],
      calendars: [...this.calendars.values()],
      events: [...this.events.values()],
      credentials: [...this.credentials.values()],
      bookings: [...this.bookings.values()],
    };
    // Write then rename, so a crash never leaves half a file behind. The file holds every token
    // and the app keys: readable by its owner only, also when an older file was not. The mode
    // applies only to a file being created, so a leftover temp file goes first.
    const temp = `${this.file}.tmp`;
    rmSync(temp, { force: true });
    writeFileSync(temp, JSON.stringify(snapshot), { mode: 0o600 });
    renameSync(temp, this.file);
  }

  private load(snapshot: Snapshot) {
    if (snapshot.version !== 1) throw new Error(`Unsupported emulator state file version ${String(snapshot.version)}`);
    this.keys = snapshot.keys;
    for (const r of snapshot.resources) this.resources.set(r.id, r);
    for (const c of snapshot.calendars) this.calendars.set(c.id, c);
    for (const e of snapshot.events) this.events.set(e.id, e);
    for (const c of snapshot.credentials) this.credentials.set(c.id, c);
    for (const b of snapshot.bookings) this.bookings.set(b.id, b);
  }

  clear() {
    this.resources.clear();
    this.calendars.clear();
    this.events.clear();
    this.credentials.clear();
    this.bookings.clear();
    this.changed();
  }
}

/** Wire shapes: what leaves the emulator (no internal keys, no passwords). */
export function calendarJson({ resource_id: _resource, ...calendar }: CalendarRecord): TimekitCalendar {
  return calendar;
}

export function credentialJson({ resource_id: _resource, ...credential }: CredentialRecord): TimekitCredential {
  return credential;
}

export function resourceJson(resource: ResourceRecord): TimekitResource {
  const { password: _password, accounts: _accounts, ...rest } = resource;
  return rest;
}
