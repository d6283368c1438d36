/** The controller through which every element reads its session and follows its changes. */
import { ContextConsumer } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { tkSessionContext } from './session-context.js';
import type { TkSession, TkSessionStatus } from './session-service.js';

type Host = ReactiveControllerHost & HTMLElement & { session?: TkSession };

const SESSION_EVENTS = ['change', 'calendars', 'availability', 'rules', 'sync', 'accounts'] as const;

let contextRoot: Promise<void> | undefined;

/**
 * A provider that connects after its consumers (defined later, or `provideTkSession` called
 * later) finds their requests already unanswered. Lit's `ContextRoot`, attached once to the
 * document, keeps those requests and replays them when a provider announces itself. A page whose
 * elements sit inside their provider never needs it, so it is a lazy chunk, loaded the first time
 * a request goes unanswered.
 */
function attachContextRoot(): Promise<void> {
  contextRoot ??= import('./context-root.js').then(({ attachContextRoot }) => attachContextRoot());
  return contextRoot;
}

/**
 * Gives an element its session: the element's own `.session` property when set, else the nearest
 * provider's (`<tk-session>` or `provideTkSession`), also across shadow roots and when the
 * provider shows up later. Re-renders the host when the session changes.
 */
export class SessionController implements ReactiveController {
  private readonly host: Host;
  private consumer: ContextConsumer<typeof tkSessionContext, Host>;
  /** A provider answered the consumer's request (perhaps with no session yet). */
  private answered = false;
  private subscribed: TkSession | undefined;
  private connected = false;

  constructor(host: Host) {
    this.host = host;
    this.consumer = this.consume();
    host.addController(this);
  }

  /** A context consumer, which sends its request when the host connects (at once if it is connected). */
  private consume(): ContextConsumer<typeof tkSessionContext, Host> {
    return new ContextConsumer(this.host, { context: tkSessionContext, subscribe: true, callback: () => (this.answered = true) });
  }

  /** The session in effect: the explicit property wins over the context. */
  get session(): TkSession | undefined {
    return this.host.session ?? this.consumer.value;
  }

  /** `none` when there is no session at all. */
  get status(): TkSessionStatus | 'none' {
    return this.session?.status ?? 'none';
  }

  hostConnected(): void {
    this.connected = true;
    // the consumer, added first, has sent its request: no provider above answered it
    if (!this.answered) void attachContextRoot().then(() => this.requestAgain());
    this.sync();
  }

  /** Asks again once the root is there, which keeps the request until a provider shows up. */
  private requestAgain(): void {
    if (this.answered || !this.connected) return;
    this.host.removeController(this.consumer);
    this.consumer = this.consume();
  }

  hostDisconnected(): void {
    this.connected = false;
    // the consumer drops its provider too, and asks again when the host is back
    this.answered = false;
    this.sync();
  }

  hostUpdate(): void {
    this.sync();
  }

  /** Follows the session in effect: listens to it, starts it, unsubscribes from the old one. */
  private sync(): void {
    const next = this.connected ? this.session : undefined;
    if (next === this.subscribed) return;
    for (const type of SESSION_EVENTS) {
      this.subscribed?.removeEventListener(type, this.handleChange);
      next?.addEventListener(type, this.handleChange);
    }
    this.subscribed = next;
    void next?.start();
    this.host.requestUpdate();
  }

  private readonly handleChange = () => this.host.requestUpdate();
}
