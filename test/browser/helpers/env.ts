/**
 * What the browser tests know about their servers. web-test-runner's config starts the Timekit
 * emulator and a companion, and serves this at /__tk-test-env.json (see scripts/wtr/emulator-plugin.mjs).
 * The app keys are the emulator's and exist only for tests.
 */
export interface TestEnv {
  /** The emulator's API base on its own origin, e.g. `http://127.0.0.1:PORT/v2`. */
  emulatorUrl: string;
  /** The emulator's origin, e.g. `http://127.0.0.1:PORT`. */
  emulatorOrigin: string;
  app: string;
  appKey: string;
  testAppKey: string;
  /**
   * A companion on its own origin (`http://127.0.0.1:PORT`), signing every request in as one dev
   * user, allowing this page's origin, and reaching the emulator through this origin's `/v2`.
   */
  companionUrl: string;
  /** The same companion in relay mode (elements reach Timekit through its `/api/v2`), with its own store. */
  relayCompanionUrl: string;
  /**
   * A companion like `companionUrl` whose dev user is one per browser engine (told by the
   * User-Agent), for tests that connect accounts while the other engines run the same test.
   */
  connectCompanionUrl: string;
}

let cached: Promise<TestEnv> | undefined;

/** Fetches the test environment once per page; later calls share the same promise. */
export function testEnv(): Promise<TestEnv> {
  cached ??= fetch('/__tk-test-env.json', { cache: 'no-store' }).then(async (response) => {
    if (!response.ok) {
      throw new Error(`/__tk-test-env.json: HTTP ${response.status} (is the wtr emulator plugin configured?)`);
    }
    return (await response.json()) as TestEnv;
  });
  cached.catch(() => {
    cached = undefined; // let a later call retry
  });
  return cached;
}

