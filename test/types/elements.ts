/**
 * Type-level tests: `npm run typecheck` compiles this file, nothing runs it. The tags and events
 * are typed in plain TypeScript, React 19 JSX and Vue templates; each @ts-expect-error line is a
 * mistake the types must catch.
 */
import type { ComponentProps, JSX } from 'react';
import type { GlobalComponents } from 'vue';
import type { TkBookingTarget, TkCalendarPicker, TkCalendarsChangeDetail, TkChangeEvent, TkErrorEvent } from '../../src/classes.js';
import type {} from '../../src/tk-session.js';
import type {} from '../../src/tk-google-connect.js';
import type {} from '../../src/tk-calendar-picker.js';
import type {} from '../../src/tk-booking-target.js';
import type { TkBookingTarget as ReactTarget, TkCalendarPicker as ReactPicker, TkGoogleConnect as ReactConnect } from '../../src/react.js';
import type {} from '../../src/vue.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assert = <T extends true>(_: T) => undefined;

// plain TypeScript: HTMLElementTagNameMap and GlobalEventHandlersEventMap
export function plain(): void {
  const picker = document.createElement('tk-calendar-picker');
  assert<Equal<typeof picker, TkCalendarPicker>>(true);
  const _target = document.querySelector('tk-booking-target');
  assert<Equal<typeof _target, TkBookingTarget | null>>(true);
  picker.addEventListener('tk-change', (event) => {
    const typed: TkChangeEvent = event;
    void typed.detail;
  });
  picker.addEventListener('tk-error', (event) => void event.detail.retryable);
  document.body.addEventListener('tk-connected', (event) => void event.detail.resourceId);
  document.body.addEventListener('tk-session-change', (event) => void event.detail.status);
  // @ts-expect-error the picker's value is a list of ids
  picker.value = 'cal-1';
}

// React 19 JSX
export const react: JSX.IntrinsicElements['tk-calendar-picker'] = {
  name: 'availability',
  required: true,
  save: 'manual',
  value: ['cal-1'],
  'ontk-change': (event) => void event.detail.calendarIds.join(),
  'ontk-error': (event: TkErrorEvent) => void event.detail.code,
};
export const reactTarget: JSX.IntrinsicElements['tk-booking-target'] = {
  'ontk-change': (event) => void event.detail.calendarId.trim(),
  // @ts-expect-error the booking target's value is one id
  value: ['cal-1'],
};
// @ts-expect-error mode is popup or redirect
export const reactConnect: JSX.IntrinsicElements['tk-google-connect'] = { mode: 'tab' };
export const reactPreview: JSX.IntrinsicElements['tk-availability-preview'] = {
  length: '1 hour',
  timezone: 'America/New_York',
  'ontk-error': (event) => void event.detail.code,
  // @ts-expect-error days is a number
  days: 'seven',
};
export const reactSession: JSX.IntrinsicElements['tk-session'] = { endpoint: '/timekit', 'ontk-session-change': (e) => void e.detail.status };

// Vue: GlobalComponents, as vue-tsc checks templates against it
type VueProps<Tag extends keyof GlobalComponents> = InstanceType<GlobalComponents[Tag]>['$props'];
export const vue: VueProps<'tk-calendar-picker'> = {
  name: 'availability',
  value: ['cal-1'],
  onTkChange: (event) => void event.detail.calendarIds.join(),
  onChange: (event: Event) => void event.type,
};
// @ts-expect-error save is auto or manual
export const vueWrong: VueProps<'tk-calendar-picker'> = { save: 'sometimes' };
export const vuePreview: VueProps<'tk-availability-preview'> = { days: 5, onTkError: (event) => void event.detail.retryable };
export const vueConnect: VueProps<'tk-google-connect'> = { onTkConnected: (event) => void event.detail.email };

// The ids an event reports go straight back into `.value` (both are readonly lists), in every binding
export function roundTrip(picker: TkCalendarPicker, event: TkChangeEvent<TkCalendarsChangeDetail>): void {
  picker.value = event.detail.calendarIds;
  const read: readonly string[] = picker.value;
  const jsx: JSX.IntrinsicElements['tk-calendar-picker'] = { value: event.detail.calendarIds };
  const wrapped: ComponentProps<typeof ReactPicker> = { value: event.detail.calendarIds };
  const vueProps: VueProps<'tk-calendar-picker'> = { value: event.detail.calendarIds };
  void [read, jsx, wrapped, vueProps];
}

// tk-elements/react: the components' props and onTk… handlers, typed per element
export const wrappedPicker: ComponentProps<typeof ReactPicker> = {
  name: 'availability',
  saveMode: 'manual',
  onTkChange: (event) => void event.detail.calendarIds.join(),
  onTkError: (event) => void event.detail.code,
};
export const wrappedTarget: ComponentProps<typeof ReactTarget> = {
  onTkChange: (event) => void event.detail.calendarId.trim(),
  // @ts-expect-error the booking target's value is one id
  value: ['cal-1'],
};
export const wrappedWrongDetail: ComponentProps<typeof ReactTarget> = {
  // @ts-expect-error the booking target reports calendarId, not calendarIds
  onTkChange: (event) => void event.detail.calendarIds,
};
// @ts-expect-error mode is popup or redirect
export const wrappedConnect: ComponentProps<typeof ReactConnect> = { mode: 'tab', onTkConnected: (event) => void event.detail.email };
export const wrappedTypo: ComponentProps<typeof ReactConnect> = {
  // @ts-expect-error a misspelt handler is caught (a dashed ontk-connectd on a bare tag is not)
  onTkConnectd: () => undefined,
};
