/**
 * `POST /session`: who the elements are, and the credentials they talk to Timekit with: the widget
 * credential for the widget endpoints, and in relay mode (the default) the relay token for the
 * calendar calls (reused, see relay-tokens.ts). On a warm credential cache this is the hot path: one `authenticate`, one
 * `store.get`, a map lookup (two in relay mode: the relay token is reused too) and `JSON.stringify`;
 * no Timekit call unless calendars are preloaded.
 */
import type { TkReadySession, TkSessionResponse } from '../../shared/companion-protocol.js';
import { currentUser, recordOf, relayBase, type CompanionServices } from '../core.js';
import { hasBody, invalid, readJsonObject, unauthenticated, type Incoming, type Outgoing } from '../http.js';

const SIGNED_OUT = JSON.stringify({ status: 'signed-out' } satisfies TkSessionResponse);

/** `headers`: the JSON and CORS headers for this origin, built once at start and shared (never mutated). */
export async function session(core: CompanionServices, incoming: Incoming, origin: string, headers: Readonly<Record<string, string>>): Promise<Outgoing> {
  if (hasBody(incoming)) {
    const body = await readJsonObject(incoming, 1024);
    if (Object.keys(body).length > 0) throw invalid('POST /session takes no fields; send no body or {}');
  }
  const userId = await currentUser(core, incoming);
  if (userId === null) throw unauthenticated('Sign in to the host app first');
  return sessionAnswer(core, incoming, userId, origin, headers);
}

/** The session of a signed-in user, as `POST /session` answers it. */
export async function sessionAnswer(
  core: CompanionServices,
  incoming: Incoming,
  userId: string,
  origin: string,
  headers: Readonly<Record<string, string>>,
): Promise<Outgoing> {
  const { options } = core;
  const record = await recordOf(core, userId);
  if (!record) return { status: 200, headers, body: SIGNED_OUT };

  // Both modes hand out the widget credential: the widget endpoints (findtime, bookings) take
  // nothing else, whichever path the calendar calls take.
  const credential = await core.credentials.get(userId, record, origin);
  let response: TkReadySession;
  if (options.mode === 'direct') {
    response = {
      status: 'ready',
      mode: 'direct',
      apiBase: options.apiBase,
      app: options.app,
      email: record.email,
      resourceId: record.resourceId,
      token: credential.token,
      expiresAt: credential.expires,
      accounts: record.accounts,
    };
  } else {
    const relay = core.relayTokens.get(core, userId, record.resourceId, origin, credential);
    response = {
      status: 'ready',
      mode: 'relay',
      apiBase: relayBase(core, incoming),
      app: options.app,
      email: record.email,
      resourceId: record.resourceId,
      token: relay.token,
      expiresAt: relay.expires,
      accounts: record.accounts,
      widget: { apiBase: options.apiBase, app: options.app, email: record.email, token: credential.token, expiresAt: credential.expires },
    };
  }
  if (record.pending) response.pendingAccount = { provider: record.pending.provider ?? null, email: record.pending.email };
  if (options.preloadCalendars) {
    response.calendars = await core.timekit.calendars({ email: record.email, token: record.token });
  }
  return { status: 200, headers, body: JSON.stringify(response) };
}
