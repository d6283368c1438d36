/**
 * The start of every picker row: the calendar's colour dot, its name and the primary badge. Both
 * pickers render it, so a row looks the same in either.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { TimekitCalendar } from '../shared/timekit.js';
import { swatchStyle } from './calendars.js';

/**
 * The name is clamped to two lines (picker.styles.ts); the full name stays in the label's text
 * (the control's accessible name), in `title` for the pointer, and unclamped while the row has focus.
 */
export function renderCalendarLabel(calendar: TimekitCalendar, primaryText: string): TemplateResult {
  return html`<span part="color" .style=${swatchStyle(calendar)}></span>
    <span part="name" title=${calendar.name}>${calendar.name}</span>
    ${calendar.provider_primary ? html`<span part="badge badge-primary">${primaryText}</span>` : nothing}`;
}
