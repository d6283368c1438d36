// Shared by the bins: run the compiled CLI from dist/ (what a published package has), or, in a
// source checkout that was not built, the TypeScript source through tsx (a dev dependency).
import { existsSync } from 'node:fs';

export async function launch(name) {
  const compiled = new URL(`../dist/node/${name}/cli.js`, import.meta.url);
  if (existsSync(compiled)) return import(compiled.href);
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
