#!/usr/bin/env node
// The published entry of `tk-emulator`: the compiled CLI (`npm run build` emits it).
import '../dist/node/emulator/cli.js';
