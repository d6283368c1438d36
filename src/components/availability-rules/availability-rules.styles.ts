/** `<tk-availability-rules>`'s layout: a row per weekday, its ranges beside the day's name. Logical properties, so `dir="rtl"` mirrors it. */
import { css } from 'lit';

export const availabilityRulesStyles = css`
  fieldset {
    margin: 0;
    padding: 0;
    border: 0;
    min-inline-size: 0;
  }
  legend {
    font-weight: 600;
    padding: 0;
    margin-block-end: 0.5em;
  }
  [part~='week'],
  [part~='time-off'],
  [part~='extra-hours'] {
    margin-block-start: 1em;
  }
  label {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
  }
  select,
  input[type='date'] {
    font: inherit;
    color: inherit;
    background: transparent;
    padding-block: 0.25em;
    padding-inline: 0.4em;
    border: 1px solid var(--tk-border-color, GrayText);
    border-radius: var(--tk-radius, 6px);
  }
  input[type='checkbox'] {
    accent-color: var(--tk-accent, auto);
    margin: 0;
  }
  [aria-invalid='true'] {
    border-color: var(--tk-error-color, var(--_error));
  }
  .zone {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tk-rules-gap, 0.5em);
  }
  [part~='zone-name'],
  .muted {
    color: var(--tk-muted-color, var(--_muted));
  }
  [part~='day'] {
    display: grid;
    grid-template-columns: minmax(8em, max-content) 1fr;
    align-items: start;
    gap: var(--tk-rules-gap, 0.5em);
    padding-block: 0.4em;
    padding-inline: 0.4em;
    border-radius: var(--tk-radius, 6px);
    background: var(--tk-rules-day-background, transparent);
  }
  [part~='day-name'] {
    font-weight: 600;
  }
  .ranges {
    display: flex;
    flex-direction: column;
    gap: var(--tk-rules-gap, 0.5em);
  }
  [part~='range'],
  [part~='period'],
  [part~='extra'],
  .actions {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tk-rules-gap, 0.5em);
  }
  [part~='period'],
  [part~='extra'] {
    margin-block-end: var(--tk-rules-gap, 0.5em);
  }
  [part~='row-error'],
  [part~='save-error'] {
    flex-basis: 100%;
    color: var(--tk-error-color, var(--_error));
  }
  [part~='suggestion'] {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: var(--tk-rules-gap, 0.5em);
    margin-block-end: 0.75em;
  }
  [part~='save-status'] {
    margin-block-start: 0.75em;
    min-block-size: 1.5em;
    color: var(--tk-muted-color, var(--_muted));
  }
`;
