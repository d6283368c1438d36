/**
 * The path router of route tables (the emulator's and the companion's): `/calendars/:id` patterns,
 * with the methods a path allows for a 405.
 */

export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

/** The routes at a path, none of them for the method asked: the answer is a 405 naming `allowed`. */
export interface MethodMismatch<R> {
  allowed: string[];
  routes: R[];
}

/**
 * Matches `/calendars/:id` style patterns. A pattern's last segment may be `:name?` (the segment
 * may be missing or empty) or `*` (the rest of the path, maybe nothing; its param is `*`), and a
 * route's method `*` (any method). Returns the route for the method, or the routes and methods
 * the path allows (for 405), or null when no pattern matches the path at all.
 */
export class Router<R extends { method: string; pattern: string }> {
  private readonly compiled: Array<{ route: R; regex: RegExp; names: string[] }> = [];

  constructor(routes: R[]) {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.pattern
        .split('/')
        .slice(1)
        .map((segment) => {
          if (segment === '*') {
            names.push('*');
            return '(?:/(.*))?';
          }
          if (!segment.startsWith(':')) return `/${segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`;
          const optional = segment.endsWith('?');
          names.push(segment.slice(1, optional ? -1 : undefined));
          return optional ? '(?:/([^/]*))?' : '/([^/]+)';
        })
        .join('');
      this.compiled.push({ route, regex: new RegExp(`^${source}/?$`), names });
    }
  }

  match(method: string, path: string): RouteMatch<R> | MethodMismatch<R> | null {
    const mismatch: MethodMismatch<R> = { allowed: [], routes: [] };
    for (const { route, regex, names } of this.compiled) {
      const found = regex.exec(path);
      if (!found) continue;
      if (route.method !== method && route.method !== '*') {
        mismatch.allowed.push(route.method);
        mismatch.routes.push(route);
        continue;
      }
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = found[i + 1] ?? ''));
      return { route, params };
    }
    return mismatch.allowed.length > 0 ? mismatch : null;
  }
}
