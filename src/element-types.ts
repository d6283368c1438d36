/**
 * What each element takes from a framework template (properties; attributes are the same names
 * in lower case) and the events it fires, per tag. src/react.ts and src/vue.ts turn this into
 * JSX and Vue template types; plain TypeScript gets the tags and events through
 * `HTMLElementTagNameMap` (src/tk-*.ts) and `GlobalEventHandlersEventMap` (src/events/).
 */
import type { TkSessionElement } from './components/session/session-provider.js';
import type { TkGoogleConnect } from './components/google-connect/google-connect.js';
import type { TkCalendarPicker } from './components/calendar-picker/calendar-picker.js';
import type { TkBookingTarget } from './components/booking-target/booking-target.js';
import type { TkCalendarChangeDetail, TkCalendarsChangeDetail, TkChangeEvent } from './events/change.js';
import type { TkCancelEvent, TkConnectEvent, TkConnectedEvent } from './events/connect.js';
import type { TkErrorEvent } from './events/error.js';
import type { TkSessionChangeEvent } from './events/session-change.js';

type Settable<E, K extends keyof E> = Partial<Pick<E, K>>;

export interface TkElements {
  'tk-session': {
    element: TkSessionElement;
    props: Settable<TkSessionElement, 'endpoint' | 'fetchCredentials' | 'session'>;
    events: { 'tk-session-change': TkSessionChangeEvent };
  };
  'tk-google-connect': {
    element: TkGoogleConnect;
    props: Settable<TkGoogleConnect, 'mode' | 'disabled' | 'session' | 'strings'>;
    events: { 'tk-connect': TkConnectEvent; 'tk-connected': TkConnectedEvent; 'tk-cancel': TkCancelEvent; 'tk-error': TkErrorEvent };
  };
  'tk-calendar-picker': {
    element: TkCalendarPicker;
    // `save` is the attribute of the `saveMode` property (`.save()` is the method)
    props: Settable<TkCalendarPicker, 'name' | 'required' | 'disabled' | 'value' | 'saveMode' | 'session' | 'strings'> & { save?: 'auto' | 'manual' };
    events: { 'tk-change': TkChangeEvent<TkCalendarsChangeDetail>; change: Event; 'tk-error': TkErrorEvent };
  };
  'tk-booking-target': {
    element: TkBookingTarget;
    props: Settable<TkBookingTarget, 'name' | 'required' | 'disabled' | 'value' | 'session' | 'strings'>;
    events: { 'tk-change': TkChangeEvent<TkCalendarChangeDetail>; change: Event; 'tk-error': TkErrorEvent };
  };
}

export type TkTagName = keyof TkElements;
