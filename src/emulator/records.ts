/**
 * The shapes of the emulator's data: each record as stored (the wire fields plus what Timekit
 * keeps to itself), and the wire shapes that leave the emulator.
 */
import type { TimekitAccount, TimekitCalendar, TimekitCredential, TimekitResource } from '../shared/timekit.js';

/** A connected calendar account as stored: the wire fields, and whether its grant was revoked (`POST /_emulator/revoke`). */
export interface AccountRecord extends TimekitAccount {
  revoked?: boolean;
}

/** A resource as stored: the wire fields, plus its password and connected accounts. */
export interface ResourceRecord extends Omit<TimekitResource, 'calendars' | 'credentials' | 'api_token'> {
  password: string;
  accounts: AccountRecord[];
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

/** Wire shapes: what leaves the emulator (no internal keys, no passwords). */
export function calendarJson({ resource_id: _resource, ...calendar }: CalendarRecord): TimekitCalendar {
  return calendar;
}

export function credentialJson({ resource_id: _resource, ...credential }: CredentialRecord): TimekitCredential {
  return credential;
}

/** An account on the wire: Timekit's known fields only (`provider`, `provider_id`, `last_sync`). */
export function accountJson({ provider, provider_id, last_sync }: AccountRecord): TimekitAccount {
  return { provider, provider_id, last_sync };
}

export function resourceJson(resource: ResourceRecord): TimekitResource {
  const { password: _password, accounts: _accounts, ...rest } = resource;
  return rest;
}
