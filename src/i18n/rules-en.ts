/**
 * `<tk-availability-rules>`'s strings, in the element's own chunk so a page without it pays for
 * none of them. Weekday names and times come from `Intl`, not from here.
 */
import type { RowProblem } from '../internal/weekly-rules.js';

export interface TkRulesStrings {
  rulesLabel: string;
  rulesLoading: string;
  weeklyHours: string;
  /** The checkbox that makes a weekday bookable (unchecked: a day off). */
  available: string;
  dayOff: string;
  from: string;
  until: string;
  /** The name of one range of hours, e.g. "Monday, hours 2". */
  rangeName: (day: string, position: number) => string;
  addRange: (day: string) => string;
  remove: (what: string) => string;
  copyToWeekdays: (day: string) => string;
  /** The hour 24, as the end of a range. */
  endOfDay: string;
  timezone: string;
  timeOff: string;
  timeOffName: (position: number) => string;
  addTimeOff: string;
  wholeDays: string;
  extraHours: string;
  extraHoursName: (position: number) => string;
  addExtraHours: string;
  date: string;
  problems: Record<RowProblem, string>;
  suggestion: string;
  saveSuggestion: string;
  saving: string;
  saved: string;
  saveFailed: string;
  /** The form's validation message while a row has a problem. */
  fixProblems: string;
  requiredRules: string;
}

export const rulesEn: TkRulesStrings = {
  rulesLabel: 'Working hours',
  rulesLoading: 'Loading working hours…',
  weeklyHours: 'Weekly hours',
  available: 'Available',
  dayOff: 'Day off',
  from: 'From',
  until: 'Until',
  rangeName: (day, position) => `${day}, hours ${position}`,
  addRange: (day) => `Add hours on ${day}`,
  remove: (what) => `Remove ${what}`,
  copyToWeekdays: (day) => `Copy ${day} to all weekdays`,
  endOfDay: 'Midnight (end of day)',
  timezone: 'Time zone',
  timeOff: 'Time off',
  timeOffName: (position) => `Time off ${position}`,
  addTimeOff: 'Add time off',
  wholeDays: 'Whole days',
  extraHours: 'Extra hours on a date',
  extraHoursName: (position) => `Extra hours ${position}`,
  addExtraHours: 'Add extra hours',
  date: 'Date',
  problems: {
    order: 'This ends before it starts.',
    overlap: 'This overlaps other hours on the same day.',
    'missing-date': 'Enter a date.',
  },
  suggestion: 'Suggested hours, not saved yet: change them or save them as they are.',
  saveSuggestion: 'Save these hours',
  saving: 'Saving…',
  saved: 'Saved',
  saveFailed: 'Your change could not be saved and was undone.',
  fixProblems: 'Fix the marked hours to save them.',
  requiredRules: 'Add at least one range of bookable hours.',
};
