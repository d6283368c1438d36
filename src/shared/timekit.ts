/**
 * Timekit wire types: the JSON shapes of the Timekit API subset in docs/timekit-api.md.
 * Imported by browser code (elements), the companion and the emulator alike, so it must stay
 * free of runtime dependencies on either side.
 */
import type { TkConstraint } from './constraints.js';

export type CalendarProvider = 'timekit' | 'google' | 'microsoft';
export type ProviderAccess = 'owner' | 'writer' | 'reader';

export interface TimekitCalendar {
  id: string;
  name: string;
  description: string | null;
  foregroundcolor: string | null;
  backgroundcolor: string | null;
  provider: CalendarProvider;
  provider_id: string | null;
  provider_access: ProviderAccess;
  provider_primary: boolean;
  provider_sync: boolean;
  created_at: string;
  updated_at: string;
}

export interface TimekitResource {
  id: string;
  name: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  timezone: string;
  image: string | null;
  meta: Record<string, unknown>;
  tags: string[];
  /** The constraints `POST /availability` applies to this resource, in its `timezone` (constraints.ts). */
  availability_constraints: TkConstraint[];
  created_at: string;
  updated_at: string;
  /** Present with `include=calendars`, and on creation. */
  calendars?: TimekitCalendar[];
  /** Present with `include=credentials`. */
  credentials?: TimekitCredential[];
  /** Present on creation and from `POST /auth`: the resource's own (full-access) token. */
  api_token?: string;
}

export type CredentialType = 'client-token' | 'server-token';
export type CredentialScope = 'widget' | 'global';

export interface TimekitCredential {
  id: string;
  type: CredentialType;
  description: string;
  token: string;
  scopes: CredentialScope[];
  referrer: string[];
  expires: string;
  token_generated_at: string;
}

export interface TimekitAccount {
  provider: 'google' | 'microsoft';
  provider_id: string;
  last_sync: string | null;
}

export interface TimekitBooking {
  id: string;
  graph: string;
  state: string;
  completed: boolean;
  possible_actions: string[];
  created_at: string;
  updated_at: string;
  calendar: { id: string; name: string };
  attributes?: { event_info: { start: string; end: string; what: string; where: string | null; description: string | null } };
  event?: { id: string; calendar_id: string; start: string; end: string; what: string; where: string | null; description: string | null };
  customers?: Array<{ id: string; name: string; email: string; timezone: string | null }>;
}

/** `{"data": ...}` around one object. */
export interface TimekitEnvelope<T> {
  data: T;
}

/** A list with Laravel pagination keys beside `data`. */
export interface TimekitPage<T> {
  data: T[];
  total: number;
  /** Echoes the `limit` query value as a string when one was given. */
  per_page: number | string;
  current_page: number;
  last_page: number;
  next_page_url: string | null;
  prev_page_url: string | null;
  from: number | null;
  to: number | null;
}

