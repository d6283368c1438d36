/**
 * `tk-companion doctor`: the command line of doctor.ts. Secrets come only from the environment or
 * from files, never from a flag (flags end up in shell histories and process lists), and no
 * message here ever quotes one.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatDoctorReport, runDoctor } from './index.js';
import { DEFAULT_API_BASE, checkApiBase } from '../options.js';

export const DOCTOR_USAGE = `Usage: tk-companion doctor --app SLUG [options]

Asks a Timekit app the harmless questions that settle each documented doubt (reads, a provider_sync
write of the value a calendar already has, a widget credential minted and deleted again), prints one
table, and exits 1 when the kit cannot work with the answers (2 on a usage error).

  --app SLUG                 Timekit app slug (required)                       TK_COMPANION_APP
  --api-base URL             Timekit API base (default ${DEFAULT_API_BASE})    TK_COMPANION_API_BASE
  --app-key-file FILE        read the app key from FILE      (else env TIMEKIT_APP_KEY)
  --resource-email EMAIL     a resource to ask as: widget scope, credentials, referrer checks
  --resource-token-file FILE read its token from FILE          (else env TIMEKIT_RESOURCE_TOKEN)
  --origin ORIGIN            the page origin the probe credential is for (default http://localhost)
  --create-test-resource     create one throwaway resource (it stays in the app) to see whether
                             the POST /resources answer carries a token
  --json                     print the report as JSON
  --help                     show this help`;

/** Reads a secret from a file (trimmed) or the environment; the message names the source only. */
function secret(file: string | undefined, envName: string): { value?: string; error?: string } {
  if (file !== undefined) {
    try {
      const value = readFileSync(file, 'utf8').trim();
      return value === '' ? { error: `${file} is empty` } : { value };
    } catch (error) {
      return { error: `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  const value = process.env[envName]?.trim();
  return value ? { value } : {};
}

/** Runs the command; resolves with the exit code. */
export async function doctorCommand(argv: string[]): Promise<number> {
  const env = process.env;
  const usageError = (message: string) => {
    process.stderr.write(`tk-companion doctor: ${message}\n\n${DOCTOR_USAGE}\n`);
    return 2;
  };
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        app: { type: 'string', default: env.TK_COMPANION_APP },
        'api-base': { type: 'string', default: env.TK_COMPANION_API_BASE ?? DEFAULT_API_BASE },
        'app-key-file': { type: 'string' },
        'resource-email': { type: 'string' },
        'resource-token-file': { type: 'string' },
        origin: { type: 'string' },
        'create-test-resource': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    // parseArgs names the unknown flag, never its value.
    return usageError((error as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${DOCTOR_USAGE}\n`);
    return 0;
  }
  if (!args.app) return usageError('--app is required');
  const appKey = secret(args['app-key-file'], 'TIMEKIT_APP_KEY');
  if (appKey.error) return usageError(`the app key: ${appKey.error}`);
  if (!appKey.value) return usageError('give the app key in TIMEKIT_APP_KEY or a file named by --app-key-file');
  const email = args['resource-email'];
  const token = secret(args['resource-token-file'], 'TIMEKIT_RESOURCE_TOKEN');
  if (token.error) return usageError(`the resource token: ${token.error}`);
  if (email !== undefined && !token.value) return usageError('--resource-email needs its token in TIMEKIT_RESOURCE_TOKEN or --resource-token-file');
  if (email === undefined && args['resource-token-file'] !== undefined) return usageError('--resource-token-file needs --resource-email');
  const apiBase = checkApiBase(args['api-base']);
  if ('problem' in apiBase) return usageError(`--api-base ${apiBase.problem}`);
  if (args.origin !== undefined && !/^https?:\/\/[^/?#]+$/.test(args.origin)) {
    return usageError('--origin must be an origin such as https://app.example.com');
  }

  const report = await runDoctor({
    apiBase: apiBase.apiBase,
    app: args.app,
    appKey: appKey.value,
    resource: email !== undefined ? { email, token: token.value! } : undefined,
    origin: args.origin,
    createTestResource: args['create-test-resource'],
  });
  process.stdout.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report));
  return report.ok ? 0 : 1;
}
