/** `tk-session-change`: the event `<tk-session>` fires when its session settles into a new status. */
import type { TkCompanionErrorCode } from '../shared/companion-protocol.js';
import type { TkErrorCode } from '../session/errors.js';

/** The session's status as `<tk-session>` reports it; with `error`, why (as on `session.error`). */
export interface TkSessionChangeEventDetail {
  readonly status: 'signed-out' | 'ready' | 'error';
  /** With `error`: the fixed code (the elements show the string keyed by it). */
  readonly code?: TkErrorCode;
  /** With `error`: what went wrong, for the developer (e.g. "No companion at …"); not for users. */
  readonly message?: string;
  /** With `error`, when the companion refused: its own code (`origin-not-allowed`, `unauthenticated`…). */
  readonly companionCode?: TkCompanionErrorCode;
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
