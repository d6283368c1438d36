/** The rules both pickers share: fieldsets, legends, rows, badges, row errors and warnings. */
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
  [part~='list'] {
    display: flex;
    flex-direction: column;
    gap: var(--tk-picker-gap, 0.25em);
  }
  [part~='option'] {
    /* long lists: let the browser skip rendering rows off screen */
    content-visibility: auto;
    contain-intrinsic-size: auto 2em;
    padding-block: 0.25em;
    padding-inline: 0.5em;
    border-radius: var(--tk-radius, 6px);
    background: var(--tk-picker-option-background, transparent);
  }
  label {
    display: flex;
    align-items: center;
    gap: 0.5em;
    cursor: pointer;
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
  [part~='name'] {
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
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
  [part~='filter'] {
    font: inherit;
    inline-size: 100%;
    margin-block-end: 0.5em;
    padding: 0.3em 0.5em;
    border-radius: var(--tk-radius, 6px);
    border: 1px solid var(--tk-border-color, GrayText);
  }
  [part~='row-error'],
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
