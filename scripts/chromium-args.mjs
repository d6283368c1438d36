/**
 * Chromium's flags for a headless run on these machines: without a sandbox when running as root,
 * and without the background traffic that a closed network answers with floods of errors (see
 * TOOLCHAIN). Shared by web-test-runner, the end-to-end tests and the bench.
 */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];
