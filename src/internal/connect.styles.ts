/** The styles of the connect elements: their button, account list, status line and error, on top of the shared styles. */
import { css } from 'lit';

export const connectStyles = css`
  :host {
    display: inline-block;
  }
  [part~='base'] {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    gap: 0.5em;
  }
  [part~='button'] {
    background: var(--tk-connect-background, var(--tk-accent, #1a73e8));
    color: var(--tk-connect-color, #fff);
    border-color: transparent;
    font-weight: 600;
  }
  [part~='accounts'] {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  [part~='account'] {
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
  }
  [part~='account-status'] {
    color: var(--_muted);
  }
  [part~='question-error'] {
    color: var(--tk-error-color, var(--_error));
  }
`;
