import { css } from 'lit';

/** What every element shares: host display, focus ring, visually hidden text, skeleton rows. */
export const sharedStyles = css`
  :host {
    display: block;
    color-scheme: light dark;
    font: inherit;
    color: var(--tk-color, CanvasText);
    box-sizing: border-box;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: 2px solid var(--tk-focus-ring, var(--tk-accent, Highlight));
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  button {
    font: inherit;
    cursor: pointer;
    padding-block: 0.4em;
    padding-inline: 0.9em;
    border-radius: var(--tk-radius, 6px);
    border: 1px solid var(--tk-border-color, GrayText);
    background: var(--tk-button-background, ButtonFace);
    color: var(--tk-button-color, ButtonText);
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  .skeleton {
    display: block;
    block-size: 1.25em;
    margin-block: 0.5em;
    border-radius: var(--tk-radius, 6px);
    background: color-mix(in srgb, currentColor 12%, transparent);
    animation: tk-pulse 1.2s ease-in-out infinite alternate;
  }
  @keyframes tk-pulse {
    to {
      opacity: 0.4;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .skeleton {
      animation: none;
    }
  }
  [part~='error'] {
    color: var(--tk-error-color, #b3261e);
  }
  @media (prefers-color-scheme: dark) {
    [part~='error'] {
      color: var(--tk-error-color, #f2b8b5);
    }
  }
`;
