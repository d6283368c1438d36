/**
 * The onboarding guide's plain-resource flow (1a), for hosts that onboard providers without
 * Google: create the resource with the app key, make sure it has a calendar for bookings, and
 * save the resource and its token for the user through the store.
 */
import type { Core } from './core.js';

export interface ProvisionInput {
  name: string;
  email: string;
  /** IANA time zone, e.g. `Europe/Copenhagen`. */
  timezone: string;
}

export interface ProvisionedResource {
  resourceId: string;
  email: string;
  /** The calendar bookings land in. */
  calendarId: string;
}

export async function provisionResource(core: Core, userId: string, input: ProvisionInput): Promise<ProvisionedResource> {
  if (typeof userId !== 'string' || userId === '') throw new TypeError('provisionResource: userId must be a non-empty string');
  for (const field of ['name', 'email', 'timezone'] as const) {
    if (typeof input?.[field] !== 'string' || input[field].trim() === '') {
      throw new TypeError(`provisionResource: ${field} must be a non-empty string`);
    }
  }
  const { timekit } = core;
  const resource = await timekit.createResource({ name: input.name, email: input.email, timezone: input.timezone });
  if (!resource.api_token) throw new Error('provisionResource: Timekit created the resource but sent no token');
  // Timekit may create a default calendar with the resource; the guide's step 2 only when it did not.
  const calendar = resource.calendars?.[0] ?? (await timekit.createCalendar(resource.id, input.name));
  await core.options.store.put(userId, { resourceId: resource.id, email: resource.email ?? input.email, token: resource.api_token, accounts: [] });
  return { resourceId: resource.id, email: resource.email ?? input.email, calendarId: calendar.id };
}
