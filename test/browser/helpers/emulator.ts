/**
 * Real-emulator fixtures for element tests: resources made through the emulator that the wtr
 * config mounts on the test page's own origin (playing Timekit's `evidence` side), and the session
 * a real companion answers for them, so a TkSession built on them takes the default path (the
 * relay for calendar calls, the widget credential for widget calls).
 */
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import { signedSignupUrl } from '../../../src/shared/emulator-signup.js';
import type { TimekitAccount, TimekitCalendar } from '../../../src/shared/timekit.js';
import { testEnv } from './env.js';

export interface Login {
  email: string;
  token: string;
  resourceId: string;
}

const basic = (user: string, password: string) => `Basic ${btoa(`${user}:${password}`)}`;

async function call<T>(path: string, init: RequestInit & { auth: string; app?: string }): Promise<T> {
  const headers: Record<string, string> = { authorization: init.auth, 'content-type': 'application/json' };
  if (init.app) headers['timekit-app'] = init.app;
  const response = await fetch(`/v2${path}`, { ...init, headers });
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** A resource's own token, as Timekit documents reading it with the app key (a create answer may carry none). */
async function tokenOf(resourceId: string): Promise<string> {
  const env = await testEnv();
  const { data } = await call<{ data: { credentials: Array<{ type: string; token: string }> } }>(`/resources/${resourceId}?include=credentials`, {
    auth: basic('', env.testAppKey),
  });
  return data.credentials.find((c) => c.type === 'server-token')!.token;
}

/** A plain resource with its auto-created Timekit calendar, plus `extra` calendars by name. */
export async function newResource(extra: string[] = []): Promise<Login> {
  const env = await testEnv();
  const email = `r-${Math.random().toString(36).slice(2, 10)}@example.test`;
  const { data } = await call<{ data: { id: string } }>('/resources', {
    method: 'POST',
    auth: basic('', env.testAppKey),
    body: JSON.stringify({ name: 'Test room', timezone: 'Europe/Berlin', email }),
  });
  const login = { email, token: await tokenOf(data.id), resourceId: data.id };
  for (const name of extra) {
    await call('/calendars', { method: 'POST', auth: basic(email, login.token), app: env.app, body: JSON.stringify({ name }) });
  }
  return login;
}

/** Walks the fake Google consent for a seeded identity (Allow) and syncs its calendars. */
export async function googleLogin(identity: string): Promise<Login> {
  const env = await testEnv();
  const callback = `${location.origin}/test/browser/fixtures/callback.html`;
  const consent = await fetch(await signedSignupUrl({ apiBase: `${location.origin}/v2`, app: env.app, appKey: env.appKey, callback }));
  const page = new DOMParser().parseFromString(await consent.text(), 'text/html');
  const form = page.querySelector<HTMLFormElement>('form')!;
  const body = new URLSearchParams();
  for (const input of form.querySelectorAll<HTMLInputElement>('input[type="hidden"]')) body.set(input.name, input.value);
  body.set('identity', identity);
  body.set('decision', 'allow');
  const landed = await fetch(new URL(form.getAttribute('action')!, consent.url), { method: 'POST', body });
  const params = new URL(landed.url).searchParams;
  const email = params.get('email')!;
  const token = params.get('token')!;
  await call('/accounts/sync', { method: 'POST', auth: basic(email, token), app: env.app });
  // Timekit may ignore a search on email: look through the list instead.
  const { data } = await call<{ data: Array<{ id: string; email: string | null }> }>('/resources?limit=1000', { auth: basic('', env.testAppKey) });
  return { email, token, resourceId: data.find((r) => r.email === email)!.id };
}

/**
 * What a companion answers for a host user who has `login`'s resource: in its default (relay)
 * mode, a relay token for the calendar calls and a widget credential (`client-token`, scope
 * `widget`, `referrer` = this page's origin) for the widget calls.
 */
export async function sessionFor(login: Login, accounts: TimekitAccount[] = []): Promise<TkReadySession> {
  const response = await fetch('/__tk-test/session', { method: 'POST', body: JSON.stringify({ ...login, accounts }) });
  if (!response.ok) throw new Error(`POST /__tk-test/session: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as TkReadySession;
}

/** The resource's calendars as Timekit has them now (resource auth). */
export async function calendarsOf(login: Login): Promise<TimekitCalendar[]> {
  const env = await testEnv();
  const { data } = await call<{ data: TimekitCalendar[] }>('/calendars?limit=1000', { auth: basic(login.email, login.token), app: env.app });
  return data;
}

/** Books `start`–`end` into the resource's own Timekit calendar (resource auth): that time becomes busy. */
export async function bookFor(login: Login, start: string, end: string): Promise<void> {
  const env = await testEnv();
  await call('/bookings', {
    method: 'POST',
    auth: basic(login.email, login.token),
    app: env.app,
    // The flat body with every field Timekit's reference marks required (the evidence profile checks).
    body: JSON.stringify({
      resource_id: login.resourceId,
      graph: 'instant',
      action: 'confirm',
      start,
      end,
      what: 'Busy',
      where: 'Here',
      description: 'Makes the time busy',
      customer: { name: 'Casey Customer', email: 'casey@example.com' },
    }),
  });
}
