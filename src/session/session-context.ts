/**
 * The context key the elements find their TkSession by, and `provideTkSession()`, the provider for
 * app code that creates its own session.
 */
import { ContextProvider, createContext } from '@lit/context';
import type { TkSession } from './session-service.js';

/**
 * The context key. `Symbol.for` so that two copies of this module on one page (a linked package,
 * the demo next to dist/) still find each other.
 */
export const tkSessionContext = createContext<TkSession | undefined>(Symbol.for('tk.session'));

/**
 * Provides `session` to every tk element below `host` (usually `document.body`), for app code
 * that creates its own TkSession instead of using `<tk-session>`. Elements already on the page
 * pick it up too.
 */
export function provideTkSession(host: HTMLElement, session: TkSession): ContextProvider<typeof tkSessionContext> {
  const provider = new ContextProvider(host, { context: tkSessionContext, initialValue: session });
  // A plain element has no controller lifecycle: announce the provider ourselves so consumers
  // that connected before it get it (the ContextRoot in session-controller.ts replays their requests).
  if (!('addController' in host)) provider.hostConnected();
  return provider;
}
