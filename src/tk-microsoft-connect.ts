/**
 * Registers `<tk-microsoft-connect>` (once, whoever imports it first), types the tag for
 * TypeScript, and exports its class. The element is an entry of its own, outside `index.js`, so a
 * page without it never loads it.
 */
import { TkMicrosoftConnect } from './components/microsoft-connect/microsoft-connect.js';

if (!customElements.get('tk-microsoft-connect')) customElements.define('tk-microsoft-connect', TkMicrosoftConnect);

export { TkMicrosoftConnect };
export type { TkMicrosoftStrings } from './i18n/microsoft-strings.js';

declare global {
  interface HTMLElementTagNameMap {
    'tk-microsoft-connect': TkMicrosoftConnect;
  }
}
