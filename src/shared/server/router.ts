/** The path router of the route tables: `/calendars/:id` patterns, with the methods a path allows for a 405. */

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

/**
 * Matches `/calendars/:id` style patterns. Returns the route for the method, or the list of
 * methods the path allows (for 405), or null when no pattern matches the path at all.
 */
export class Router<R extends { method: string; pattern: string }> {
  private readonly compiled: Array<{ route: R; regex: RegExp; names: string[] }> = [];

  constructor(routes: R[]) {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .map((segment) => {
          if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          names.push(segment.slice(1));
          return '([^/]+)';
        })
        .join('/');
      this.compiled.push({ route, regex: new RegExp(`^${source}/?$`), names });
    }
  }

  match(method: string, path: string): RouteMatch<R> | { allowed: string[] } | null {
    const allowed: string[] = [];
    for (const { route, regex, names } of this.compiled) {
      const found = regex.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = found[i + 1]!));
      return { route, params };
    }
    return allowed.length > 0 ? { allowed } : null;
  }
}
