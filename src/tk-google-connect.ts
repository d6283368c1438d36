import { TkGoogleConnect } from './components/google-connect/google-connect.js';

if (!customElements.get('tk-google-connect')) customElements.define('tk-google-connect', TkGoogleConnect);

declare global {
  interface HTMLElementTagNameMap {
    'tk-google-connect': TkGoogleConnect;
  }
}
