/**
 * Real-emulator fixtures for element tests: resources and widget credentials made through the
 * emulator that the wtr config mounts on the test page's own origin, so a TkSession built on them
 * speaks real direct mode (Basic + Timekit-App) without the companion.
 */
import type { TkReadySession } from '../../../src/shared/session.js';
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

/** A plain resource with its auto-created Timekit calendar, plus `extra` calendars by name. */
export async function newResource(extra: string[] = []): Promise<Login> {
  const env = await testEnv();
  const email = `r-${Math.random().toString(36).slice(2, 10)}@example.test`;
  const { data } = await call<{ data: { id: string; api_token: string } }>('/resources', {
    method: 'POST',
    auth: basic('', env.testAppKey),
    body: JSON.stringify({ name: 'Test room', timezone: 'Europe/Berlin', email }),
  });
  const login = { email, token: data.api_token, resourceId: data.id };
  for (const name of extra) {
    await call('/calendars', { method: 'POST', auth: basic(email, login.token), app: env.app, body: JSON.stringify({ name }) });
  }
  return login;
}

/** Walks the fake Google consent for a seeded identity (Allow) and syncs its calendars. */
export async function googleLogin(identity: string): Promise<Login> {
  const env = await testEnv();
  const callback = `${location.origin}/test/browser/fixtures/callback.html`;
  const consent = await fetch(`/v2/accounts/google/signup?Timekit-App=${env.app}&callback=${encodeURIComponent(callback)}`);
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
  const { data } = await call<{ data: Array<{ id: string }> }>(`/resources?search=email:${encodeURIComponent(email)}`, {
    auth: basic('', env.testAppKey),
  });
  return { email, token, resourceId: data[0]!.id };
}

/**
 * What a companion in direct mode would answer for `login`: a widget credential (`client-token`,
 * scope `widget`, `referrer` = this page's origin) minted by the resource itself.
 */
export async function widgetSession(login: Login, accounts: TimekitAccount[] = []): Promise<TkReadySession> {
  const env = await testEnv();
  const { data } = await call<{ data: { token: string; expires: string } }>('/credentials', {
    method: 'POST',
    auth: basic(login.email, login.token),
    app: env.app,
    body: JSON.stringify({ type: 'client-token', scopes: ['widget'], referrer: [location.origin] }),
  });
  return {
    status: 'ready',
    mode: 'direct',
    apiBase: `${location.origin}/v2`,
    app: env.app,
    email: login.email,
    resourceId: login.resourceId,
    token: data.token,
    expiresAt: data.expires,
    accounts,
  };
}

/** The resource's calendars as Timekit has them now (resource auth). */
export async function calendarsOf(login: Login): Promise<TimekitCalendar[]> {
  const env = await testEnv();
  const { data } = await call<{ data: TimekitCalendar[] }>('/calendars?limit=1000', { auth: basic(login.email, login.token), app: env.app });
  return data;
}
