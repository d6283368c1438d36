/**
 * The onboarding guide's plain-resource flow (1a), for hosts that onboard providers without
 * Google: create the resource with the app key, make sure it has a calendar for bookings, and
 * save the resource and its token for the user through the store. Timekit's create answer may or
 * may not carry the token (docs/timekit-api.md, "The token of a new resource"), so it is looked for
 * in the answer, then asked for with the app key.
 */
import type { TimekitCredential, TimekitResource } from '../shared/timekit.js';
import { isUserId, type CompanionServices } from './core.js';
import { saveConnected } from './routes/pending.js';
import { CompanionError } from './errors.js';
import { TimekitRefusal } from './timekit.js';

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
  /**
   * `true` when the user already had another resource: the new one waits for the provider to
   * confirm it (the connect element asks; `POST <endpoint>/accounts/pending`), the old one stays
   * the user's until then.
   */
  pending?: true;
}

/**
 * Throws TypeError for bad input, and CompanionError: `email-taken` (Timekit already knows the
 * email, in this app or another), `timekit-rejected` or `timekit-unavailable`. Nothing is stored
 * unless the resource, its token and its calendar are all there. For a user who already has a
 * record of another resource, the new one is stored as that record's `pending` and the answer
 * says `pending: true`: the provider confirms it in the connect element, nothing is replaced before.
 */
export async function provisionResource(core: CompanionServices, userId: string, input: ProvisionInput): Promise<ProvisionedResource> {
  if (!isUserId(userId)) throw new TypeError('provisionResource: userId must be a non-empty, well-formed string without NUL');
  for (const field of ['name', 'email', 'timezone'] as const) {
    if (typeof input?.[field] !== 'string' || input[field].trim() === '') {
      throw new TypeError(`provisionResource: ${field} must be a non-empty string`);
    }
  }
  const { timekit } = core;
  const resource = await createResource(core, input);
  const email = resource.email ?? input.email;
  const token = await resourceToken(core, resource, email);
  // Timekit may create a default calendar with the resource; the guide's step 2 only when it did not.
  const calendar = resource.calendars?.[0] ?? (await timekit.createCalendar(resource.id, input.name));
  const { pending } = await saveConnected(core, userId, { resourceId: resource.id, email, token, accounts: [] });
  return { resourceId: resource.id, email, calendarId: calendar.id, ...(pending ? { pending } : {}) };
}

async function createResource(core: CompanionServices, input: ProvisionInput): Promise<TimekitResource> {
  try {
    return await core.timekit.createResource({ name: input.name, email: input.email, timezone: input.timezone });
  } catch (error) {
    // Timekit refuses an email it has anywhere (this app or another) with a 422 on `email`.
    if (error instanceof TimekitRefusal && error.timekitStatus === 422 && error.fields.includes('email')) {
      throw new CompanionError(
        'email-taken',
        `Timekit already has a user with the email ${input.email} (in this app or another Timekit app). ` +
          'Connect that provider with Google instead, or use another email; Timekit support can move an existing user into your app',
      );
    }
    throw error;
  }
}

/**
 * The resource's own token: from the create answer (`api_token`, else `token`), else asked for with
 * the app key. A token found through a search is tried before it is trusted, since Timekit may
 * ignore a search and list other resources' credentials.
 */
async function resourceToken(core: CompanionServices, resource: TimekitResource, email: string): Promise<string> {
  const inAnswer = resource.api_token ?? (resource as { token?: unknown }).token;
  if (typeof inAnswer === 'string' && inAnswer !== '') return inAnswer;
  const { timekit } = core;
  const withCredentials = await timekit.resource(resource.id, 'credentials').catch(() => null);
  const own = fullAccessTokens(withCredentials?.credentials ?? [])[0];
  if (own) return own;
  for (const candidate of fullAccessTokens(await timekit.credentials({ app: true }, `resource.id:${resource.id}`))) {
    if (await works(core, email, candidate)) return candidate;
  }
  throw new CompanionError(
    'timekit-rejected',
    `Timekit created the resource ${resource.id} but gave no token for it, in its answer or through GET /credentials; ` +
      'nothing was saved. Check that the app key may read credentials',
  );
}

function fullAccessTokens(credentials: readonly TimekitCredential[]): string[] {
  const scopes = (c: TimekitCredential) => (Array.isArray(c.scopes) ? c.scopes : [c.scopes]);
  return credentials.filter((c) => c.type === 'server-token' && scopes(c).includes('global') && typeof c.token === 'string').map((c) => c.token);
}

/** Whether `email:token` is accepted by Timekit as a resource. */
async function works(core: CompanionServices, email: string, token: string): Promise<boolean> {
  const answer = await core.timekit.raw('GET', '/calendars?limit=1', { email, token });
  return answer.status >= 200 && answer.status < 300;
}
