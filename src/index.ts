// Registers every element, and re-exports the public API.
import './tk-session.js';
import './tk-calendar-picker.js';

export * from './classes.js';
