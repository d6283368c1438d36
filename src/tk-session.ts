/** Registers `<tk-session>` (once, whoever imports it first) and types the tag for TypeScript. */
import { TkSessionElement } from './components/session/session-provider.js';

if (!customElements.get('tk-session')) customElements.define('tk-session', TkSessionElement);

declare global {
  interface HTMLElementTagNameMap {
    'tk-session': TkSessionElement;
  }
}
