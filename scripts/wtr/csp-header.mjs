/**
 * A strict Content-Security-Policy for the pages under /test/browser/fixtures/csp/, the fixture
 * test/browser/csp.test.ts loads in an iframe to prove the elements need no `unsafe-inline` and
 * no `unsafe-eval`: only same-origin external scripts, only same-origin style sheets (no `style`
 * attributes, no `<style>` elements), requests only to this origin (the emulator is mounted here
 * under /v2), and Trusted Types with Lit's own policy (`lit-html`) as the only one allowed.
 *
 * Use in the wtr config: `middleware: [cspHeader()]`.
 */

export const CSP_PATH_PREFIX = '/test/browser/fixtures/csp/';

export const CSP_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "require-trusted-types-for 'script'",
  'trusted-types lit-html',
].join('; ');

/** Koa middleware: adds the policy header to every response under {@link CSP_PATH_PREFIX}. */
export function cspHeader() {
  return async function cspHeaderMiddleware(ctx, next) {
    await next();
    if (ctx.path.startsWith(CSP_PATH_PREFIX)) ctx.set('Content-Security-Policy', CSP_POLICY);
  };
}
