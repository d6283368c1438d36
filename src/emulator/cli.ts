/**
 * `tk-emulator`: runs the Timekit emulator as a process.
 *
 *   tk-emulator [--port 4010] [--host 127.0.0.1] [--state-file FILE] [--strict-widget] [--latency MS] [--json] [--quiet]
 */
import { parseArgs } from 'node:util';
import { GOOGLE_IDENTITIES, startEmulator } from './index.js';

const USAGE = `Usage: tk-emulator [options]

  --port N           port to listen on (default 4010; 0 picks a free one)   env TK_EMULATOR_PORT
  --host H           interface to listen on (default 127.0.0.1)            env TK_EMULATOR_HOST
  --state-file FILE  keep the data in FILE so it survives a restart        env TK_EMULATOR_STATE_FILE
  --strict-widget    widget credentials may only read, findtime and book
  --latency MS       add MS milliseconds to every API answer
  --json             print one JSON line {"url","app","appKey","testAppKey"} once listening
  --quiet            do not log requests
  --help             show this help`;

function fail(message: string): never {
  process.stderr.write(`tk-emulator: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: process.env.TK_EMULATOR_PORT ?? '4010' },
      host: { type: 'string', default: process.env.TK_EMULATOR_HOST ?? '127.0.0.1' },
      'state-file': { type: 'string', default: process.env.TK_EMULATOR_STATE_FILE },
      'strict-widget': { type: 'boolean', default: false },
      latency: { type: 'string' },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }).values;
} catch (error) {
  fail((error as Error).message);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be 0–65535, not "${args.port}"`);
const latencyMs = args.latency === undefined ? undefined : Number(args.latency);
if (latencyMs !== undefined && !(latencyMs >= 0 && latencyMs <= 60_000)) fail('--latency must be 0–60000 milliseconds');

const quiet = args.quiet || args.json;
try {
  const emulator = await startEmulator({
    port,
    host: args.host,
    stateFile: args['state-file'],
    widgetScope: args['strict-widget'] ? 'strict' : 'standard',
    latencyMs,
    log: quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  const { url, app, appKey, testAppKey } = emulator;
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ url, app, appKey, testAppKey })}\n`);
  } else {
    process.stdout.write(
      [
        `Timekit emulator listening at ${url}`,
        `  app slug      ${app}`,
        `  live app key  ${appKey}`,
        `  test app key  ${testAppKey}`,
        `  Google consent (fake) at ${emulator.origin}/v2/accounts/google/signup?Timekit-App=${app}&callback=<your URL>`,
        `  identities    ${GOOGLE_IDENTITIES.map((i) => i.email).join(', ')}`,
        '',
      ].join('\n'),
    );
  }
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  fail(code === 'EADDRINUSE' ? `port ${port} is already in use; pass --port 0 for a free one` : (error as Error).message);
}
