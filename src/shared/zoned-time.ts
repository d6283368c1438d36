/** Wall-clock fields of an instant in an IANA zone, through `Intl` (browser and Node alike). */

const partsFormatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock fields of `date` in `zone`: weekday 0 = Sunday, hour 0–23. */
export function zonedParts(date: Date, zone: string) {
  let formatter = partsFormatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    partsFormatters.set(zone, formatter);
  }
  const fields: Record<string, string> = {};
  for (const part of formatter.formatToParts(date)) fields[part.type] = part.value;
  return {
    year: Number(fields.year),
    month: Number(fields.month),
    day: Number(fields.day),
    hour: Number(fields.hour),
    minute: Number(fields.minute),
    weekday: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(fields.weekday!),
  };
}

/** Whether `zone` is an IANA time zone this runtime knows. */
export function isTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false; // not a zone this engine knows
  }
}
