/**
 * Vue 3 template types for the elements: `import type {} from 'tk-elements/vue';` once in the app
 * (and tell the compiler they are custom elements: `compilerOptions.isCustomElement: (tag) =>
 * tag.startsWith('tk-')`). Props take `.prop` bindings (`:value.prop`, `:session.prop`); events
 * are `@tk-change` and so on, and vue-tsc types `e` in an inline `@tk-change="(e) => …"`
 * (test/types/vue/ compiles a real template). Types only; it registers nothing.
 */
import type { DefineComponent } from 'vue';
import type { TkElements, TkTagName } from './element-types.js';

/** `tk-session-change` → `TkSessionChange`. */
type Pascal<Name extends string> = Name extends `${infer Head}-${infer Tail}` ? `${Capitalize<Head>}${Pascal<Tail>}` : Capitalize<Name>;

/** Vue's template compiler (and vue-tsc) looks an `@tk-change` handler up as the `onTkChange` prop. */
type EventProps<Events> = { [K in keyof Events as `on${Pascal<K & string>}`]?: (event: Events[K]) => void };

export type TkVueComponent<Tag extends TkTagName> = DefineComponent<TkElements[Tag]['props'] & EventProps<TkElements[Tag]['events']>>;

/** Every tag of src/element-types.ts (generated from the manifest), as a Vue component. */
type TkGlobalComponents = { [Tag in TkTagName]: TkVueComponent<Tag> };

declare module 'vue' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so it merges with Vue's
  interface GlobalComponents extends TkGlobalComponents {}
}
