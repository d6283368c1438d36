/**
 * An EventTarget whose `addEventListener` and `removeEventListener` know its events' types by
 * name (`Map`: event name → event type), as DOM elements do through their event maps.
 */
type Listener<E extends Event> = ((event: E) => unknown) | { handleEvent(event: E): unknown };

export class TypedEventTarget<Map extends { [K in keyof Map]: Event }> extends EventTarget {
  override addEventListener<K extends keyof Map & string>(type: K, listener: Listener<Map[K]> | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof Map & string>(type: K, listener: Listener<Map[K]> | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, listener, options);
  }

  /** Fires one of the map's events (a plain `Event`: listeners read the new state from the target). */
  protected dispatch(type: keyof Map & string): void {
    this.dispatchEvent(new Event(type));
  }
}
