/** The session's status as `<tk-session>` reports it. */
export interface TkSessionChangeEventDetail {
  readonly status: 'signed-out' | 'ready' | 'error';
}

/** Fired by `<tk-session>` when its session becomes signed-out, ready or failed. */
export class TkSessionChangeEvent extends Event {
  readonly detail: TkSessionChangeEventDetail;

  constructor(detail: TkSessionChangeEventDetail) {
    super('tk-session-change', { bubbles: true, composed: true });
    this.detail = Object.freeze({ ...detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'tk-session-change': TkSessionChangeEvent;
  }
}
