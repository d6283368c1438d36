/**
 * React components for the elements, made with `@lit/react` (an optional peer: `npm install
 * @lit/react`):
 *
 *   import { TkSessionElement, TkCalendarPicker } from 'tk-elements/react';
 *   <TkSessionElement endpoint="/timekit">
 *     <TkCalendarPicker name="availability" onTkChange={(e) => setIds(e.detail.calendarIds)} />
 *   </TkSessionElement>
 *
 * Each component registers its tag, sets the element's properties (`value`, `session`…) as
 * properties, and adds its `onTk…` handlers with `addEventListener` once the element is in the
 * page. So handlers work after server rendering and hydration too, where React 19 drops the
 * `ontk-change`-style props of a bare tag. The components are named after the element classes.
 *
 * The module also types the bare tags in JSX (`<tk-calendar-picker ontk-change={…}>`), for apps
 * that render them only on the client.
 */
import { createComponent, type EventName } from '@lit/react';
import * as React from 'react';
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import {
  TkBookingTarget as BookingTargetElement,
  TkCalendarPicker as CalendarPickerElement,
  TkGoogleConnect as GoogleConnectElement,
  TkSessionElement as SessionElement,
} from './classes.js';
import './tk-session.js';
import './tk-google-connect.js';
import './tk-calendar-picker.js';
import './tk-booking-target.js';
import type { TkElements, TkTagName } from './element-types.js';

/** The DOM event `name` of the tag, typed for a handler prop. */
const on = <Tag extends TkTagName, Name extends keyof TkElements[Tag]['events'] & string>(_tag: Tag, name: Name) =>
  name as string as EventName<Extract<TkElements[Tag]['events'][Name], Event>>;

/** `<tk-session>`: the session provider. Handlers: `onTkSessionChange`. */
export const TkSessionElement = createComponent({
  react: React,
  tagName: 'tk-session',
  elementClass: SessionElement,
  events: { onTkSessionChange: on('tk-session', 'tk-session-change') },
  displayName: 'TkSessionElement',
});

/** `<tk-google-connect>`. Handlers: `onTkConnect`, `onTkConnected`, `onTkCancel`, `onTkError`. */
export const TkGoogleConnect = createComponent({
  react: React,
  tagName: 'tk-google-connect',
  elementClass: GoogleConnectElement,
  events: {
    onTkConnect: on('tk-google-connect', 'tk-connect'),
    onTkConnected: on('tk-google-connect', 'tk-connected'),
    onTkCancel: on('tk-google-connect', 'tk-cancel'),
    onTkError: on('tk-google-connect', 'tk-error'),
  },
  displayName: 'TkGoogleConnect',
});

/** `<tk-calendar-picker>`. Handlers: `onTkChange` (`e.detail.calendarIds`), `onChange` (the native one), `onTkError`. */
export const TkCalendarPicker = createComponent({
  react: React,
  tagName: 'tk-calendar-picker',
  elementClass: CalendarPickerElement,
  events: {
    onTkChange: on('tk-calendar-picker', 'tk-change'),
    onChange: on('tk-calendar-picker', 'change'),
    onTkError: on('tk-calendar-picker', 'tk-error'),
  },
  displayName: 'TkCalendarPicker',
});

/** `<tk-booking-target>`. Handlers: `onTkChange` (`e.detail.calendarId`), `onChange` (the native one), `onTkError`. */
export const TkBookingTarget = createComponent({
  react: React,
  tagName: 'tk-booking-target',
  elementClass: BookingTargetElement,
  events: {
    onTkChange: on('tk-booking-target', 'tk-change'),
    onChange: on('tk-booking-target', 'change'),
    onTkError: on('tk-booking-target', 'tk-error'),
  },
  displayName: 'TkBookingTarget',
});

type EventProps<Events> = { [K in keyof Events as K extends 'change' ? never : `on${K & string}`]?: (event: Events[K]) => void };

/** The JSX props of a bare tag: React 19 sets known properties as properties and adds `on<event-name>` listeners (client rendering only). */
export type TkReactProps<Tag extends TkTagName> = DetailedHTMLProps<HTMLAttributes<TkElements[Tag]['element']>, TkElements[Tag]['element']> &
  TkElements[Tag]['props'] &
  EventProps<TkElements[Tag]['events']> & { class?: string };

/** Every tag of src/element-types.ts (generated from the manifest), with its JSX props. */
type TkIntrinsicElements = { [Tag in TkTagName]: TkReactProps<Tag> };

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- React's JSX types live in this namespace
  namespace JSX {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- an interface, so it merges with React's
    interface IntrinsicElements extends TkIntrinsicElements {}
  }
}
