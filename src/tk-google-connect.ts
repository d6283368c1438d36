/** Registers `<tk-google-connect>` (once, whoever imports it first) and types the tag for TypeScript. */
import { TkGoogleConnect } from './components/google-connect/google-connect.js';

if (!customElements.get('tk-google-connect')) customElements.define('tk-google-connect', TkGoogleConnect);

declare global {
  interface HTMLElementTagNameMap {
    'tk-google-connect': TkGoogleConnect;
  }
}
