/**
 * The session's availability-rules methods, declared here so `<tk-availability-rules>` compiles
 * before `TkSession` implements them (the session side is built separately). Delete this file
 * once `TkSession` has these members; nothing else changes.
 */
import type { TkAvailabilityRules } from '../shared/constraints.js';

declare module './session-service.js' {
  interface TkSession {
    /** The resource's rules as Timekit holds them; `saved: false` when the resource has none yet. */
    loadAvailabilityRules(options?: { signal?: AbortSignal }): Promise<TkAvailabilityRules & { saved: boolean }>;
    /** Writes `availability_constraints` and `timezone`; resolves to the rules as saved. */
    saveAvailabilityRules(rules: TkAvailabilityRules, options?: { signal?: AbortSignal }): Promise<TkAvailabilityRules>;
    /** The rules the rules element on this page currently shows, for the preview to follow. */
    setAvailabilityRules(owner: object, rules: TkAvailabilityRules | null): void;
  }
}
