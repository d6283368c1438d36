/** The HTML of the fake Google consent screen that `GET /_google/consent` serves. */
import { GOOGLE_IDENTITIES, type SeedApp } from './seed.js';

/** Escapes text for HTML content and quoted attribute values: identity names are hostile on purpose. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The fake Google consent screen: plain, accessible HTML with one form, carrying its CSRF token. */
export function consentPage(app: SeedApp, callback: string, csrf: string): string {
  const identities = GOOGLE_IDENTITIES.map(
    (identity, i) => `
      <li>
        <input type="radio" name="identity" id="identity-${i}" value="${escapeHtml(identity.email)}"${i === 0 ? ' checked' : ''}
          aria-describedby="identity-${i}-summary">
        <label for="identity-${i}"><span class="name" dir="auto">${escapeHtml(identity.name)}</span>
          <span class="email">${escapeHtml(identity.email)}</span></label>
        <p id="identity-${i}-summary" class="summary">${escapeHtml(identity.summary)}</p>
      </li>`,
  ).join('');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in with Google (emulated) – ${escapeHtml(app.name)}</title>
<style>
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
  button[value="allow"] { background: #1a73e8; color: #fff; border-color: #1a73e8; }
  :focus-visible { outline: 3px solid #1a73e8; outline-offset: 2px; }
  .note { font-size: 0.8125rem; opacity: 0.75; }
</style>
</head>
<body>
<main>
  <h1>Sign in with Google</h1>
  <p><strong>${escapeHtml(app.name)}</strong> wants to see and edit your Google calendars.</p>
  <p class="note">This is the Timekit emulator's stand-in for Google's consent screen. No real Google account is used.</p>
  <form method="post" action="/_google/consent">
    <input type="hidden" name="app" value="${escapeHtml(app.slug)}">
    <input type="hidden" name="callback" value="${escapeHtml(callback)}">
    <input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
    <fieldset>
      <legend>Choose an account</legend>
      <ul>${identities}
      </ul>
    </fieldset>
    <div class="actions">
      <button type="submit" name="decision" value="deny">Deny</button>
      <button type="submit" name="decision" value="allow">Allow</button>
    </div>
  </form>
</main>
</body>
</html>`;
}
