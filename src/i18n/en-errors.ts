/** The English error texts: a lazy chunk, fetched the first time an element has an error to tell (see error-texts.ts). */
import type { TkErrorCode } from '../session/errors.js';

export const enErrors: Record<TkErrorCode, string> = {
  network: 'Could not reach the calendar service. Check your connection.',
  unauthorized: 'Your calendar session has ended. Reload the page to sign in again.',
  forbidden: "This page is not allowed to do that. The site's developer needs to check the calendar service's settings.",
  'not-found': 'That calendar no longer exists.',
  invalid: 'The calendar service refused the change.',
  'rate-limited': 'Too many requests. Wait a moment and try again.',
  unavailable: 'The calendar service is unavailable right now.',
  'popup-blocked': 'The sign-in window was blocked. Continuing in this window…',
  'consent-denied': 'Google access was not granted.',
  'origin-mismatch': "This page is not allowed to connect calendars. The site's developer needs to add its address to the calendar service's allowed origins.",
  'connect-elsewhere': 'This connection was started in another window or account. Start again here.',
  'connect-timeout': 'Google did not answer. Close its window and try again.',
  misconfigured: "The calendar service is misconfigured. The site's developer needs to check its address settings.",
};
