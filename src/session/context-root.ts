/** Lit's `ContextRoot` for the session's context, attached once to the document: a lazy chunk (see session-controller.ts). */
import { ContextRoot } from '@lit/context';

export function attachContextRoot(): void {
  new ContextRoot().attach(document.documentElement);
}
