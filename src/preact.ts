/**
 * Preact JSX types for the elements: `import type {} from 'tk-elements/preact';` once in the app
 * (an Astro island too). Preact sets what an element has as a property as a property
 * (`value={ids}`), and `ontk-change={(e) => …}` adds a `tk-change` listener, with `e` typed per
 * element (test/types/preact/ compiles real JSX). Types only; it registers nothing.
 */
import type { JSX } from 'preact';
import type { TkElements, TkTagName } from './element-types.js';

/** `ontk-change`: Preact listens for the name after `on` as written; `change` keeps Preact's own typing. */
type EventAttributes<Events> = { [K in keyof Events as K extends 'change' ? never : `on${K & string}`]?: (event: Events[K]) => void };

export type TkPreactAttributes<Tag extends TkTagName> = JSX.HTMLAttributes<TkElements[Tag]['element']> &
  TkElements[Tag]['props'] &
  EventAttributes<TkElements[Tag]['events']>;

/** Every tag of src/element-types.ts (generated from the manifest), with its JSX attributes. */
type TkPreactElements = { [Tag in TkTagName]: TkPreactAttributes<Tag> };

declare module 'preact' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Preact's JSX types live in this namespace
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so it merges with Preact's
    interface IntrinsicElements extends TkPreactElements {}
  }
}
