/**
 * What the command-line tools share (`tk-companion`, `tk-companion doctor`, `tk-emulator`): a
 * command is `run(argv, env, io)` resolving with its exit code, so tests run it in process and the
 * bins run it as the process; strict flags with one usage error; secrets from `NAME` or `NAME_FILE`.
 */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { pathToFileURL } from 'node:url';

export type Env = Record<string, string | undefined>;

/** Where a command writes, and what stops one that keeps running (a server). */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** The bins abort it on SIGINT and SIGTERM; a server then closes and resolves. */
  signal?: AbortSignal;
}

export type Command = (argv: string[], env: Env, io: CliIo) => Promise<number>;

/** A wrong flag or setting: the command prints it above its usage and exits 2. Never holds a secret. */
export class UsageError extends Error {}

/** Runs a command's body, turning a UsageError into its message, the usage and exit code 2. */
export async function withUsage(name: string, usage: string, io: CliIo, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`${name}: ${error.message}\n\n${usage}\n`);
    return 2;
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
type Flags<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>>['values'];

/** Strict flags, no positionals; an unknown or malformed flag is a UsageError. */
export function parseFlags<O extends Options>(argv: string[], options: O): Flags<O> {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // parseArgs names the flag, never its value.
    throw new UsageError((error as Error).message);
  }
}

/** A secret's value from `NAME`, or from the file `NAME_FILE` names; undefined when neither is set. */
export function secretFromEnv(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file === undefined || file === '') return env[name];
  if (env[name] !== undefined) throw new UsageError(`set ${name} or ${name}_FILE, not both`);
  return secretFromFile(file, `${name}_FILE`);
}

/** A secret file's content without its final newline; `label` names where the path came from. */
export function secretFromFile(path: string, label: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new UsageError(`cannot read ${label} (${path}): ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Whether the module at `moduleUrl` is the script Node was started with (`tsx src/emulator/cli.ts`). */
export function isMainModule(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && pathToFileURL(process.argv[1]).href === moduleUrl;
}

/** Runs a command as this process: its arguments, environment and streams; SIGINT or SIGTERM stops it. */
export async function runAsProcess(command: Command): Promise<never> {
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.once('SIGTERM', () => stop.abort());
  const code = await command(process.argv.slice(2), process.env, { stdout: process.stdout, stderr: process.stderr, signal: stop.signal });
  process.exit(code);
}

/** Resolves once `signal` aborts; never without one (the command runs until its process ends). */
export function untilAborted(signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) resolve();
    else signal?.addEventListener('abort', () => resolve(), { once: true });
  });
}
