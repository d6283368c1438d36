/**
 * Answering the emulator's fake Google consent screen over HTTP, as a browser showing it would:
 * for tests, benches and scripts that connect a Google identity without a browser.
 */

const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** The hidden fields of the page's form (app, callback, CSRF token), as a browser would post them. */
function hiddenFields(page: string): Record<string, string> {
  return Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]) => [name!, unescapeHtml(value!)]));
}

export interface ConsentAnswer {
  /** The email of one of the seeded identities (`GOOGLE_IDENTITIES`). */
  identity: string;
  /** `allow` by default. */
  decision?: 'allow' | 'deny';
}

/**
 * Opens the consent page at `consentUrl` (or the signup URL that redirects there), posts its
 * form back with `identity` and `decision`, and resolves to where Timekit then redirects, not
 * followed: the callback with `email` and `token`, or the decline. Rejects naming the status
 * when there is no consent page or the form is refused.
 */
export async function answerConsent(consentUrl: string | URL, { identity, decision = 'allow' }: ConsentAnswer): Promise<string> {
  const page = await fetch(consentUrl);
  const html = await page.text();
  const action = page.ok ? /<form method="post" action="([^"]+)"/.exec(html)?.[1] : undefined;
  if (!action) throw new Error(`no consent form at ${consentUrl}: ${page.status} ${html.slice(0, 200)}`);
  const answer = await fetch(new URL(action, page.url), {
    method: 'POST',
    redirect: 'manual',
    body: new URLSearchParams({ ...hiddenFields(html), identity, decision }),
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || location === null) throw new Error(`the consent form answered ${answer.status}: ${(await answer.text()).slice(0, 200)}`);
  return location;
}
