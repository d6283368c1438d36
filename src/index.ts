// Registers every element, and re-exports the public API.
import './tk-session.js';
import './tk-calendar-picker.js';
import './tk-booking-target.js';
import './tk-google-connect.js';

export * from './classes.js';
