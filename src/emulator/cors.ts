/**
 * CORS: which pages may read the emulator's answers (by default only this machine's), which
 * headers they may send and read, and the answer to a preflight.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FidelitySwitches } from './fidelity.js';
import { isLoopbackOrigin } from './secrets.js';

/** The request headers the kit and booking.js send. */
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Timekit-App',
  'Timekit-Context',
  'Timekit-InputTimestampFormat',
  'Timekit-OutputTimestampFormat',
  'Timekit-Timezone',
  'Tk-Emulator-Fault',
].join(', ');
const EXPOSED_HEADERS = 'Timekit-TestMode, Timekit-Request-Id, X-RateLimit-Remaining, Retry-After';
/** The `retryAfterHidden` switch (doubt #13 in docs/emulator.md): the one captured live answer exposes only this. */
const EXPOSED_HEADERS_EVIDENCE = 'Timekit-TestMode';

/** The CORS headers one answer carries; empty of grants for a page the emulator does not trust. */
export type CorsHeaders = (req: IncomingMessage) => Record<string, string>;

/**
 * Grants only pages of `allowedOrigins`, or of any loopback origin when none are listed.
 * `Vary: Origin` goes on every answer, so a cache never hands one page's grant to another.
 */
export function corsPolicy(allowedOrigins: readonly string[] | undefined, fidelity: FidelitySwitches): CorsHeaders {
  return (req): Record<string, string> => {
    const origin = req.headers.origin;
    const allowed = origin !== undefined && (allowedOrigins ? allowedOrigins.includes(origin) : isLoopbackOrigin(origin));
    if (!allowed) return { vary: 'Origin' };
    const exposed = fidelity.retryAfterHidden ? EXPOSED_HEADERS_EVIDENCE : EXPOSED_HEADERS;
    return { 'access-control-allow-origin': origin, vary: 'Origin', 'access-control-expose-headers': exposed };
  };
}

/** Answers an `OPTIONS` preflight: every API method and header, cached by the browser for ten minutes. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, cors: CorsHeaders): void {
  res.writeHead(204, {
    ...cors(req),
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE',
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': '600',
  });
  res.end();
}
