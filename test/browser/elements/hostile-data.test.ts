/**
 * Calendar lists no well-behaved Timekit sends, handed to both pickers through a fake session:
 * missing and wrong-typed fields, null names, duplicate ids (shown once), and two thousand calendars. Each
 * picker must show a list (never a blank) and throw nothing, also not later in a render.
 */
import { expect, fixtureCleanup } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import fc from 'fast-check';
import type { TimekitCalendar } from '../../../src/shared/timekit.js';
import { FakeSession, calendar } from '../helpers/fake-session.js';
import { hasState, parts, waitForState } from '../helpers/dom.js';
import { PICKERS, fixturePicker, type PickerKind } from '../helpers/pickers.js';

/** Errors thrown outside the test's own awaits (a failed Lit update lands here). */
const uncaught: unknown[] = [];
const onError = (event: ErrorEvent) => uncaught.push(event.error ?? event.message);
const onRejection = (event: PromiseRejectionEvent) => uncaught.push(event.reason);

async function mount(kind: PickerKind, list: unknown[]) {
  const session = new FakeSession();
  session.calendarList = list as TimekitCalendar[];
  await session.refresh();
  const el = await fixturePicker(kind, { session });
  await waitForState(el, ['content', 'empty', 'error'], { message: 'still loading' });
  // a throwing render rejects updateComplete (and is also an unhandled rejection); a macrotask
  // (not a frame: a background tab gets none) lets a later re-render run too
  await el.updateComplete;
  await new Promise((resolve) => setTimeout(resolve));
  await el.updateComplete;
  return el;
}

/** JSON can hold it (`{"toString":false}`), and turning it into text or a number throws. */
const unprintable = () => JSON.parse('{"toString":false,"valueOf":null}') as unknown;

const broken = (): unknown[] => [
  calendar({ name: 'Work' }),
  { ...calendar(), name: null },
  { ...calendar(), name: 42 },
  { ...calendar(), name: undefined, provider: undefined, provider_access: undefined, backgroundcolor: 17 },
  { id: 'bare' },
  { ...calendar(), provider: 'outlook', provider_access: 'admin', provider_primary: 'yes' },
  { ...calendar(), name: unprintable(), provider: unprintable(), provider_access: unprintable(), provider_primary: unprintable(), backgroundcolor: unprintable() },
];

function describeHostileData(kind: PickerKind) {
  describe(`hostile calendar data: <${kind.tag}>`, () => {
    beforeEach(() => {
      uncaught.length = 0;
      window.addEventListener('error', onError);
      window.addEventListener('unhandledrejection', onRejection);
    });
    afterEach(() => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    });

    it('missing, null and wrong-typed fields: a row for each, each with a name', async () => {
      const el = await mount(kind, broken());
      expect(uncaught).to.deep.equal([]);
      expect(hasState(el, 'content')).to.equal(true);
      const names = parts(el, 'name').map((n) => n.textContent!.trim());
      expect(names).to.have.length(7);
      expect(names.filter((n) => n === ''), 'a blank name').to.deep.equal([]);
      expect(names).to.include('Work');
    });

    it('entries that are no calendars at all, or have no id, are left out', async () => {
      const el = await mount(kind, [null, 'x', 7, { name: 'No id' }, { id: '', name: 'Empty id' }, calendar({ name: 'Work' })]);
      expect(uncaught).to.deep.equal([]);
      expect(parts(el, 'name').map((n) => n.textContent)).to.deep.equal(['Work']);
    });

    it('an id listed twice shows once, as its first entry; nothing throws', async () => {
      const first = calendar({ name: 'First' });
      const el = await mount(kind, [first, { ...first, name: 'Again' }, calendar({ name: 'Other' }), { ...first, name: 'Third time' }]);
      expect(uncaught).to.deep.equal([]);
      expect(parts(el, 'name').map((n) => n.textContent)).to.have.members(['First', 'Other']);
      expect(el.shadowRoot!.querySelectorAll(`[data-id="${first.id}"]`)).to.have.length(1);
    });

    it('2,000 calendars: all of them end up listed (only those on screen rendered), the last one when scrolled to', async () => {
      const list = Array.from({ length: 2_000 }, (_, i) => calendar({ name: `Calendar #${String(i).padStart(4, '0')}` }));
      const el = await mount(kind, list);
      await waitUntil(() => el.shadowRoot!.querySelector('[role=listitem][aria-setsize="2000"]') !== null, 'the list was not virtualized', { timeout: 10_000 });
      const scroller = el.shadowRoot!.querySelector<HTMLElement>('[part~=scroller]')!;
      scroller.scrollTop = scroller.scrollHeight;
      scroller.dispatchEvent(new Event('scroll')); // now, not at the next rendering: background tabs get none
      await waitUntil(() => el.shadowRoot!.querySelector(`[data-id="${list[1999]!.id}"]`) !== null, 'the last calendar did not render', { timeout: 10_000 });
      expect(uncaught).to.deep.equal([]);
    });

    it('property: any JSON list renders a list or the empty state; every row has a visible name; nothing throws', async function (this: Mocha.Context) {
      // 40 mounts: about 3 s alone, several times that while three engines share two cores.
      this.timeout(60_000);
      // what a Timekit answer (JSON) could hold, leaning on the names the code looks up
      const anyJson = fc.oneof({ weight: 9, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.constant(null).map(unprintable) });
      const entry = fc.oneof(
        {
          weight: 5,
          arbitrary: fc.record(
            {
              id: fc.oneof(fc.uuid(), fc.constantFrom('', ' ', 'twice', '__proto__', 'constructor'), anyJson),
              name: fc.oneof(fc.string(), fc.constantFrom('', '   ', '\u200b', '<b>x</b>'), anyJson),
              provider: fc.oneof(fc.constantFrom('google', 'timekit', 'microsoft', 'outlook', '__proto__', 'toString', 'constructor'), anyJson),
              provider_access: fc.oneof(fc.constantFrom('owner', 'writer', 'reader', 'toString'), anyJson),
              provider_primary: anyJson,
              provider_sync: anyJson,
              backgroundcolor: fc.oneof(fc.constantFrom('#1a2b3c', 'red; background: url(x)', ''), anyJson),
            },
            { requiredKeys: [] },
          ),
        },
        { weight: 1, arbitrary: anyJson },
      );
      await fc.assert(
        fc.asyncProperty(fc.array(entry, { maxLength: 12 }), async (list) => {
          uncaught.length = 0;
          const el = await mount(kind, list);
          try {
            expect(uncaught).to.deep.equal([]);
            // the documented rule: an entry counts when its id is text with something visible in it
            const ids = new Set(list.map((c) => (c as { id?: unknown } | null)?.id).filter((id) => typeof id === 'string' && /[^\s\p{Cf}]/u.test(id)));
            expect(hasState(el, ids.size > 0 ? 'content' : 'empty'), 'state').to.equal(true);
            const names = parts(el, 'name').map((n) => n.textContent!.trim());
            expect(names, 'one row per id').to.have.length(ids.size);
            expect(names.filter((n) => n.replace(/[\s\u200b]/g, '') === ''), 'a blank name').to.deep.equal([]);
            const text = el.shadowRoot!.textContent!;
            expect(text, 'an object or a function shown as text').to.not.match(/\[object |\[native code\]|undefined|null/);
          } finally {
            fixtureCleanup();
          }
        }),
        // a failing mount waits out its state's timeout: stop shrinking in time to report the case
        { numRuns: 40, interruptAfterTimeLimit: 30_000 },
      );
    });
  });
}

for (const kind of PICKERS) describeHostileData(kind);
