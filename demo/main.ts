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

/** Plain words beside a raw status that reads wrong out of context: "signed-out" right after signing in to Brightside means no Timekit resource yet, not a failed login. */
function noteFor(type: string, detail: unknown): string | undefined {
  if (type === 'tk-session-change' && (detail as { status?: string } | null)?.status === 'signed-out') return 'no calendar connected yet';
  return undefined;
}

for (const type of LOGGED) {
  document.addEventListener(type, (event) => {
    const source = event.target as Element;
    if (!source.localName.startsWith('tk-')) return; // the page's own inputs fire `change` too
    const detail = (event as CustomEvent).detail;
    const note = noteFor(type, detail);
    log.prepend(
      element(
        'li',
        {},
        element('time', {}, new Date().toLocaleTimeString()),
        element('span', { className: 'event-type' }, type),
        element('span', { className: 'event-source' }, `<${source.localName}>`),
        ...(note ? [element('span', { className: 'event-note' }, note)] : []),
        ...(detail === undefined || detail === null ? [] : [element('code', {}, JSON.stringify(detail))]),
      ),
    );
    while (log.childElementCount > 100) log.lastElementChild!.remove();
    refresh();
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

// ── The stepper: where the provider is, from the elements' events; later steps wait for earlier ones. ──

type StepState = 'done' | 'current' | 'next' | 'waiting';

interface Step {
  name: string;
  needs: string[];
  done(): boolean;
}

const hasResource = () => sessionElement.session?.status === 'ready' && !!sessionElement.session.account?.resourceId;
/** The booking "Prove it" made, while it still matches the chosen booking calendar. */
let provenCalendar = '';

const STEPS: Step[] = [
  { name: 'connect', needs: [], done: hasResource },
  { name: 'calendars', needs: ['connect'], done: () => hasResource() && picker.value.length > 0 && !!target.value },
  // Saved, not merely shown: the suggested hours are not on the resource until saved.
  { name: 'hours', needs: ['connect'], done: () => hasResource() && rules.matches(':state(content)') && !rules.matches(':state(suggested)') },
  { name: 'prove', needs: ['connect', 'calendars'], done: () => hasResource() && !!provenCalendar && provenCalendar === target.value },
];

const stepTitle = (name: string) => $(`#stepper [data-step="${name}"] .step-name`).textContent!;
const stepNumber = (name: string) => STEPS.findIndex((step) => step.name === name) + 1;
const stepHeading = (name: string) => $(`#step-${stepNumber(name)}`);

function stepStates(): Map<string, StepState> {
  const done = new Map(STEPS.map((step) => [step.name, step.done()]));
  const states = new Map<string, StepState>();
  let current: string | undefined;
  for (const step of STEPS) {
    if (done.get(step.name)) states.set(step.name, 'done');
    else if (step.needs.some((name) => !done.get(name))) states.set(step.name, 'waiting');
    else states.set(step.name, current ? 'next' : 'current');
    current ??= states.get(step.name) === 'current' ? step.name : undefined;
  }
  return states;
}

const STATE_TEXT: Record<Exclude<StepState, 'waiting'>, string> = { done: 'Done', current: 'Now', next: 'Next' };

function updateSteps() {
  const states = stepStates();
  for (const step of STEPS) {
    const state = states.get(step.name)!;
    const blockers = step.needs.filter((name) => states.get(name) !== 'done');
    const waitsFor = blockers.map((name) => `step ${stepNumber(name)}, ${stepTitle(name)}`).join(' and ');
    const item = $(`#stepper [data-step="${step.name}"]`);
    item.dataset.state = state;
    item.querySelector('.num')!.textContent = state === 'done' ? '✓' : String(stepNumber(step.name));
    item.querySelector('.step-state')!.textContent = state === 'waiting' ? `Waits for ${waitsFor}` : STATE_TEXT[state];
    const link = item.querySelector('a')!;
    if (state === 'current') link.setAttribute('aria-current', 'step');
    else link.removeAttribute('aria-current');
    const card = $(`.card.step[data-step="${step.name}"]`);
    card.dataset.state = state;
    const waits = card.querySelector<HTMLElement>('.waits');
    if (waits) {
      waits.hidden = state !== 'waiting';
      waits.textContent = state === 'waiting' ? `Waits for ${waitsFor}.` : '';
    }
  }
  // The page's own actions wait too (the elements say "connect first" by themselves).
  $<HTMLButtonElement>('#onboarding [type="submit"]').disabled = states.get('calendars') === 'waiting';
  $<HTMLButtonElement>('#book').disabled = states.get('prove') === 'waiting';
  $('#connect-next').hidden = states.get('connect') !== 'done';
  updatePlainPath();
}

function refresh() {
  updateSavePanel();
  updateSteps();
}

/** "Continue": on to the first step after connecting that is not done, focus on its heading. */
$('#continue').addEventListener('click', () => {
  const states = stepStates();
  const next = STEPS.slice(1).find((step) => states.get(step.name) !== 'done') ?? STEPS[1]!;
  stepHeading(next.name).focus();
});

// The pickers' first values come with their calendars (no event: the user did not change them).
sessionElement.addEventListener('tk-session-change', () => {
  const session = sessionElement.session;
  session?.addEventListener('availability', refresh);
  session?.addEventListener('change', refresh);
  refresh();
});

// The working hours say "saved" by their rendering only (no event when a save or a load finishes).
new MutationObserver(updateSteps).observe(rules.shadowRoot!, { subtree: true, childList: true, characterData: true, attributes: true });

// ── Path 1a: a plain resource, created server-side by the companion's helper. ──

const plainForm = $<HTMLFormElement>('#plain-resource');
const plainSwitch = $<HTMLButtonElement>('#use-plain');
const plainConfirm = $('#plain-confirm');
/** The provider chose to see the form although a calendar account is connected. */
let plainChosen = false;

/**
 * The form only before a resource exists: with a calendar account connected it sits behind a
 * switch and a confirmation (one mis-click must not start replacing the connection), and after
 * a plain resource exists it is done.
 */
function updatePlainPath() {
  const connectedAccounts = hasResource() ? sessionElement.session!.account!.accounts.length : 0;
  plainForm.hidden = hasResource() && !(plainChosen && connectedAccounts > 0);
  $('#plain-switch').hidden = connectedAccounts === 0 || plainChosen;
}

plainSwitch.addEventListener('click', () => {
  const open = plainConfirm.hidden;
  plainConfirm.hidden = !open;
  plainSwitch.setAttribute('aria-expanded', String(open));
  if (open) $('#plain-confirm-yes').focus();
});
$('#plain-confirm-yes').addEventListener('click', () => {
  plainChosen = true;
  plainConfirm.hidden = true;
  plainSwitch.setAttribute('aria-expanded', 'false');
  updatePlainPath();
  (plainForm.elements.namedItem('name') as HTMLInputElement).focus();
});
$('#plain-confirm-no').addEventListener('click', () => {
  plainConfirm.hidden = true;
  plainSwitch.setAttribute('aria-expanded', 'false');
  plainSwitch.focus();
});

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
  plainChosen = false;
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
  // The button waits for steps 1 and 2 (updateSteps), so this only narrows the types.
  if (session?.status !== 'ready' || !target.value) return;
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
  provenCalendar = landed ? target.value : '';
  updateSteps();
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
  updateSteps();
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
