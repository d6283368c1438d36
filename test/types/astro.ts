/**
 * Type-level tests for tk-elements/astro: `npm run typecheck` compiles this file, nothing runs it.
 * An `.astro` template sets attributes only, each typed like the property it sets; each
 * @ts-expect-error line is a mistake the types must catch. Astro itself (and `astro check`) is not
 * installed here: it brings some 230 packages and Astro 7 needs Node 22, so this checks the tags
 * against the namespace Astro's templates read, `astroHTML.JSX.IntrinsicElements`.
 */
import type {} from '../../src/astro.js';

type AstroAttributes<Tag extends keyof astroHTML.JSX.IntrinsicElements> = astroHTML.JSX.IntrinsicElements[Tag];

export const picker: AstroAttributes<'tk-calendar-picker'> = { name: 'availability', save: 'manual', required: true };
export const target: AstroAttributes<'tk-booking-target'> = { name: 'target', disabled: false };
export const rules: AstroAttributes<'tk-availability-rules'> = { name: 'rules', value: '{"constraints":[]}' };
export const preview: AstroAttributes<'tk-availability-preview'> = { days: 5, length: '30 minutes', timezone: 'Europe/Paris' };
export const session: AstroAttributes<'tk-session'> = { endpoint: '/timekit' };
export const microsoft: AstroAttributes<'tk-microsoft-connect'> = { mode: 'redirect' };

// @ts-expect-error save is auto or manual
export const wrongSave: AstroAttributes<'tk-calendar-picker'> = { save: 'sometimes' };
// @ts-expect-error mode is popup or redirect
export const wrongMode: AstroAttributes<'tk-google-connect'> = { mode: 'window' };
// @ts-expect-error days is a number
export const wrongDays: AstroAttributes<'tk-availability-preview'> = { days: 'seven' };
