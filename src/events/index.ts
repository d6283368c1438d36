/** Every event class the elements fire, in one import. */
export * from './session-change.js';
export * from './change.js';
export * from './error.js';
export * from './connect.js';
