/** The styles every element starts from (see below). */
import { css } from 'lit';

/**
 * What every element shares: host display, colours, focus ring, visually hidden text, skeleton
 * rows. The elements take the page's `color-scheme` (system colours follow it) rather than setting
 * their own, so light text never lands on a light-only page; the few literal colours switch with
 * `light-dark()` where the engine has it.
 */
export const sharedStyles = css`
  :host {
    --_error: #b3261e;
    --_muted: #595959;
    --_warning: #8a5300;
    display: block;
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
    /* not ButtonFace/ButtonText: some engines pair them badly under a dark scheme */
    background: var(--tk-button-background, transparent);
    color: var(--tk-button-color, inherit);
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
  @supports (color: light-dark(#000, #fff)) {
    :host {
      --_error: light-dark(#b3261e, #f2b8b5);
      --_muted: light-dark(#595959, #c4c4c4);
      --_warning: light-dark(#8a5300, #ffb95c);
    }
  }
  /* the error block of every element (renderErrorBlock): its text and retry button in a row */
  [part~='error'] {
    color: var(--tk-error-color, var(--_error));
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
  }
`;
