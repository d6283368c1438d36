import { TkSessionElement } from './components/session/session.js';

if (!customElements.get('tk-session')) customElements.define('tk-session', TkSessionElement);

declare global {
  interface HTMLElementTagNameMap {
    'tk-session': TkSessionElement;
  }
}
