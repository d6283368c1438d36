/**
 * Astro template types for the elements: `import type {} from 'tk-elements/astro';` once (in
 * src/env.d.ts, say). An `.astro` page renders the tags to HTML on the server, so it sets
 * attributes only (`<tk-calendar-picker name="availability" save="manual" required>`), typed here
 * per tag; properties such as `session`, and listeners, belong in the page's `<script>`, where
 * `addEventListener` knows each element's events. Types only; it registers nothing.
 */
import type { TkElements, TkTagName } from './element-types.js';

/** Every tag of src/element-types.ts (generated from the manifest), with its attributes. */
type TkAstroElements = { [Tag in TkTagName]: astroHTML.JSX.HTMLAttributes & TkElements[Tag]['attributes'] };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Astro's template types live in this global namespace
  namespace astroHTML.JSX {
    // Astro's own (class, id, slot, data-*…) merge in where Astro is installed; this package needs no Astro to build
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so it merges with Astro's
    interface HTMLAttributes {}
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so it merges with Astro's
    interface IntrinsicElements extends TkAstroElements {}
  }
}
