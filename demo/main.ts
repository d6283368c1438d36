/** The demo page: lists the emulator's identities and walks the Google consent round trip. */
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

async function showCalendars() {
  status.textContent = 'Syncing calendars…';
  const response = await fetch('/demo/calendars');
  const body = (await response.json()) as { email?: string; calendars?: TimekitCalendar[]; error?: string };
  if (!response.ok || !body.calendars) {
    status.textContent = body.error ?? `The demo server answered ${response.status}`;
    return;
  }
  $('#connected-email').textContent = body.email!;
  const table = $<HTMLTableElement>('#calendars');
  table.tBodies[0]!.replaceChildren(
    ...body.calendars.map((c) => {
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = c.backgroundcolor ?? 'transparent';
      const name = document.createElement('span');
      name.append(swatch, c.name);
      return row([name, c.provider, c.provider_access, c.provider_primary ? 'yes' : '', c.provider_sync ? 'yes' : 'no']);
    }),
  );
  table.hidden = false;
  status.textContent = `Connected ${body.email}: ${body.calendars.length} calendars.`;
}

$('#connect').addEventListener('click', () => {
  const popup = window.open('/demo/connect', 'tk-connect', 'width=520,height=680');
  if (!popup) {
    // Popup blocked: the same round trip as a full-page redirect.
    location.assign('/demo/connect');
    return;
  }
  status.textContent = 'Waiting for the consent screen…';
});

window.addEventListener('message', (event: MessageEvent<{ type?: string; ok?: boolean; email?: string }>) => {
  if (event.origin !== location.origin || event.data?.type !== 'tk-demo-connect') return;
  if (event.data.ok) void showCalendars();
  else status.textContent = 'Google access was declined; nothing was connected.';
});

const redirected = new URLSearchParams(location.search).get('connect');
if (redirected === 'ok') void showCalendars();
if (redirected === 'declined') status.textContent = 'Google access was declined; nothing was connected.';
void showInfo();
