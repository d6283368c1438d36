/**
 * Answering the emulator's fake consent screens (Google's and Microsoft's) over HTTP, as a browser
 * showing them would: for tests, benches and scripts that connect an identity without a browser.
 */

const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));

/** The hidden fields of the page's form (app, callback, CSRF token), as a browser would post them. */
function hiddenFields(page: string): Record<string, string> {
  return Object.fromEntries([...page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map(([, name, value]) => [name!, unescapeHtml(value!)]));
}

export interface ConsentAnswer {
  /** The email of one of the page's seeded identities (`GOOGLE_IDENTITIES`, `MICROSOFT_IDENTITIES`). */
  identity: string;
  /** `allow` by default. */
  decision?: 'allow' | 'deny';
  /**
   * The browser's cookies for the emulator, by name: sent with the form and updated from its
   * answer, so several signups share one browser (the `secondSignupAttaches` switch). None by default.
   */
  cookies?: Map<string, string>;
}

/** A page's text as a reader sees it: no tags, no style, one space between words. */
const pageText = (html: string) =>
  unescapeHtml(html.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/g, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();

/**
 * Opens the consent page at `consentUrl` (or the signup URL that redirects there; Google's or
 * Microsoft's), posts its form back with `identity` and `decision`, and resolves to where Timekit
 * then redirects, not followed: the callback with `email` and `token`, or the decline. Rejects
 * naming the status when there is no consent page or the form is refused, and with the page's
 * text when the answer is a page and no redirect: a personal Microsoft account's AADSTS50020.
 */
export async function answerConsent(consentUrl: string | URL, { identity, decision = 'allow', cookies = new Map() }: ConsentAnswer): Promise<string> {
  const page = await fetch(consentUrl);
  const html = await page.text();
  const action = page.ok ? /<form method="post" action="([^"]+)"/.exec(html)?.[1] : undefined;
  if (!action) throw new Error(`no consent form at ${consentUrl}: ${page.status} ${html.slice(0, 200)}`);
  const answer = await fetch(new URL(action, page.url), {
    method: 'POST',
    redirect: 'manual',
    headers: cookies.size > 0 ? { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') } : {},
    body: new URLSearchParams({ ...hiddenFields(html), identity, decision }),
  });
  for (const cookie of answer.headers.getSetCookie()) {
    const [pair = ''] = cookie.split(';');
    const eq = pair.indexOf('=');
    cookies.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const location = answer.headers.get('location');
  if (answer.status !== 302 || location === null) {
    const body = await answer.text();
    const shown = answer.ok ? `, a page and no redirect: ${pageText(body).slice(0, 400)}` : `: ${body.slice(0, 200)}`;
    throw new Error(`the consent form answered ${answer.status}${shown}`);
  }
  return location;
}
