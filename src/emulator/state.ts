/**
 * The emulator's data store: resources, calendars, events, credentials and bookings of one app,
 * held in memory, with the operations the routes share, and saved soon after each change when
 * there is a state file (`state-file.ts`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { TkConstraint } from '../shared/constraints.js';
import type { CalendarProvider, CredentialScope, CredentialType, ProviderAccess, TimekitCalendar } from '../shared/timekit.js';
import type { BookingRecord, CalendarRecord, CredentialRecord, EventRecord, ResourceRecord } from './records.js';
import { readStateFile, writeStateFile, type AppKeys, type StateSnapshot } from './state-file.js';
import { formatTimestamp } from './time.js';

const newToken = () => randomBytes(24).toString('base64url').slice(0, 32);

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
    const snapshot = file ? readStateFile(file) : undefined;
    if (snapshot) this.load(snapshot);
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
    availability_constraints?: TkConstraint[];
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
      availability_constraints: input.availability_constraints ?? [],
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

  updateResource(resource: ResourceRecord, changes: Partial<ResourceRecord>): ResourceRecord {
    Object.assign(resource, changes, { updated_at: this.stamp() });
    this.changed();
    return resource;
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
    writeStateFile(this.file, {
      version: 1,
      keys: this.keys,
      resources: [...this.resources.values()],
      calendars: [...this.calendars.values()],
      events: [...this.events.values()],
      credentials: [...this.credentials.values()],
      bookings: [...this.bookings.values()],
    });
  }

  private load(snapshot: StateSnapshot) {
    this.keys = snapshot.keys;
    // State files from before resources carried constraints have none.
    for (const r of snapshot.resources) this.resources.set(r.id, { ...r, availability_constraints: r.availability_constraints ?? [] });
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
