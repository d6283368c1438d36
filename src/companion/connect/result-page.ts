/**
 * The connect round trip's result page: a tiny locked-down HTML page that shows the outcome and
 * answers the element's ping with it, at the exact page origin the nonce names. Its empty frame
 * named TK_CONNECT_RESULT_FRAME tells the element, across origins, that the popup shows it now.
 */
import { createHash } from 'node:crypto';
import { TK_CONNECT_RESULT_FRAME, type TkConnectMessage } from '../../shared/companion-protocol.js';
import { escapeHtml } from '../../shared/server/escape-html.js';
import type { Outgoing } from '../http.js';
import type { ConnectProvider } from '../signing.js';

const PROVIDER_NAMES: Record<ConnectProvider, string> = { google: 'Google Calendar', microsoft: 'Microsoft 365 calendar' };

/** The provider's name as the pages and messages say it. */
export const providerName = (provider: ConnectProvider) => PROVIDER_NAMES[provider];

// The page's only script is constant, so the CSP can allow exactly it by hash; the data it posts
// travels in an inert JSON block. It answers only a ping from the page origin the nonce names,
// through the ping's own source: the popup has no opener to post to (see TkConnectPing).
const SCRIPT =
  "const d=JSON.parse(document.getElementById('tk-result').textContent);" +
  "addEventListener('message',(e)=>{if(e.origin===d.target&&e.source&&e.data&&e.data.type==='connect-ping'){" +
  'e.source.postMessage(d.message,d.target);close();}});';
const CSP = [
  "default-src 'none'",
  `script-src 'sha256-${createHash('sha256').update(SCRIPT).digest('base64')}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'content-security-policy': CSP,
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

function page(status: number, title: string, text: string, data: object | null): Outgoing {
  // The frame comes after the script: once the element sees it, the page listens for its ping.
  const block =
    data === null
      ? ''
      : `<script type="application/json" id="tk-result">${JSON.stringify(data).replace(/</g, '\\u003c')}</script>\n<script>${SCRIPT}</script>\n<iframe name="${TK_CONNECT_RESULT_FRAME}" hidden></iframe>\n`;
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
<main><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></main>
${block}</body>
</html>`;
  return { status, headers: PAGE_HEADERS, body };
}

/** The page that shows an outcome and answers the element's ping from `target` with it. */
export function resultPage(provider: ConnectProvider, status: number, target: string, message: TkConnectMessage): Outgoing {
  const name = providerName(provider);
  return message.ok
    ? page(status, `${name} connected`, `Connected as ${message.email}. You can close this window.`, { target, message })
    : page(status, `${name} not connected`, `${message.message}. You can close this window.`, { target, message });
}

/** The page a result URL shows once its outcome is out of date: nothing to post. */
export const expiredResultPage = () => page(410, 'Connect result expired', 'This page is out of date. You can close this window.', null);
