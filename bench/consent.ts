/** Connecting a bench user the way a browser would: through the emulator's fake consent screen. */
import type { Emulator } from '../src/emulator/index.js';

/** Answers the consent form with Allow for `identity`; resolves to the callback URL Timekit redirects to. */
export async function allowConsent(emulator: Emulator, callback: string, identity: string): Promise<string> {
  // The form must carry the CSRF token of the page it came from, as a browser's does.
  const page = await fetch(`${emulator.origin}/_google/consent?app=${emulator.app}&callback=${encodeURIComponent(callback)}`);
  const csrf = /<input type="hidden" name="csrf" value="([^"]+)">/.exec(await page.text())?.[1] ?? '';
  const consent = await fetch(`${emulator.origin}/_google/consent`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ app: emulator.app, callback, identity, decision: 'allow', csrf }),
  });
  return consent.headers.get('location')!;
}

/**
 * The companion's whole connect round trip for the user `headers` identify: start → consent →
 * callback, finished by the same "browser" (the start's binding cookie and the same login).
 */
export async function connectThroughCompanion(
  emulator: Emulator,
  companionUrl: string,
  identity: string,
  headers: Record<string, string>,
): Promise<void> {
  const start = await fetch(`${companionUrl}/google/start`, { redirect: 'manual', headers });
  const callback = new URL(start.headers.get('location')!).searchParams.get('callback')!;
  const binding = start.headers.get('set-cookie')!.split(';')[0]!;
  const cookie = headers.cookie ? `${headers.cookie}; ${binding}` : binding;
  const finished = await fetch(await allowConsent(emulator, callback, identity), { headers: { ...headers, cookie } });
  if (!finished.ok) throw new Error(`the connect ended in ${finished.status}: ${(await finished.text()).slice(0, 200)}`);
}
