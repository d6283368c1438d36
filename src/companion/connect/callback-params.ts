/** The connect callback's query, read as tolerantly as Timekit may write it. */

/**
 * The callback's query as Timekit may send it: appended as text (so a second `?` can separate
 * parameters) and not percent-encoded (so `+` is a plus, never a space). The first of each name wins.
 */
export function callbackParams(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of rawQuery.split(/[?&]/)) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (name === '' || params.has(name)) continue;
    const raw = eq < 0 ? '' : part.slice(eq + 1);
    try {
      params.set(name, decodeURIComponent(raw));
    } catch {
      params.set(name, raw); // a stray `%`: kept as sent, and refused by the callback if it matters
    }
  }
  return params;
}
