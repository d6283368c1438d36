/**
 * `tk-emulator`: runs the Timekit emulator as a process. `--help` lists every flag and switch.
 */
import { parseArgs } from 'node:util';
import { ALL_SWITCHES, FIDELITY_SWITCH_HELP, isFidelityProfile, isFidelitySwitch, type FidelitySwitches } from './fidelity.js';
import { GOOGLE_IDENTITIES, MICROSOFT_IDENTITIES, startEmulator } from './index.js';

const SWITCH_LINES = ALL_SWITCHES.map((name) => `  ${name.padEnd(27)}${FIDELITY_SWITCH_HELP[name]}`).join('\n');

const USAGE = `Usage: tk-emulator [options]

  --port N               port to listen on (default 4010; 0 picks a free one)  env TK_EMULATOR_PORT
  --host H               interface to listen on (default 127.0.0.1)            env TK_EMULATOR_HOST
  --profile P            evidence (default) or optimistic: which side of the   env TK_EMULATOR_PROFILE
                         doubts about Timekit to play (docs/emulator.md)
  --switch NAME[=off]    turn one switch on (or off) over the profile; repeatable
  --app-key KEY          the live app key (default: random per run, kept by    env TK_EMULATOR_APP_KEY
                         --state-file)
  --test-app-key KEY     the test app key (same)                               env TK_EMULATOR_TEST_APP_KEY
  --cors-origin ORIGIN   a page origin that may read answers; repeatable       env TK_EMULATOR_CORS_ORIGINS
                         (default: every loopback origin, any port)            (comma-separated)
  --callback-origin O    an origin signup callbacks may point at, besides      env TK_EMULATOR_CALLBACK_ORIGINS
                         loopback ones; repeatable                             (comma-separated)
  --control              serve the control API (/_emulator/*) behind a token
  --control-token T      that token (default: random; implies --control)       env TK_EMULATOR_CONTROL_TOKEN
  --state-file FILE      keep the data in FILE (mode 0600) across restarts     env TK_EMULATOR_STATE_FILE
  --strict-widget        widget credentials may only read, findtime and book
  --latency MS           add MS milliseconds to every API answer
  --json                 print one JSON line {"url","app","appKey","testAppKey"} once listening
                         (plus "controlToken" with --control)
  --quiet                do not log requests
  --help                 show this help

Switches (on = the side the public evidence points to; the evidence profile turns on the first nine):
${SWITCH_LINES}`;

function fail(message: string): never {
  process.stderr.write(`tk-emulator: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: process.env.TK_EMULATOR_PORT ?? '4010' },
      host: { type: 'string', default: process.env.TK_EMULATOR_HOST ?? '127.0.0.1' },
      profile: { type: 'string', default: process.env.TK_EMULATOR_PROFILE ?? 'evidence' },
      switch: { type: 'string', multiple: true, default: [] },
      'app-key': { type: 'string', default: process.env.TK_EMULATOR_APP_KEY },
      'test-app-key': { type: 'string', default: process.env.TK_EMULATOR_TEST_APP_KEY },
      'cors-origin': { type: 'string', multiple: true, default: list(process.env.TK_EMULATOR_CORS_ORIGINS) },
      'callback-origin': { type: 'string', multiple: true, default: list(process.env.TK_EMULATOR_CALLBACK_ORIGINS) },
      control: { type: 'boolean', default: false },
      'control-token': { type: 'string', default: process.env.TK_EMULATOR_CONTROL_TOKEN },
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
const profile = args.profile;
if (!isFidelityProfile(profile)) fail(`--profile must be evidence or optimistic, not "${profile}"`);

const switches: Partial<FidelitySwitches> = {};
for (const flag of args.switch) {
  const [name, value = 'on', ...rest] = flag.split('=');
  if (!isFidelitySwitch(name)) fail(`--switch: unknown switch "${name}"; known: ${ALL_SWITCHES.join(', ')}`);
  if (rest.length > 0 || !['on', 'off'].includes(value)) fail(`--switch ${name}: the value must be on or off, not "${value}"`);
  switches[name] = value === 'on';
}
const controlToken = args['control-token'];
const control = args.control || controlToken !== undefined;

const quiet = args.quiet || args.json;
try {
  const emulator = await startEmulator({
    port,
    host: args.host,
    profile,
    switches,
    app: { appKey: args['app-key'], testAppKey: args['test-app-key'] },
    corsOrigins: args['cors-origin'].length > 0 ? args['cors-origin'] : undefined,
    callbackOrigins: args['callback-origin'],
    control,
    controlToken,
    stateFile: args['state-file'],
    widgetScope: args['strict-widget'] ? 'strict' : 'standard',
    latencyMs,
    log: quiet ? undefined : (line) => process.stdout.write(`${line}\n`),
    warn: (message) => process.stderr.write(`${message}\n`),
  });
  const { url, app, appKey, testAppKey } = emulator;
  if (args.json) {
    const info = emulator.controlToken === null ? { url, app, appKey, testAppKey } : { url, app, appKey, testAppKey, controlToken: emulator.controlToken };
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } else {
    const on = ALL_SWITCHES.filter((name) => emulator.fidelity[name]);
    process.stdout.write(
      [
        `Timekit emulator listening at ${url}`,
        `  app slug      ${app}`,
        `  live app key  ${appKey}`,
        `  test app key  ${testAppKey}`,
        `  profile       ${emulator.profile}; switches on: ${on.length > 0 ? on.join(', ') : 'none'}`,
        `  control API   ${emulator.controlToken === null ? 'off (--control turns it on)' : `${emulator.origin}/_emulator, Authorization: Bearer ${emulator.controlToken}`}`,
        `  Google consent (fake) at ${emulator.origin}/v2/accounts/google/signup?Timekit-App=${app}&callback=<your URL>&emulator_signature=<…>`,
        '                (signed with the app key: the companion signs its own; signedSignupUrl for scripts)',
        `  Microsoft sign-in (fake) at ${emulator.origin}/v2/accounts/microsoft/signup?… (the same parameters)`,
        `  identities    Google: ${GOOGLE_IDENTITIES.map((i) => i.email).join(', ')}`,
        `                Microsoft: ${MICROSOFT_IDENTITIES.map((i) => i.email).join(', ')}`,
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
