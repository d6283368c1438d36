/**
 * The demo page: a host app ("Brightside") onboarding one of its providers with the real
 * elements. Plain DOM on purpose: the elements need no framework around them.
 */
import '../src/index.js';
import '../src/tk-availability-rules.js';
import '../src/tk-availability-preview.js';
import '../src/tk-microsoft-connect.js';
import type { TimekitBooking, TimekitEnvelope } from '../src/shared/timekit.js';

interface DemoInfo {
  backend: 'emulator' | 'timekit';
  apiBase: string;
  app: string;
  users: Array<{ id: string; name: string; role: string }>;
  user: string | null;
  identities: Array<{ provider: string; email: string; name: string; summary: string }>;
}

const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const sessionElement = document.querySelector('tk-session')!;
const connect = document.querySelector('tk-google-connect')!;
const connectMicrosoft = document.querySelector('tk-microsoft-connect')!;
const picker = document.querySelector('tk-calendar-picker')!;
const target = document.querySelector('tk-booking-target')!;
const rules = document.querySelector('tk-availability-rules')!;
const preview = document.querySelector('tk-availability-preview')!;
const kit = [connect, connectMicrosoft, picker, target, rules, preview];

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<string | Node>) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

async function post(path: string, body: unknown = {}): Promise<Response> {
  return fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function failure(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `HTTP ${response.status}`;
}

// ── Theme and language: remembered across reloads (the redirect round trip is one). ──

const themeSelect = $<HTMLSelectElement>('#theme');
const langSelect = $<HTMLSelectElement>('#lang');

function applyTheme(theme: string) {
  document.documentElement.dataset.theme = theme;
  themeSelect.value = theme;
  localStorage.setItem('tk-demo-theme', theme);
}

function applyLang(lang: string) {
  // Only the elements change language: the demo's own text stays English, so `lang` goes on them.
  for (const el of kit) el.lang = lang;
  langSelect.value = lang;
  localStorage.setItem('tk-demo-lang', lang);
}

themeSelect.addEventListener('change', () => applyTheme(themeSelect.value));
langSelect.addEventListener('change', () => applyLang(langSelect.value));
applyTheme(localStorage.getItem('tk-demo-theme') ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
applyLang(localStorage.getItem('tk-demo-lang') ?? 'en');

// ── The event log: every tk-* event and the pickers' native change, with its detail. ──

const LOGGED = ['tk-session-change', 'tk-connect', 'tk-connected', 'tk-cancel', 'tk-error', 'tk-change', 'change'];
const log = $('#log');

for (const type of LOGGED) {
  document.addEventListener(type, (event) => {
    const source = event.target as Element;
    if (!source.localName.startsWith('tk-')) return; // the page's own inputs fire `change` too
    const detail = (event as CustomEvent).detail;
    log.prepend(
      element(
        'li',
        {},
        element('time', {}, new Date().toLocaleTimeString()),
        element('span', { className: 'event-type' }, type),
        element('span', { className: 'event-source' }, `<${source.localName}>`),
        ...(detail === undefined || detail === null ? [] : [element('code', {}, JSON.stringify(detail))]),
      ),
    );
    while (log.childElementCount > 100) log.lastElementChild!.remove();
    updateSavePanel();
  });
}
$('#clear-log').addEventListener('click', () => log.replaceChildren());

// ── What to save: the three ids a host stores per provider. ──

function updateSavePanel() {
  const resourceId = sessionElement.session?.status === 'ready' ? (sessionElement.session.account?.resourceId ?? '') : '';
  $('#save-resource').textContent = resourceId || '—';
  $<HTMLInputElement>('#resource-field').value = resourceId;
  const ids = picker.value;
  $('#save-findtime').replaceChildren(...(ids.length ? ids.map((id) => element('li', {}, element('code', {}, id))) : [element('li', {}, '—')]));
  $('#save-booking').textContent = target.value || '—';
}

// The pickers' first values come with their calendars (no event: the user did not change them).
sessionElement.addEventListener('tk-session-change', () => {
  const session = sessionElement.session;
  session?.addEventListener('availability', updateSavePanel);
  session?.addEventListener('change', updateSavePanel);
  updateSavePanel();
});

// ── Path 1a: a plain resource, created server-side by the companion's helper. ──

const plainForm = $<HTMLFormElement>('#plain-resource');
plainForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = $('#plain-status');
  const input = Object.fromEntries(new FormData(plainForm));
  status.textContent = 'Creating the resource…';
  const response = await post('/demo/resources', input);
  if (!response.ok) {
    status.textContent = `Not created: ${await failure(response)}`;
    return;
  }
  const created = (await response.json()) as { resourceId: string; email: string; pending?: boolean };
  // A provider who already has a resource is asked first (by the connect element) before it changes.
  status.textContent = created.pending
    ? `Created ${created.email}. Answer the question above to switch to it.`
    : `Created ${created.email}. The pickers load its calendar.`;
  // New credentials for the new resource; the pickers reload by themselves.
  await sessionElement.session?.refresh({ reload: true });
});

// ── The form: what a plain submit carries. ──

const onboarding = $<HTMLFormElement>('#onboarding');
onboarding.addEventListener('submit', (event) => {
  // A real host would let it post to its server; the demo shows what would be sent.
  event.preventDefault();
  const lines = [...new FormData(onboarding)].map(([name, value]) => `${name}=${String(value)}`);
  $('#submitted-data').textContent = lines.join('\n');
  $('#submitted').hidden = false;
});

// The booking calendar is the host's to keep (Timekit has no such setting): the demo's "database"
// is localStorage, per resource, and a reload gives it back to the target as a server would render
// its `value` attribute.
const bookingKey = () => `tk-demo-booking:${sessionElement.session?.account?.resourceId ?? ''}`;
onboarding.addEventListener('submit', () => localStorage.setItem(bookingKey(), target.value));
sessionElement.addEventListener('tk-session-change', () => {
  const saved = localStorage.getItem(bookingKey());
  if (saved && !target.value) target.value = saved;
});

// ── Prove it: a test booking in the first slot the preview shows, into the chosen target. ──

const proveStatus = $('#prove-status');

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });

async function book() {
  const session = sessionElement.session;
  if (session?.status !== 'ready') {
    proveStatus.textContent = 'Connect a calendar or create a resource first.';
    return;
  }
  if (!target.value) {
    proveStatus.textContent = 'Choose the calendar for new bookings first.';
    return;
  }
  const slot = preview.slots[0];
  if (!slot) {
    proveStatus.textContent = 'The preview shows no bookable time: check the working hours and the chosen calendars.';
    return;
  }
  proveStatus.textContent = 'Booking the first slot the preview shows…';
  let booking: TimekitBooking | undefined;
  try {
    booking = (await session.request<TimekitEnvelope<TimekitBooking>>('POST', '/bookings', {
      // The current flat body with every field Timekit's reference marks required, and
      // `action: "confirm"` as its instant-graph page asks.
      body: {
        resource_id: session.account!.resourceId,
        graph: 'instant',
        action: 'confirm',
        start: slot.start,
        end: slot.end,
        what: 'Test appointment (tk-elements demo)',
        where: 'TBD',
        description: 'Booked from the tk-elements demo to prove the setup',
        calendar_id: target.value,
        customer: { name: 'Test Customer', email: 'customer@example.com', timezone: Intl.DateTimeFormat().resolvedOptions().timeZone },
      },
    }))?.data;
  } catch (error) {
    proveStatus.textContent = `Booking failed: ${(error as Error).message}`;
    return;
  }
  if (!booking) {
    proveStatus.textContent = 'Booking failed: Timekit answered without the booking';
    return;
  }
  const landed = booking.calendar.id === target.value;
  $('#booking-data').replaceChildren(
    element('dt', {}, 'When'),
    element('dd', { id: 'booking-when' }, element('time', { dateTime: slot.start }, when(slot.start))),
    element('dt', {}, 'Calendar'),
    element('dd', { id: 'booking-calendar', dir: 'auto' }, booking.calendar.name, ' ', element('code', {}, booking.calendar.id)),
    element('dt', {}, 'Booking'),
    element('dd', {}, element('code', {}, booking.id), ` · ${booking.state}`),
  );
  $('#booking').hidden = false;
  $('#booking').dataset.landed = String(landed);
  // The slot is gone now if the booking calendar also counts for availability.
  preview.refresh();
  proveStatus.textContent = landed ? '✓ The booking landed in the calendar chosen for new bookings.' : '✗ The booking landed in another calendar.';
}

$('#book').addEventListener('click', () => void book());

// ── The host's own login, simulated. ──

async function start() {
  const info = (await (await fetch('/demo/info')).json()) as DemoInfo;
  $('#backend').textContent = info.backend === 'emulator' ? 'the embedded Timekit emulator' : `Timekit (${info.apiBase})`;
  const user = info.users.find((u) => u.id === info.user);
  if (!user) {
    $('#users').replaceChildren(
      ...info.users.map((u) => {
        const button = element('button', { type: 'button', className: 'user' }, element('strong', {}, u.name), element('span', {}, u.role));
        button.addEventListener('click', async () => {
          await post('/demo/sign-in', { user: u.id });
          location.reload();
        });
        return element('li', {}, button);
      }),
    );
    $('#sign-in').hidden = false;
    return;
  }
  $('#who').textContent = `${user.name} · ${user.role}`;
  $('#account').hidden = false;
  $('#app').hidden = false;
  $('#footer').hidden = false;
  for (const el of document.querySelectorAll('.user-name')) el.textContent = user.name;
  const slug = user.name.toLowerCase().replace(/[^a-z]+/g, '.');
  const field = (name: string) => plainForm.elements.namedItem(name) as HTMLInputElement;
  field('name').value = user.name;
  // A fresh address each time: Timekit resources are unique by email, and "start over" keeps them.
  field('email').value = `${slug}.${Date.now().toString(36)}@brightside.example`;
  field('timezone').value = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (info.identities.length) {
    $('#identities').replaceChildren(
      ...info.identities.map((i) => element('li', {}, `${i.provider}: `, element('strong', { dir: 'auto' }, i.name), ` ${i.email} — ${i.summary}`)),
    );
    $('#identities-box').hidden = false;
  }
  // Only a signed-in host user has a session to ask for.
  sessionElement.endpoint = '/timekit';
}

$('#sign-out').addEventListener('click', async () => {
  await post('/demo/sign-out');
  location.reload();
});
$('#start-over').addEventListener('click', async () => {
  await post('/demo/start-over');
  location.reload();
});

void start();
