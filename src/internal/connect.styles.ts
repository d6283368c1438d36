/**
 * The styles of the connect elements: their button, account list, status line and error, on top
 * of the shared styles (the wait's own come with the round trip's chunk). Every button is at least
 * 24 × 24 CSS px (WCAG 2.5.8), 44 × 44 on a coarse pointer (2.5.5; `:host` lifts that rule above a
 * part's own size). Once an account is connected, connecting another is a secondary button (a host
 * restyles it with `::part(button)`).
 */
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
  button {
    min-block-size: 24px;
    min-inline-size: 24px;
  }
  [part~='button'] {
    background: var(--tk-connect-background, var(--tk-accent, #1a73e8));
    color: var(--tk-connect-color, #fff);
    border-color: transparent;
    font-weight: 600;
  }
  [part~='button'].another {
    background: var(--tk-button-background, transparent);
    color: var(--tk-button-color, inherit);
    border-color: var(--tk-border-color, GrayText);
    font-weight: 400;
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
  @media (pointer: coarse) {
    :host button {
      min-block-size: 44px;
      min-inline-size: 44px;
    }
  }
`;
