/**
 * Solid JSX types for the elements: `import type {} from 'tk-elements/solid';` once in the app.
 * Solid sets a custom element's props as properties (`value={ids()}`, or `prop:value`), and
 * listens with `on:tk-change={(e) => …}`, where `e` is typed per element (test/types/solid/
 * compiles real JSX). Types only; it registers nothing.
 */
import type { JSX } from 'solid-js';
import type { TkElements, TkTagName } from './element-types.js';

/** `on:tk-change`: Solid adds a listener for the exact name after `on:`. */
type EventAttributes<Element, Events> = {
  [K in keyof Events as `on:${K & string}`]?: JSX.EventHandlerWithOptionsUnion<Element, Extract<Events[K], Event>>;
};
/** `prop:value`: set as a property even where Solid would not guess it. */
type PropAttributes<Props> = { [K in keyof Props as `prop:${K & string}`]?: Props[K] };

export type TkSolidAttributes<Tag extends TkTagName> = JSX.HTMLAttributes<TkElements[Tag]['element']> &
  TkElements[Tag]['props'] &
  PropAttributes<TkElements[Tag]['props']> &
  EventAttributes<TkElements[Tag]['element'], TkElements[Tag]['events']>;

/** Every tag of src/element-types.ts (generated from the manifest), with its JSX attributes. */
type TkSolidElements = { [Tag in TkTagName]: TkSolidAttributes<Tag> };

declare module 'solid-js' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- Solid's JSX types live in this namespace
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so it merges with Solid's
    interface IntrinsicElements extends TkSolidElements {}
  }
}
