/** The demo page: lists the emulator's identities and walks the Google connect round trip through the companion. */
import { TK_CONNECT_RESULT_PARAM, type TkCompanionErrorBody, type TkConnectMessage, type TkSessionResponse } from '../src/shared/session.js';
import type { TimekitCalendar } from '../src/shared/timekit.js';

interface DemoInfo {
  apiBase: string;
  app: string;
  identities: Array<{ email: string; name: string; summary: string; calendars: number }>;
}

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const status = $('#status');

function row(cells: Array<string | Node>): HTMLTableRowElement {
  const tr = document.createElement('tr');
  for (const cell of cells) {
    const td = tr.insertCell();
    td.dir = 'auto'; // names may be right-to-left
    td.append(cell);
  }
  return tr;
}

async function showInfo() {
  const info = (await (await fetch('/demo/info')).json()) as DemoInfo;
  $('#api-base').textContent = info.apiBase;
  $('#app-slug').textContent = info.app;
  $('#identities').replaceChildren(
    ...info.identities.map((i) => row([i.name, i.email, String(i.calendars), i.summary])),
  );
}

/** What the elements will do: ask the companion for a session, then read Timekit with it. */
async function showCalendars() {
  status.textContent = 'Loading calendars…';
  const session = (await (await fetch('/timekit/session', { method: 'POST' })).json()) as TkSessionResponse | TkCompanionErrorBody;
  if ('error' in session) {
    status.textContent = session.error.message;
    return;
  }
  if (session.status !== 'ready') {
    status.textContent = 'Nothing connected yet.';
    return;
  }
  // Direct mode: the widget credential (page-origin bound, short-lived) goes straight to Timekit.
  const response = await fetch(`${session.apiBase}/calendars?limit=1000`, {
    headers: { authorization: `Basic ${btoa(`${session.email}:${session.token}`)}`, 'timekit-app': session.app },
  });
  if (!response.ok) {
    status.textContent = `Timekit answered ${response.status}`;
    return;
  }
  const calendars = ((await response.json()) as { data: TimekitCalendar[] }).data;
  $('#connected-email').textContent = session.email;
  const table = $<HTMLTableElement>('#calendars');
  table.tBodies[0]!.replaceChildren(
    ...calendars.map((c) => {
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = c.backgroundcolor ?? 'transparent';
      const name = document.createElement('span');
      name.append(swatch, c.name);
      return row([name, c.provider, c.provider_access, c.provider_primary ? 'yes' : '', c.provider_sync ? 'yes' : 'no']);
    }),
  );
  table.hidden = false;
  status.textContent = `Connected ${session.email}: ${calendars.length} calendars.`;
}

function connectFailed(code: string) {
  status.textContent =
    code === 'consent-denied' ? 'Google access was declined; nothing was connected.' : `Connecting failed (${code}).`;
}

$('#connect').addEventListener('click', () => {
  const popup = window.open('/timekit/google/start', 'tk-connect', 'width=520,height=680');
  if (!popup) {
    // Popup blocked: the same round trip as a full-page redirect, back to this page.
    location.assign(`/timekit/google/start?return_to=${encodeURIComponent(location.href.split('?')[0]!)}`);
    return;
  }
  status.textContent = 'Waiting for the consent screen…';
});

window.addEventListener('message', (event: MessageEvent<TkConnectMessage>) => {
  if (event.origin !== location.origin || event.data?.source !== 'tk-companion' || event.data.type !== 'connect') return;
  if (event.data.ok) void showCalendars();
  else connectFailed(event.data.code);
});

const redirected = new URLSearchParams(location.search).get(TK_CONNECT_RESULT_PARAM);
if (redirected && redirected !== 'ok') connectFailed(redirected);
else void showCalendars(); // after a reload or a redirect round trip, the connection is still there
void showInfo();
