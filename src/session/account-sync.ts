/**
 * The sync that follows a change of synced calendars: once a burst of `provider_sync` writes has
 * landed (and the page has been quiet for `delayMs`), ask Timekit to sync the resource's calendar
 * accounts (`POST /accounts/sync`), so it imports the events of the calendars just chosen. One
 * sync per burst, not one per click.
 */
import { toTkError, type TkError } from './errors.js';
import type { TimekitClient } from './timekit-client.js';

/**
 * The sync that follows a change of synced calendars:
 * - `idle`: nothing to sync, or the last sync worked;
 * - `pending`: calendars changed, the sync waits for the burst of writes to end;
 * - `syncing`: `POST /accounts/sync` is under way;
 * - `error`: it failed (see `syncError`; `sync()` tries again).
 */
export type TkSyncStatus = 'idle' | 'pending' | 'syncing' | 'error';

export class AccountSync {
  readonly #client: Pick<TimekitClient, 'request'>;
  readonly #delayMs: number;
  readonly #onChange: () => void;
  readonly #onResult: (error: TkError | null) => void;
  #status: TkSyncStatus = 'idle';
  #error: TkError | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** `provider_sync` writes under way: the sync waits until the last one has landed. */
  #writesInFlight = 0;

  /** `onChange` runs when `status` or `error` changed; `onResult` after each sync, with its failure or null. */
  constructor(client: Pick<TimekitClient, 'request'>, delayMs: number, onChange: () => void, onResult: (error: TkError | null) => void = () => {}) {
    this.#client = client;
    this.#delayMs = delayMs;
    this.#onChange = onChange;
    this.#onResult = onResult;
  }

  get status(): TkSyncStatus {
    return this.#status;
  }

  get error(): TkError | null {
    return this.#error;
  }

  /**
   * Runs one `provider_sync` write as part of the current burst: the sync waits while it is under
   * way, becomes `pending` when it lands, and starts `delayMs` after the burst's last write.
   */
  async trackWrite<T>(write: () => Promise<T>): Promise<T> {
    this.#writesInFlight++;
    clearTimeout(this.#timer);
    try {
      const result = await write();
      this.#set('pending', null);
      return result;
    } finally {
      this.#writesInFlight--;
      if (this.#status === 'pending' && this.#writesInFlight === 0) {
        this.#timer = setTimeout(() => void this.sync(), this.#delayMs);
      }
    }
  }

  /** `POST /accounts/sync` now; also the way to retry after a failure. */
  async sync(): Promise<void> {
    clearTimeout(this.#timer);
    this.#set('syncing', null);
    try {
      await this.#client.request('POST', '/accounts/sync');
      // A write that landed meanwhile has armed another sync: leave it pending.
      if (this.#status === 'syncing') this.#set('idle', null);
      this.#onResult(null);
    } catch (error) {
      this.#set('error', toTkError(error));
      this.#onResult(this.#error);
    }
  }

  #set(status: TkSyncStatus, error: TkError | null): void {
    if (status === this.#status && error === this.#error) return;
    this.#status = status;
    this.#error = error;
    this.#onChange();
  }
}
