/**
 * The emulator's signed signup links (Google and Microsoft). Timekit's signup URL names only the public app slug,
 * and the emulator's fake consent lets whoever answers it sign in as any identity, so the emulator
 * shows its consent page only for a signup link signed with the app key: an HMAC-SHA256 of the
 * slug and the callback, in the `emulator_signature` query parameter. A local process without the
 * app key gets no resource token from it. The companion signs its own signup links when its API
 * base is on loopback (the emulator; Timekit never is); tests and scripts sign theirs with
 * `signedSignupUrl`. Web Crypto, so Node and the browser tests share it.
 */

export const SIGNUP_SIGNATURE_PARAM = 'emulator_signature';

/** The signature of a signup for `app` and `callback` (compared as a URL, so either spelling of it signs alike), in hex. */
export async function signupSignature(appKey: string, app: string, callback: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(appKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(`${app}\n${new URL(callback).href}`));
  return [...new Uint8Array(mac)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/**
 * `<apiBase>/accounts/<provider>/signup` (`google` unless given) for `app` and `callback`, signed
 * with the app key: the link the emulator's consent answers. The signature does not name the
 * provider: the app's key signs either.
 */
export async function signedSignupUrl(options: {
  apiBase: string;
  app: string;
  appKey: string;
  callback: string;
  provider?: 'google' | 'microsoft';
}): Promise<string> {
  const { apiBase, app, appKey, callback, provider = 'google' } = options;
  const signup = new URL(`${apiBase.replace(/\/+$/, '')}/accounts/${provider}/signup`);
  signup.searchParams.set('Timekit-App', app);
  signup.searchParams.set('callback', callback);
  signup.searchParams.set(SIGNUP_SIGNATURE_PARAM, await signupSignature(appKey, app, callback));
  return signup.href;
}
