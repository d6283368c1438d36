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
  /* WCAG 2.5.8: every button at least 24 × 24 CSS px */
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
  /* Connecting another account is a secondary action once one is connected (the host can restyle it
     with ::part(button) under :state(content)). */
  [part~='button'].another {
    background: var(--tk-button-background, transparent);
    color: var(--tk-button-color, inherit);
    border-color: var(--tk-border-color, GrayText);
    font-weight: normal;
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
  [part~='status'] {
    max-inline-size: 40em;
  }
  [part~='wait-hint'] {
    display: block;
    margin-block-start: 0.25em;
  }
  [part~='waiting'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5em;
  }
  /* A ring that turns while the popup is open; it stands still under reduced motion. */
  [part~='progress'] {
    display: inline-block;
    vertical-align: -0.15em;
    inline-size: 1em;
    block-size: 1em;
    margin-inline-end: 0.5em;
    border: 2px solid color-mix(in srgb, currentColor 25%, transparent);
    border-block-start-color: var(--tk-accent, currentColor);
    border-radius: 50%;
    animation: tk-spin 0.9s linear infinite;
  }
  @keyframes tk-spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='progress'] {
      animation: none;
    }
  }
  /* WCAG 2.5.5 on touch screens: 44 × 44 CSS px (:host raises it above a part's own size rule). */
  @media (pointer: coarse) {
    :host button {
      min-block-size: 44px;
      min-inline-size: 44px;
    }
  }
`;
