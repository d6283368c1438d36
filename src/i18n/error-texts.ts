/**
 * The English error texts, a chunk of their own: an element fetches them the first time it has an
 * error to tell, so a page without errors never loads them. Other languages' tables carry theirs.
 */
import type { TkErrorCode } from '../session/errors.js';

let english: Record<TkErrorCode, string> | undefined;
let loading: Promise<void> | undefined;

/** The English error texts, once loaded. */
export const englishErrors = (): Record<TkErrorCode, string> | undefined => english;

/** Fetches the English error texts (once). */
export function loadEnglishErrors(): Promise<void> {
  loading ??= import('./en-errors.js').then(({ enErrors }) => void (english = enErrors));
  return loading;
}
