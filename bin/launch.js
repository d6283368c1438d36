// Shared by the bins: run the compiled CLI from dist/ (what a published package has), or, in a
// source checkout that was not built, the TypeScript source through tsx (a dev dependency). Each
// CLI exports `run(argv, env, io)`; `runAsProcess` gives it this process's arguments, streams and
// signals, and exits with its code.
import { existsSync } from 'node:fs';

export async function launch(name) {
  const compiled = new URL(`../dist/node/${name}/cli.js`, import.meta.url);
  const built = existsSync(compiled);
  if (!built) await registerTsx(name, compiled);
  const cli = built ? compiled : new URL(`../src/${name}/cli.ts`, import.meta.url);
  const shared = new URL(built ? '../dist/node/node/cli.js' : '../src/node/cli.ts', import.meta.url);
  const { run } = await import(cli.href).catch((error) => explainMissingPeer(name, error));
  const { runAsProcess } = await import(shared.href);
  await runAsProcess(run);
}

async function registerTsx(name, compiled) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write(`tk-${name}: ${compiled.pathname} is missing; run \`npm run build\` first.\n`);
    process.exit(1);
  }
}

// The server-only packages are optional peers, so that a front-end install stays light (the
// emulator needs zod): name the one command instead of Node's bare "Cannot find package".
function explainMissingPeer(name, error) {
  const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find package '([^']+)'/.exec(error.message)?.[1];
  if (!missing) throw error;
  process.stderr.write(`tk-${name} needs the ${missing} package, which is not installed: npm install --save-dev ${missing}\n`);
  process.exit(1);
}
