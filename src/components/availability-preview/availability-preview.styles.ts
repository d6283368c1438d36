/** `<tk-availability-preview>`'s styles: a week grid when the element is wide, a list of days when narrow. */
import { css } from 'lit';

export const previewStyles = css`
  [part~='base'] {
    /* the layout follows the element's own width (a sidebar, a dialog), not the window's */
    container: tk-preview / inline-size;
  }
  [part~='header'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: space-between;
    gap: 0.5em;
    margin-block-end: 0.5em;
  }
  [part~='label'] {
    font-size: 1em;
    font-weight: 600;
    margin: 0;
  }
  [part~='zones'] {
    display: flex;
    flex-wrap: wrap;
    gap: 0.25em 1em;
    margin-block: 0 0.5em;
    font-size: 0.875em;
    color: var(--tk-muted-color, var(--_muted));
  }
  [part~='days'] {
    display: flex;
    flex-direction: column;
    gap: var(--tk-preview-gap, 0.5em);
  }
  /* seven columns of whole times ("09:30 AM") need about 40rem */
  @container tk-preview (min-width: 40rem) {
    [part~='days'] {
      display: grid;
      grid-auto-flow: column;
      grid-auto-columns: minmax(0, 1fr);
    }
    [part~='slots'] {
      flex-direction: column;
      gap: calc(var(--tk-preview-gap, 0.5em) / 2);
    }
    [part~='slot'] {
      font-size: 0.875em;
      padding-inline: 0.4em;
    }
  }
  [part~='day-label'] {
    font-size: 0.875em;
    font-weight: 600;
    margin-block: 0 0.25em;
  }
  [part~='day-empty'] {
    margin: 0;
    font-size: 0.875em;
    color: var(--tk-muted-color, var(--_muted));
  }
  [part~='slots'] {
    display: flex;
    flex-wrap: wrap;
    gap: var(--tk-preview-gap, 0.5em);
    list-style: none;
    margin: 0;
    padding: 0;
  }
  [part~='slot'] {
    display: flex;
    flex-direction: column;
    align-items: center;
    padding-block: 0.2em;
    padding-inline: 0.6em;
    border: 1px solid var(--tk-accent, GrayText);
    border-radius: var(--tk-radius, 6px);
    background: var(--tk-preview-slot-background, transparent);
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  [part~='customer-time'] {
    font-size: 0.75em;
    color: var(--tk-muted-color, var(--_muted));
  }
  [part~='empty'],
  [part~='signed-out'] {
    color: var(--tk-muted-color, var(--_muted));
    font-size: 0.875em;
  }
  [part~='empty'] p {
    margin-block: 0 0.25em;
  }
`;
