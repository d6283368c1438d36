#!/usr/bin/env node
// The published entry of `tk-companion`: the compiled CLI (`npm run build` emits it).
import '../dist/node/companion/cli.js';
