/**
 * The browser tests' DOM helpers, one meaning each everywhere: elements are read through their
 * public styling API (`part` names and custom states), never through internal classes.
 *
 * - `part(el, name)`: the first element in `el`'s shadow root with that part, or `null`;
 * - `parts(el, name)`: all of them, in document order;
 * - `hasState(el, state)`: whether `el` matches `:state(<state>)` now;
 * - `waitForState(el, state)`: waits until it does (any of several states, when given a list);
 * - `row(el, id)` and `rowControl(el, id)`: a picker's row for one calendar, and its checkbox or
 *   radio (rows carry the calendar's id in `data-id`); they throw when there is no such row.
 */
import { waitUntil } from './wait.js';

const selectorOf = (name: string) => `[part~="${name}"]`;

/** The first element of `el`'s shadow root with the part `name` (parts are space-separated lists), or `null`. */
export function part(el: Element, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector<HTMLElement>(selectorOf(name));
}

/** Every element of `el`'s shadow root with the part `name`, in document order. */
export function parts(el: Element, name: string): HTMLElement[] {
  return [...el.shadowRoot!.querySelectorAll<HTMLElement>(selectorOf(name))];
}

/** Whether `el` shows the custom state `state` (`:state(loading)` and so on) right now. */
export function hasState(el: Element, state: string): boolean {
  return el.matches(`:state(${state})`);
}

export interface WaitForStateOptions {
  /** What the failure says; by default which element never reached which state. */
  message?: string;
  /** In ms; `waitUntil`'s default (5 s) when omitted. */
  timeout?: number;
}

/** Resolves once `el` shows `state` (or any of `states`); rejects after the timeout. */
export function waitForState(el: Element, state: string | readonly string[], options: WaitForStateOptions = {}): Promise<void> {
  const states = typeof state === 'string' ? [state] : state;
  const message = options.message ?? `<${el.localName}> never reached :state(${states.join(' | ')})`;
  return waitUntil(() => states.some((one) => hasState(el, one)), message, { timeout: options.timeout });
}

/** The picker row (`part="option"`) of the calendar `id`; throws when the picker shows none. */
export function row(el: Element, id: string): HTMLElement {
  const found = el.shadowRoot!.querySelector<HTMLElement>(`[part~="option"][data-id="${id}"]`);
  if (!found) throw new Error(`<${el.localName}> shows no row for the calendar ${id}`);
  return found;
}

/** The native control (checkbox or radio) in the picker row of the calendar `id`; throws when there is none. */
export function rowControl(el: Element, id: string): HTMLInputElement {
  const found = el.shadowRoot!.querySelector<HTMLInputElement>(`[data-id="${id}"] input`);
  if (!found) throw new Error(`<${el.localName}> shows no control for the calendar ${id}`);
  return found;
}
