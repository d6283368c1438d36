/**
 * Type-level tests for TkSession's events: `npm run typecheck` compiles this file, nothing runs it.
 * The event map names the six events and gives each listener the session as `this`; each
 * @ts-expect-error line is a mistake the types must catch.
 */
import type { TkSession } from '../../src/classes.js';
import type { TkSessionEventMap } from '../../src/session/session-service.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assert = <T extends true>(_: T) => undefined;

export function sessionEvents(session: TkSession): void {
  assert<Equal<keyof TkSessionEventMap, 'change' | 'calendars' | 'availability' | 'sync' | 'rules' | 'accounts'>>(true);
  session.addEventListener('sync', function (_event) {
    assert<Equal<typeof _event, Event>>(true);
    assert<Equal<typeof this, TkSession>>(true);
    void this.syncStatus;
  });
  session.addEventListener('change', { handleEvent: (event) => void event.type });
  session.removeEventListener('availability', () => undefined);
  // @ts-expect-error the session's events are plain Events: no detail to read
  session.addEventListener('calendars', (event: CustomEvent<string>) => void event.detail);
}
