// `npm run build` starts from an empty dist/: the builds write side by side into it
// (emptyOutDir is off), so files of removed modules would otherwise linger and ship.
import { rmSync } from 'node:fs';

rmSync(new URL('../../dist', import.meta.url), { recursive: true, force: true });
