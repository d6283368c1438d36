// Shared by the bins: run the compiled CLI from dist/ (what a published package has), or, in a
// source checkout that was not built, the TypeScript source through tsx (a dev dependency).
import { existsSync } from 'node:fs';

export async function launch(name) {
  const compiled = new URL(`../dist/node/${name}/cli.js`, import.meta.url);
  if (existsSync(compiled)) return import(compiled.href).catch((error) => explainMissingPeer(name, error));
  const source = new URL(`../src/${name}/cli.ts`, import.meta.url);
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write(`tk-${name}: ${compiled.pathname} is missing; run \`npm run build\` first.\n`);
    process.exit(1);
  }
  return import(source.href);
}

// The server-only packages are optional peers, so that a front-end install stays light (the
// emulator needs zod): name the one command instead of Node's bare "Cannot find package".
function explainMissingPeer(name, error) {
  const missing = error?.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find package '([^']+)'/.exec(error.message)?.[1];
  if (!missing) throw error;
  process.stderr.write(`tk-${name} needs the ${missing} package, which is not installed: npm install --save-dev ${missing}\n`);
  process.exit(1);
}
