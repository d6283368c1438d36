/**
 * `tk-elements/emulator`: a local, faithful emulator of the Timekit API subset in
 * docs/timekit-api.md, with fake Google and Microsoft consent screens, fault injection and a small control
 * API for tests (`/_emulator/*`). docs/emulator.md describes it, and its layout.
 *
 *   const emulator = await startEmulator({ port: 0 });
 *   fetch(`${emulator.url}/calendars`, { headers: { authorization: … } });
 *   await emulator.close();
 */
export { startEmulator, type Emulator } from './server.js';
export { createEmulator, type EmulatorOptions } from './emulator.js';
export type { RecordedRequest } from './pipeline.js';
export { GOOGLE_IDENTITIES, MICROSOFT_IDENTITIES, DEFAULT_APP } from './seed.js';
export { answerConsent, type ConsentAnswer } from './consent-client.js';
export { signedSignupUrl } from '../shared/emulator-signup.js';
export type { FaultRule } from './faults.js';
export {
  FIDELITY_PROFILES,
  FIDELITY_SWITCH_HELP,
  FIDELITY_SWITCHES,
  PROVIDER_SWITCHES,
  ALL_SWITCHES,
  resolveFidelity,
  type FidelityProfile,
  type FidelitySwitches,
} from './fidelity.js';
