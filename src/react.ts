/**
 * React 19 JSX types for the elements: `import type {} from 'tk-elements/react';` once in the
 * app. React 19 sets known properties (`value`, `session`…) as properties and adds listeners for
 * `on<event-name>` props, so `<tk-calendar-picker ontk-change={(e) => e.detail.calendarIds} />`
 * is typed here. Types only; it registers nothing (import 'tk-elements' for that).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { TkElements, TkTagName } from './element-types.js';

type EventProps<Events> = { [K in keyof Events as K extends 'change' ? never : `on${K & string}`]?: (event: Events[K]) => void };

export type TkReactProps<Tag extends TkTagName> = DetailedHTMLProps<HTMLAttributes<TkElements[Tag]['element']>, TkElements[Tag]['element']> &
  TkElements[Tag]['props'] &
  EventProps<TkElements[Tag]['events']> & { class?: string };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX types live in this namespace
  namespace JSX {
    interface IntrinsicElements {
      'tk-session': TkReactProps<'tk-session'>;
      'tk-google-connect': TkReactProps<'tk-google-connect'>;
      'tk-calendar-picker': TkReactProps<'tk-calendar-picker'>;
      'tk-booking-target': TkReactProps<'tk-booking-target'>;
    }
  }
}
