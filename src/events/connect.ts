/** The calendar providers a connect element connects through Timekit. */
export type TkConnectProvider = 'google' | 'microsoft';

/** Fired by `<tk-google-connect>` and `<tk-microsoft-connect>` before the popup or redirect; `preventDefault()` stops it. */
export class TkConnectEvent extends Event {
  constructor() {
    super('tk-connect', { bubbles: true, composed: true, cancelable: true });
  }
}

export interface TkConnectedEventDetail {
  readonly email: string;
  readonly resourceId: string;
  /** Which provider's account was connected. */
  readonly provider: TkConnectProvider;
}

/** Fired by a connect element once an account is connected and the session refreshed. */
export class TkConnectedEvent extends Event {
  readonly detail: TkConnectedEventDetail;

  constructor(detail: TkConnectedEventDetail) {
    super('tk-connected', { bubbles: true, composed: true });
    this.detail = Object.freeze({ ...detail });
  }
}

/** Fired by a connect element when the user closed the popup without finishing. */
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
