/** Connecting a bench user the way a browser would: through the emulator's fake consent screen. */
import { answerConsent, signedSignupUrl, type Emulator } from '../src/emulator/index.js';

/** Answers the consent form with Allow for `identity`; resolves to the callback URL Timekit redirects to. */
export async function allowConsent(emulator: Emulator, callback: string, identity: string): Promise<string> {
  const signup = await signedSignupUrl({ apiBase: emulator.url, app: emulator.app, appKey: emulator.appKey, callback });
  return answerConsent(signup, { identity });
}

/**
 * The companion's whole connect round trip for the user `headers` identify: start → consent →
 * callback, finished by the same "browser" (the start's binding cookie and the same login).
 */
export async function connectThroughCompanion(
  companionUrl: string,
  identity: string,
  headers: Record<string, string>,
): Promise<void> {
  const start = await fetch(`${companionUrl}/google/start`, { redirect: 'manual', headers });
  const binding = start.headers.get('set-cookie')!.split(';')[0]!;
  const cookie = headers.cookie ? `${headers.cookie}; ${binding}` : binding;
  const finished = await fetch(await answerConsent(start.headers.get('location')!, { identity }), { headers: { ...headers, cookie } });
  if (!finished.ok) throw new Error(`the connect ended in ${finished.status}: ${(await finished.text()).slice(0, 200)}`);
}
