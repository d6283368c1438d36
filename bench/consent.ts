/** Connecting a bench user the way a browser would: through the emulator's fake consent screen. */
import type { Emulator } from '../src/emulator/index.js';

/** Answers the consent form with Allow for `identity`; resolves to the callback URL Timekit redirects to. */
export async function allowConsent(emulator: Emulator, callback: string, identity: string): Promise<string> {
  const consent = await fetch(`${emulator.origin}/_google/consent`, {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ app: emulator.app, callback, identity, decision: 'allow' }),
  });
  return consent.headers.get('location')!;
}

/** The companion's whole connect round trip for the user `headers` identify: start → consent → callback. */
export async function connectThroughCompanion(
  emulator: Emulator,
  companionUrl: string,
  identity: string,
  headers: Record<string, string>,
): Promise<void> {
  const start = await fetch(`${companionUrl}/google/start`, { redirect: 'manual', headers });
  const callback = new URL(start.headers.get('location')!).searchParams.get('callback')!;
  await fetch(await allowConsent(emulator, callback, identity));
}
