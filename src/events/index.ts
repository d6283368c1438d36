export * from './session-change.js';
export * from './change.js';
export * from './error.js';
export * from './connect.js';
