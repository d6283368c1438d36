/**
 * `tk-emulator`: runs the Timekit emulator as a process. `--help` lists every flag and switch.
 */
import { UsageError, isMainModule, parseFlags, runAsProcess, untilAborted, withUsage, type CliIo, type Env } from '../node/cli.js';
import { ALL_SWITCHES, FIDELITY_SWITCH_HELP, isFidelityProfile, isFidelitySwitch, type FidelitySwitches } from './fidelity.js';
import { GOOGLE_IDENTITIES, MICROSOFT_IDENTITIES, startEmulator, type Emulator } from './index.js';

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

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** `tk-emulator [flags]`; resolves with the exit code once `io.signal` stops the emulator. */
export function run(argv: string[], env: Env, io: CliIo): Promise<number> {
  return withUsage('tk-emulator', USAGE, io, async () => {
    const args = parseEmulatorFlags(argv, env);
    if (args.help) {
      io.stdout.write(`${USAGE}\n`);
      return 0;
    }
    const port = Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, not "${args.port}"`);
    const latencyMs = args.latency === undefined ? undefined : Number(args.latency);
    if (latencyMs !== undefined && !(latencyMs >= 0 && latencyMs <= 60_000)) throw new UsageError('--latency must be 0–60000 milliseconds');
    const profile = args.profile;
    if (!isFidelityProfile(profile)) throw new UsageError(`--profile must be evidence or optimistic, not "${profile}"`);
    const controlToken = args['control-token'];
    const quiet = args.quiet || args.json;
    let emulator: Emulator;
    try {
      emulator = await startEmulator({
        port,
        host: args.host,
        profile,
        switches: parseSwitches(args.switch),
        app: { appKey: args['app-key'], testAppKey: args['test-app-key'] },
        corsOrigins: args['cors-origin'].length > 0 ? args['cors-origin'] : undefined,
        callbackOrigins: args['callback-origin'],
        control: args.control || controlToken !== undefined,
        controlToken,
        stateFile: args['state-file'],
        widgetScope: args['strict-widget'] ? 'strict' : 'standard',
        latencyMs,
        log: quiet ? undefined : (line) => io.stdout.write(`${line}\n`),
        warn: (message) => io.stderr.write(`${message}\n`),
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'EADDRINUSE' ? `port ${port} is already in use; pass --port 0 for a free one` : (error as Error).message);
    }
    io.stdout.write(args.json ? `${JSON.stringify(startInfo(emulator))}\n` : banner(emulator));
    await untilAborted(io.signal);
    await emulator.close();
    return 0;
  });
}

function parseEmulatorFlags(argv: string[], env: Env) {
  return parseFlags(argv, {
    port: { type: 'string', default: env.TK_EMULATOR_PORT ?? '4010' },
    host: { type: 'string', default: env.TK_EMULATOR_HOST ?? '127.0.0.1' },
    profile: { type: 'string', default: env.TK_EMULATOR_PROFILE ?? 'evidence' },
    switch: { type: 'string', multiple: true, default: [] },
    'app-key': { type: 'string', default: env.TK_EMULATOR_APP_KEY },
    'test-app-key': { type: 'string', default: env.TK_EMULATOR_TEST_APP_KEY },
    'cors-origin': { type: 'string', multiple: true, default: list(env.TK_EMULATOR_CORS_ORIGINS) },
    'callback-origin': { type: 'string', multiple: true, default: list(env.TK_EMULATOR_CALLBACK_ORIGINS) },
    control: { type: 'boolean', default: false },
    'control-token': { type: 'string', default: env.TK_EMULATOR_CONTROL_TOKEN },
    'state-file': { type: 'string', default: env.TK_EMULATOR_STATE_FILE },
    'strict-widget': { type: 'boolean', default: false },
    latency: { type: 'string' },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
}

/** `--switch NAME` or `--switch NAME=on|off`, over the profile. */
function parseSwitches(flags: string[]): Partial<FidelitySwitches> {
  const switches: Partial<FidelitySwitches> = {};
  for (const flag of flags) {
    const [name, value = 'on', ...rest] = flag.split('=');
    if (!isFidelitySwitch(name)) throw new UsageError(`--switch: unknown switch "${name}"; known: ${ALL_SWITCHES.join(', ')}`);
    if (rest.length > 0 || !['on', 'off'].includes(value)) throw new UsageError(`--switch ${name}: the value must be on or off, not "${value}"`);
    switches[name] = value === 'on';
  }
  return switches;
}

/** The `--json` line: what a script needs to use this emulator. */
function startInfo({ url, app, appKey, testAppKey, controlToken }: Emulator) {
  return controlToken === null ? { url, app, appKey, testAppKey } : { url, app, appKey, testAppKey, controlToken };
}

function banner(emulator: Emulator): string {
  const { url, app, appKey, testAppKey } = emulator;
  const on = ALL_SWITCHES.filter((name) => emulator.fidelity[name]);
  return [
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
  ].join('\n');
}

// Run as a script too (`npm run emulator`, the process tests); the bin calls `run`.
if (isMainModule(import.meta.url)) await runAsProcess(run);
