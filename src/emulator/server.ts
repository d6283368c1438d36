/**
 * `startEmulator`: the emulator's handler on a listening `node:http` server, with JSON answers
 * for the requests node refuses before the handler sees them, and a warning off loopback.
 */
import { createServer, STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { createEmulator, type EmulatorOptions } from './emulator.js';
import type { Faults } from './faults.js';
import type { FidelityProfile, FidelitySwitches } from './fidelity.js';
import type { RecordedRequest } from './pipeline.js';
import { isLoopbackHost } from './secrets.js';
import type { EmulatorState } from './state.js';

export interface Emulator {
  /** The API base, e.g. `http://127.0.0.1:4010/v2`. */
  url: string;
  /** `http://127.0.0.1:4010`: where the fake Google pages and `/_emulator` live. */
  origin: string;
  app: string;
  appKey: string;
  testAppKey: string;
  profile: FidelityProfile;
  /** The resolved switches: the profile's, with `switches` applied. */
  fidelity: FidelitySwitches;
  /** Send as `Authorization: Bearer <controlToken>` to `/_emulator/*`; null when the control API is off. */
  controlToken: string | null;
  /** The `node:http` request handler, to mount the emulator inside another server. */
  handler: (req: IncomingMessage, res: ServerResponse) => void;
  state: EmulatorState;
  faults: Faults;
  /** Every API request so far, oldest first (tests count calls with it). */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/**
 * A whole HTTP/1.1 answer with a JSON error body, for sockets the request handler never sees.
 * `headOnly` leaves the body out (an answer to HEAD), keeping the headers that describe it.
 */
function rawReply(status: number, message: string, headers: Record<string, string> = {}, headOnly = false): string {
  const body = JSON.stringify({ error: message });
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Connection: close',
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${head.join('\r\n')}\r\n\r\n${headOnly ? '' : body}`;
}

/** Starts the emulator on `host:port` (127.0.0.1 and a free port by default). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = createEmulator(options);
  // The handler refuses a missing Host itself: node's own refusal is a bare status line.
  const server = createServer({ requireHostHeader: false }, emulator.handler);
  server.keepAliveTimeout = 5_000;
  // Requests node's parser refuses (an unknown method, a control character in a header, a head over
  // 16 KiB) never reach the handler; answer them in JSON too, not with a bare status line.
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    // A HEAD answer carries no body; the request line is at the start of the packet node failed on.
    const head = error.rawPacket?.subarray(0, 5).toString('latin1') === 'HEAD ';
    if (error.code === 'HPE_HEADER_OVERFLOW') return void socket.end(rawReply(431, 'The request head is larger than 16 KiB', {}, head));
    if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return void socket.end(rawReply(408, 'The request took too long to arrive', {}, head));
    socket.end(rawReply(400, 'Malformed HTTP request', {}, head));
  });
  // CONNECT is no API method, and without a listener node drops such connections without a word.
  server.on('connect', (_req: IncomingMessage, socket: Socket) =>
    socket.end(rawReply(405, 'Method CONNECT is not allowed', { Allow: 'GET, POST, PUT, PATCH, DELETE, OPTIONS' })),
  );
  // An Expect other than 100-continue: serve the request as usual rather than node's bodiless 417.
  server.on('checkExpectation', emulator.handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;
  if (!isLoopbackHost(host)) {
    (options.warn ?? console.warn)(
      `[tk-emulator] listening on ${host}, off loopback: other machines can reach it, and every token in it. ` +
        'Bind to 127.0.0.1 unless you mean that.',
    );
  }
  return {
    url: `${origin}/v2`,
    origin,
    app: emulator.app.slug,
    appKey: emulator.app.appKey,
    testAppKey: emulator.app.testAppKey,
    profile: emulator.profile,
    fidelity: emulator.fidelity,
    controlToken: emulator.controlToken,
    handler: emulator.handler,
    state: emulator.state,
    faults: emulator.faults,
    requests: emulator.requests,
    close: () =>
      new Promise<void>((resolve) => {
        emulator.state.save();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
