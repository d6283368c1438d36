/** `<tk-availability-preview>`'s German strings, loaded on demand under `lang="de"`. */
import type { TkPreviewStrings } from './preview-en.js';

export const previewDe: TkPreviewStrings = {
  label: 'Buchbare Zeit',
  loading: 'Buchbare Zeit wird geladen…',
  refreshing: 'Buchbare Zeit wird aktualisiert…',
  refresh: 'Aktualisieren',
  loaded: (count) => (count === 1 ? '1 buchbarer Termin' : `${count} buchbare Termine`),
  empty: (days) => (days === 1 ? 'Keine buchbare Zeit am nächsten Tag.' : `Keine buchbare Zeit in den nächsten ${days} Tagen.`),
  emptyHint: 'Prüfen Sie Ihre Arbeitszeiten und die Kalender, die für die Verfügbarkeit zählen.',
  dayEmpty: 'Keine Termine',
  providerZone: (zone) => `Ihre Zeit: ${zone}`,
  customerZone: (zone) => `Zeit der Kunden: ${zone}`,
  bothZones: (provider, customer) => `${provider} (Zeit der Kunden: ${customer})`,
};
