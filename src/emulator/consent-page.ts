/**
 * The HTML of the fake consent screens: Google's (`GET /_google/consent`) and Microsoft's sign-in
 * (`GET /_microsoft/consent`), one template dressed per provider, and Microsoft's AADSTS50020
 * page, where a personal account's sign-in ends.
 */
import { randomUUID } from 'node:crypto';
import { escapeHtml } from '../shared/server/escape-html.js';
import { IDENTITIES, type Provider, type SeedApp, type SeedIdentity } from './seed.js';

/** Where each provider's consent page answers (GET the page, POST its form). */
export const consentPath = (provider: Provider) => `/_${provider}/consent`;

/** What differs between the providers' pages: their words and their accent colour. */
interface PageLook {
  title: string;
  heading: string;
  /** The line under the heading, given the app's name (already escaped). */
  lead: (app: string) => string;
  legend: string;
  allow: string;
  deny: string;
  accent: string;
}

const LOOKS: Record<Provider, PageLook> = {
  google: {
    title: 'Sign in with Google (emulated)',
    heading: 'Sign in with Google',
    lead: (app) => `<strong>${app}</strong> wants to see and edit your Google calendars.`,
    legend: 'Choose an account',
    allow: 'Allow',
    deny: 'Deny',
    accent: '#1a73e8',
  },
  microsoft: {
    title: 'Sign in to your account (Microsoft, emulated)',
    heading: 'Sign in to your work or school account',
    lead: (app) =>
      `<strong>${app}</strong> (through Timekit) wants to read and write your calendars. ` +
      'Only work or school accounts (Microsoft 365) are supported; personal accounts such as Outlook.com are not.',
    legend: 'Pick an account',
    allow: 'Accept',
    deny: 'Cancel',
    accent: '#0067b8',
  },
};

const STYLE = (accent: string) => `
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; display: grid; place-items: center; min-height: 100vh; }
  main { max-width: 30rem; padding: 1.5rem; border: 1px solid #8884; border-radius: 0.75rem; margin: 1rem; }
  ul { list-style: none; padding: 0; margin: 0; }
  li { display: grid; grid-template-columns: auto 1fr; gap: 0 0.75rem; padding: 0.75rem 0; border-block-end: 1px solid #8883; }
  .summary { grid-column: 2; margin: 0.25rem 0 0; font-size: 0.875rem; opacity: 0.8; }
  .name { font-weight: 600; display: block; }
  .email { font-size: 0.875rem; }
  .actions { display: flex; gap: 0.75rem; justify-content: flex-end; margin-block-start: 1.25rem; }
  button { font: inherit; padding: 0.5rem 1.25rem; border-radius: 0.375rem; border: 1px solid #888; cursor: pointer; }
  button[value="allow"] { background: ${accent}; color: #fff; border-color: ${accent}; }
  :focus-visible { outline: 3px solid ${accent}; outline-offset: 2px; }
  .note { font-size: 0.8125rem; opacity: 0.75; }
  code { overflow-wrap: anywhere; }`;

function page(title: string, accent: string, main: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${STYLE(accent)}
</style>
</head>
<body>
<main>${main}
</main>
</body>
</html>`;
}

/** A provider's fake consent screen: plain, accessible HTML with one form, carrying its CSRF token. */
export function consentPage(provider: Provider, app: SeedApp, callback: string, csrf: string): string {
  const look = LOOKS[provider];
  const identities = IDENTITIES[provider].map(
    (identity, i) => `
      <li>
        <input type="radio" name="identity" id="identity-${i}" value="${escapeHtml(identity.email)}"${i === 0 ? ' checked' : ''}
          aria-describedby="identity-${i}-summary">
        <label for="identity-${i}"><span class="name" dir="auto">${escapeHtml(identity.name)}</span>
          <span class="email">${escapeHtml(identity.email)}</span></label>
        <p id="identity-${i}-summary" class="summary">${escapeHtml(identity.summary)}</p>
      </li>`,
  ).join('');
  return page(
    `${look.title} – ${escapeHtml(app.name)}`,
    look.accent,
    `
  <h1>${look.heading}</h1>
  <p>${look.lead(escapeHtml(app.name))}</p>
  <p class="note">This is the Timekit emulator's stand-in for ${provider === 'google' ? 'Google' : 'Microsoft'}'s sign-in and consent. No real account is used.</p>
  <form method="post" action="${consentPath(provider)}">
    <input type="hidden" name="app" value="${escapeHtml(app.slug)}">
    <input type="hidden" name="callback" value="${escapeHtml(callback)}">
    <input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
    <fieldset>
      <legend>${look.legend}</legend>
      <ul>${identities}
      </ul>
    </fieldset>
    <div class="actions">
      <button type="submit" name="decision" value="deny">${look.deny}</button>
      <button type="submit" name="decision" value="allow">${look.allow}</button>
    </div>
  </form>`,
  );
}

/**
 * Where a personal Microsoft account's sign-in ends: Microsoft's own error page (AADSTS50020),
 * with no link or redirect back to Timekit or the app. The browser (or popup) just stays here.
 */
export function personalAccountPage(app: SeedApp, identity: SeedIdentity): string {
  const email = escapeHtml(identity.email);
  return page(
    'Sign in to your account',
    LOOKS.microsoft.accent,
    `
  <h1>Sign in</h1>
  <p role="alert"><strong>Sorry, but we’re having trouble signing you in.</strong></p>
  <p id="error">AADSTS50020: User account '${email}' from identity provider 'live.com' does not exist in tenant 'Timekit' and cannot
    access the application '${escapeHtml(app.slug)}'(${escapeHtml(app.name)}) in that tenant. The account needs to be added as
    an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.</p>
  <dl class="note">
    <dt>Request Id</dt><dd><code>${randomUUID()}</code></dd>
    <dt>Correlation Id</dt><dd><code>${randomUUID()}</code></dd>
  </dl>
  <p class="note">This is the Timekit emulator's stand-in for Microsoft's error page. Timekit is never called back: close this window.</p>`,
  );
}
