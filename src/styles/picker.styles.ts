/** The rules both pickers share: fieldsets, legends, the bounded scroller, rows, badges, row errors and warnings. */
import { css } from 'lit';

export const pickerStyles = css`
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-inline-size: 0;
  }
  [part~='label'] {
    font-weight: 600;
    padding: 0;
    margin-block-end: 0.5em;
  }
  [part~='group-label'] {
    font-size: 0.875em;
    color: var(--tk-muted-color, var(--_muted));
    padding: 0;
    margin-block: 0.75em 0.25em;
  }
  [part~='account-status'] {
    display: block;
    color: var(--tk-warning-color, var(--_warning));
  }
  /* however many calendars: the page does not grow with them, the list scrolls inside */
  [part~='scroller'] {
    max-block-size: var(--tk-picker-max-height, 20rem);
    overflow-y: auto;
    overscroll-behavior: contain;
    /* room for the focus ring of the first and last rows, which the scroller would clip */
    padding: 4px;
    margin: -4px;
  }
  [part~='scroller'] > fieldset:first-child > legend {
    margin-block-start: 0;
  }
  [part~='list'] {
    display: flex;
    flex-direction: column;
    gap: var(--tk-picker-gap, 0.25em);
  }
  [part~='option'] {
    /* let the browser skip rendering rows off screen (a virtualized list has none) */
    content-visibility: auto;
    contain-intrinsic-size: auto 2em;
    padding-block: 0.25em;
    padding-inline: 0.5em;
    border-radius: var(--tk-radius, 6px);
    background: var(--tk-picker-option-background, transparent);
  }
  /* the label is the row's target: 24 px at least (WCAG 2.5.8), 44 px for fingers (2.5.5) */
  /* a virtualized list (always taller than this) sees rows to render before it has measured any */
  [part~='list'][role='list'] {
    min-block-size: var(--tk-picker-max-height, 20rem);
  }
  [role='listitem'] > [part~='option'] {
    content-visibility: visible;
  }
  label {
    display: flex;
    align-items: center;
    gap: 0.5em;
    cursor: pointer;
    min-block-size: 24px;
  }
  [part~='filter'],
  button {
    min-block-size: 24px;
  }
  @media (pointer: coarse) {
    label,
    [part~='filter'],
    button {
      min-block-size: 44px;
    }
  }
  input[type='checkbox'],
  input[type='radio'] {
    accent-color: var(--tk-picker-accent, var(--tk-accent, auto));
    margin: 0;
    flex: none;
  }
  [part~='color'] {
    flex: none;
    inline-size: 0.75em;
    block-size: 0.75em;
    border-radius: 50%;
    background: var(--tk-calendar-color, GrayText);
  }
  /* two lines at most; the full name shows while the row has focus (and in its title) */
  [part~='name'] {
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow: hidden;
  }
  label:focus-within [part~='name'] {
    -webkit-line-clamp: unset;
    line-clamp: none;
  }
  [part~='badge'] {
    flex: none;
    font-size: 0.75em;
    padding-block: 0.05em;
    padding-inline: 0.5em;
    border-radius: 999px;
    border: 1px solid currentColor;
    color: var(--tk-muted-color, var(--_muted));
  }
  .tools {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    margin-block-end: 0.5em;
  }
  [part~='count'] {
    color: var(--tk-muted-color, var(--_muted));
    font-size: 0.875em;
  }
  [part~='show-chosen'][aria-pressed='true'] {
    background: color-mix(in srgb, currentColor 12%, transparent);
  }
  [part~='filter'] {
    font: inherit;
    inline-size: 100%;
    padding: 0.3em 0.5em;
    border-radius: var(--tk-radius, 6px);
    border: 1px solid var(--tk-border-color, GrayText);
  }
  [part~='row-error'],
  [part~='option'] [part~='warning'],
  [part~='error'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5em;
    margin-block-start: 0.25em;
    margin-inline-start: 1.75em;
  }
  [part~='error'] {
    margin-inline-start: 0;
  }
  [part~='reason'],
  [part~='warning'],
  [part~='empty'],
  [part~='signed-out'] {
    color: var(--tk-muted-color, var(--_muted));
    margin-inline-start: 1.75em;
    font-size: 0.875em;
  }
  [part~='empty'],
  [part~='signed-out'] {
    margin-inline-start: 0;
  }
  [part~='warning'] {
    margin-inline-start: 0;
    color: var(--tk-warning-color, var(--_warning));
  }
`;
