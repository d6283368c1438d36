/**
 * `tk-companion doctor`: the command line of the doctor. Secrets come only from the environment or
 * from files (the same `NAME` / `NAME_FILE` variables as `tk-companion`), never from a flag (flags
 * end up in shell histories and process lists), and no message here ever quotes one.
 */
import { UsageError, parseFlags, secretFromEnv, secretFromFile, withUsage, type CliIo, type Env } from '../../node/cli.js';
import { DEFAULT_API_BASE, checkApiBase } from '../options.js';
import { formatDoctorReport, runDoctor } from './index.js';

const DOCTOR_USAGE = `Usage: tk-companion doctor --app SLUG [options]

Asks a Timekit app the harmless questions that settle each documented doubt (reads, a provider_sync
write of the value a calendar already has, a widget credential minted and deleted again), prints one
table, and exits 1 when the kit cannot work with the answers (2 on a usage error).

  --app SLUG                 Timekit app slug (required)                       TK_COMPANION_APP
  --api-base URL             Timekit API base (default ${DEFAULT_API_BASE})    TK_COMPANION_API_BASE
  --app-key-file FILE        read the app key from FILE        (else TK_COMPANION_APP_KEY, as for
                             tk-companion, or the file TK_COMPANION_APP_KEY_FILE names)
  --resource-email EMAIL     a resource to ask as: widget scope, credentials, referrer checks
  --resource-token-file FILE read its token from FILE          (else TK_COMPANION_RESOURCE_TOKEN or
                                                              TK_COMPANION_RESOURCE_TOKEN_FILE)
  --origin ORIGIN            the page origin the probe credential is for (default http://localhost)
  --create-test-resource     create one throwaway resource (it stays in the app) to see whether
                             the POST /resources answer carries a token
  --json                     print the report as JSON
  --help                     show this help

TIMEKIT_APP_KEY and TIMEKIT_RESOURCE_TOKEN still work for this release, with a warning.`;

/** Runs the command; resolves with the exit code. */
export function doctorCommand(argv: string[], env: Env, io: CliIo): Promise<number> {
  return withUsage('tk-companion doctor', DOCTOR_USAGE, io, async () => {
    const args = parseFlags(argv, {
      app: { type: 'string', default: env.TK_COMPANION_APP },
      'api-base': { type: 'string', default: env.TK_COMPANION_API_BASE ?? DEFAULT_API_BASE },
      'app-key-file': { type: 'string' },
      'resource-email': { type: 'string' },
      'resource-token-file': { type: 'string' },
      origin: { type: 'string' },
      'create-test-resource': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    });
    if (args.help) {
      io.stdout.write(`${DOCTOR_USAGE}\n`);
      return 0;
    }
    if (!args.app) throw new UsageError('--app is required');
    const appKey = doctorSecret(args['app-key-file'], '--app-key-file', 'TK_COMPANION_APP_KEY', 'TIMEKIT_APP_KEY', env, io);
    if (!appKey) throw new UsageError('give the app key in TK_COMPANION_APP_KEY (or TK_COMPANION_APP_KEY_FILE) or a file named by --app-key-file');
    const email = args['resource-email'];
    const token = doctorSecret(args['resource-token-file'], '--resource-token-file', 'TK_COMPANION_RESOURCE_TOKEN', 'TIMEKIT_RESOURCE_TOKEN', env, io);
    if (email !== undefined && !token) throw new UsageError('--resource-email needs its token in TK_COMPANION_RESOURCE_TOKEN (or _FILE) or --resource-token-file');
    if (email === undefined && args['resource-token-file'] !== undefined) throw new UsageError('--resource-token-file needs --resource-email');
    const apiBase = checkApiBase(args['api-base']);
    if ('problem' in apiBase) throw new UsageError(`--api-base ${apiBase.problem}`);
    if (args.origin !== undefined && !/^https?:\/\/[^/?#]+$/.test(args.origin)) throw new UsageError('--origin must be an origin such as https://app.example.com');

    const report = await runDoctor({
      apiBase: apiBase.apiBase,
      app: args.app,
      appKey,
      resource: email !== undefined ? { email, token: token! } : undefined,
      origin: args.origin,
      createTestResource: args['create-test-resource'],
    });
    io.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
    return report.ok ? 0 : 1;
  });
}

/**
 * A secret from the file a flag names, else from `NAME` / `NAME_FILE` as `tk-companion` reads it,
 * else from the doctor's old variable, which still works for one release with a warning.
 */
function doctorSecret(file: string | undefined, flag: string, name: string, deprecatedName: string, env: Env, io: CliIo): string | undefined {
  if (file !== undefined) return secretFromFile(file, flag);
  const value = secretFromEnv(env, name);
  if (value !== undefined) return value;
  const old = secretFromEnv(env, deprecatedName);
  if (old !== undefined) io.stderr.write(`tk-companion doctor: warning: ${deprecatedName} is deprecated and goes in the next release; use ${name} or ${name}_FILE\n`);
  return old;
}
