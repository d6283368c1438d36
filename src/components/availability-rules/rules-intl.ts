/**
 * How `<tk-availability-rules>` writes weekdays, hours and time zones: through `Intl`, in the
 * element's language, with the lists it builds once per language.
 */
import { closestLang } from '../../i18n/locale.js';

/** The language `Intl` writes weekdays, times and zones in: the nearest `lang`, as for the strings. */
export function intlLang(element: Element): string {
  try {
    return Intl.getCanonicalLocales(closestLang(element))[0] ?? 'en';
  } catch {
    // not a language tag (WebKit under a POSIX locale reports navigator.language "C")
    return 'en';
  }
}

/** A Monday (2024-01-01) to name the weekdays from. */
const MONDAY = Date.UTC(2024, 0, 1);

export function weekdayName(lang: string, index: number): string {
  return new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(MONDAY + index * 86_400_000);
}

const hourLists = new Map<string, Array<{ hour: number; label: string }>>();

/** Whole hours `min`–`max`, each as the language writes a time of day. */
export function hourOptions(lang: string, min: number, max: number): Array<{ hour: number; label: string }> {
  let all = hourLists.get(lang);
  if (!all) {
    const format = new Intl.DateTimeFormat(lang, { timeStyle: 'short', timeZone: 'UTC' });
    all = Array.from({ length: 25 }, (_, hour) => ({ hour, label: format.format(MONDAY + hour * 3_600_000) }));
    hourLists.set(lang, all);
  }
  return all.slice(min, max + 1);
}

/** The zone's offset now, e.g. `GMT+02:00`, in the language's words. */
function offsetNow(lang: string, zone: string, style: 'longOffset' | 'long'): string {
  const parts = new Intl.DateTimeFormat(lang, { timeZone: zone, timeZoneName: style }).formatToParts(Date.now());
  return parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
}

const zoneLists = new Map<string, Array<{ zone: string; label: string }>>();

/** Every zone the engine knows (and the current one, if it does not list it), with its offset now. */
export function zoneOptions(lang: string, current: string): Array<{ zone: string; label: string }> {
  let list = zoneLists.get(lang);
  if (!list) {
    list = Intl.supportedValuesOf('timeZone').map((zone) => ({ zone, label: `${zone} (${offsetNow(lang, zone, 'longOffset')})` }));
    zoneLists.set(lang, list);
  }
  if (list.some((option) => option.zone === current)) return list;
  return [{ zone: current, label: `${current} (${offsetNow(lang, current, 'longOffset')})` }, ...list];
}

/** The zone's name and offset now, e.g. "Central European Summer Time, GMT+02:00". */
export function zoneDescription(lang: string, zone: string): string {
  return `${offsetNow(lang, zone, 'long')} · ${offsetNow(lang, zone, 'longOffset')}`;
}
