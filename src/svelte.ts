/**
 * Svelte template types for the elements: `import type {} from 'tk-elements/svelte';` once in the
 * app (src/app.d.ts, say). Svelte sets what an element has as a property as a property
 * (`value={ids}`, `session={session}`), and svelte-check types `e` in `ontk-change={(e) => …}`
 * (Svelte 5) and `on:tk-change` (Svelte 4) per element (test/types/svelte/ compiles a real
 * component). Types only; it registers nothing.
 */
import type { HTMLAttributes } from 'svelte/elements';
import type { TkElements, TkTagName } from './element-types.js';

/** `ontk-change` (Svelte 5) and `on:tk-change` (Svelte 4); `change` keeps Svelte's own typing. */
type EventAttributes<Events> = { [K in keyof Events as K extends 'change' ? never : `on${K & string}` | `on:${K & string}`]?: (event: Events[K]) => void };

export type TkSvelteAttributes<Tag extends TkTagName> = HTMLAttributes<TkElements[Tag]['element']> &
  TkElements[Tag]['props'] &
  EventAttributes<TkElements[Tag]['events']>;

/** Every tag of src/element-types.ts (generated from the manifest), with its attributes. */
type TkSvelteElements = { [Tag in TkTagName]: TkSvelteAttributes<Tag> };

declare module 'svelte/elements' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so it merges with Svelte's
  interface SvelteHTMLElements extends TkSvelteElements {}
}
