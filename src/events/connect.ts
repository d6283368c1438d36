/** Fired by `<tk-google-connect>` before the popup or redirect; `preventDefault()` stops it. */
export class TkConnectEvent extends Event {
  constructor() {
    super('tk-connect', { bubbles: true, composed: true, cancelable: true });
  }
}

export interface TkConnectedEventDetail {
  readonly email: string;
  readonly resourceId: string;
}

/** Fired by `<tk-google-connect>` once a Google account is connected and the session refreshed. */
export class TkConnectedEvent extends Event {
  readonly detail: TkConnectedEventDetail;

  constructor(detail: TkConnectedEventDetail) {
    super('tk-connected', { bubbles: true, composed: true });
    this.detail = Object.freeze({ ...detail });
  }
}

/** Fired by `<tk-google-connect>` when the user closed the popup without finishing. */
export class TkCancelEvent extends Event {
  constructor() {
    super('tk-cancel', { bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'tk-connect': TkConnectEvent;
    'tk-connected': TkConnectedEvent;
    'tk-cancel': TkCancelEvent;
  }
}
