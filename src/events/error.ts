/** `tk-error`: what failed, as a fixed code, a message from the string table, and whether trying again can help. */
import type { TkErrorCode } from '../session/errors.js';

export interface TkErrorEventDetail {
  readonly code: TkErrorCode;
  /** From the string table, in the element's language; never the server's own text. */
  readonly message: string;
  /** Whether trying again may help. */
  readonly retryable: boolean;
}

/** Fired when loading, saving or connecting failed. */
export class TkErrorEvent extends Event {
  readonly detail: TkErrorEventDetail;

  constructor(detail: TkErrorEventDetail) {
    super('tk-error', { bubbles: true, composed: true });
    this.detail = Object.freeze({ ...detail });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'tk-error': TkErrorEvent;
  }
}
