/**
 * tk-elements/react in a real React 19 app (test/browser/fixtures/react/): rendered on the client,
 * and hydrated from react-dom/server's output. In both, the elements' events reach React state
 * through the wrapper's handler props, and the controlled `value` round-trips. React 19 drops a
 * bare tag's `ontk-change` prop during hydration; the wrapper adds its listeners itself.
 */
import { expect } from '@open-wc/testing';
import { waitUntil } from '../helpers/wait.js';
import { newResource, sessionFor } from '../helpers/emulator.js';
import type { TkReadySession } from '../../../src/shared/companion-protocol.js';
import { hasState } from '../helpers/dom.js';

type Fixture = typeof import('../fixtures/react/client.js');
// bundled with React by scripts/wtr/server-rendered.mjs (React is CommonJS)
const fixture = (): Promise<Fixture> => import('/__tk-react/client.js' as string) as Promise<Fixture>;

const output = (container: Element, id: string) => container.querySelector(`output#${id}`)?.textContent;

/** Picks a calendar in each picker as a user would, and checks the ids arrived in React state. */
async function pickAndCheck(container: HTMLElement) {
  await waitUntil(() => output(container, 'status') === 'ready', 'tk-session-change did not reach React');
  const picker = container.querySelector('tk-calendar-picker')!;
  const target = container.querySelector('tk-booking-target')!;
  await waitUntil(() => hasState(picker, 'content') && hasState(target, 'content'), 'the pickers show no calendars');

  picker.shadowRoot!.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
  await waitUntil(() => output(container, 'calendars') !== '', 'tk-change from the picker did not reach React');
  expect(output(container, 'calendars')).to.equal(picker.value.join(','));
  // the state went back into the controlled value, and the picker still shows it
  expect(picker.value).to.have.length(1);
  expect(picker.shadowRoot!.querySelectorAll('input[type="checkbox"]:checked')).to.have.length(1);

  target.shadowRoot!.querySelector<HTMLInputElement>('input[type="radio"]')!.click();
  await waitUntil(() => output(container, 'booking') !== '', 'tk-change from the booking target did not reach React');
  expect(output(container, 'booking')).to.equal(target.value);
}

describe('package: tk-elements/react in React 19', () => {
  let credentials: TkReadySession;
  let container: HTMLElement;
  let unmount: () => void;

  before(async () => {
    credentials = await sessionFor(await newResource(['Work', 'Home']));
  });

  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
  });

  afterEach(() => {
    unmount?.();
    container.remove();
  });

  it('client rendering: events reach React state', async () => {
    const { render } = await fixture();
    const root = render(container, { fetchCredentials: async () => credentials });
    unmount = () => root.unmount();
    await pickAndCheck(container);
  });

  it('hydrated from react-dom/server output: the same elements, and events reach React state', async () => {
    const { hydrate } = await fixture();
    container.innerHTML = await (await fetch('/__tk-react/server.html')).text();
    const rendered = container.querySelector('tk-calendar-picker');
    expect(rendered, 'the server rendered the picker').to.not.equal(null);
    const recoverable: unknown[] = [];
    const root = hydrate(container, { fetchCredentials: async () => credentials }, (error) => recoverable.push(error));
    unmount = () => root.unmount();
    await pickAndCheck(container);
    expect(container.querySelector('tk-calendar-picker'), 'hydration kept the server-rendered element').to.equal(rendered);
    expect(recoverable, 'hydration mismatches').to.deep.equal([]);
  });
});
