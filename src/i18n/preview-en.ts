/**
 * `<tk-availability-preview>`'s English strings, and `TkPreviewStrings`. They live apart from
 * `TkStrings` so a page without the preview never loads them (the preview is a chunk of its own).
 */
export interface TkPreviewStrings {
  /** The heading over the preview. */
  label: string;
  loading: string;
  /** The live region while the preview updates (after an edit, or while the calendars sync). */
  refreshing: string;
  refresh: string;
  /** The live region once slots arrived. */
  loaded: (count: number) => string;
  empty: (days: number) => string;
  emptyHint: string;
  /** Under a day without bookable time. */
  dayEmpty: string;
  /** The provider's zone, when a customer zone is shown too. */
  providerZone: (zone: string) => string;
  customerZone: (zone: string) => string;
  /** A slot announced in both zones. */
  bothZones: (provider: string, customer: string) => string;
}

export const previewEn: TkPreviewStrings = {
  label: 'Bookable time',
  loading: 'Loading bookable time…',
  refreshing: 'Updating bookable time…',
  refresh: 'Refresh',
  loaded: (count) => (count === 1 ? '1 bookable time' : `${count} bookable times`),
  empty: (days) => (days === 1 ? 'No bookable time in the next day.' : `No bookable time in the next ${days} days.`),
  emptyHint: 'Check your working hours and the calendars that count for availability.',
  dayEmpty: 'No times',
  providerZone: (zone) => `Your time: ${zone}`,
  customerZone: (zone) => `Customer time: ${zone}`,
  bothZones: (provider, customer) => `${provider} (customer time: ${customer})`,
};
