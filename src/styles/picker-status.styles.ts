/** What the pickers say about their choice: the summary, the save-mode line, each row's save status and the overlap warning beside its row. */
import { css } from 'lit';

export const pickerStatusStyles = css`
  [part~='summary'] {
    margin-block-end: 0.5em;
  }
  [part~='save-mode'],
  [part~='row-status'] {
    color: var(--tk-muted-color, var(--_muted));
    font-size: 0.875em;
  }
  [part~='save-mode'] {
    margin-block-end: 0.5em;
  }
  [part~='row-status'] {
    display: block;
    margin-inline-start: 1.75em;
  }
  /* "Saved" fades, then goes; the polite status has said it once for screen readers */
  [part~='row-status'].saved {
    animation: tk-fade-out 0.6s ease-in 1.2s forwards;
  }
  @keyframes tk-fade-out {
    to {
      opacity: 0;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    [part~='row-status'].saved {
      animation: none;
    }
  }
`;
