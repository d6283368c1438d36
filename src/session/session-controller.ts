/** The controller through which every element reads its session and follows its changes. */
import { ContextConsumer, ContextRoot } from '@lit/context';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { tkSessionContext } from './session-context.js';
import type { TkSession, TkSessionStatus } from './session-service.js';

type Host = ReactiveControllerHost & HTMLElement & { session?: TkSession };

const SESSION_EVENTS = ['change', 'calendars', 'availability', 'rules', 'sync', 'accounts'] as const;

let contextRoot: ContextRoot | undefined;

/**
 * A provider that connects after its consumers (defined later, or `provideTkSession` called
 * later) finds their requests already unanswered. Lit's `ContextRoot`, attached once to the
 * document, keeps those requests and replays them when a provider announces itself.
 */
function attachContextRoot(): void {
  if (contextRoot || typeof document === 'undefined') return;
  contextRoot = new ContextRoot();
  contextRoot.attach(document.documentElement);
}

/**
 * Gives an element its session: the element's own `.session` property when set, else the nearest
 * provider's (`<tk-session>` or `provideTkSession`), also across shadow roots and when the
 * provider shows up later. Re-renders the host when the session changes.
 */
export class SessionController implements ReactiveController {
  private readonly host: Host;
  private readonly consumer: ContextConsumer<typeof tkSessionContext, Host>;
  private subscribed: TkSession | undefined;
  private connected = false;

  constructor(host: Host) {
    this.host = host;
    // before the consumer's first request, which it sends when the host connects
    attachContextRoot();
    this.consumer = new ContextConsumer(host, { context: tkSessionContext, subscribe: true });
    host.addController(this);
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
    this.sync();
  }

  hostDisconnected(): void {
    this.connected = false;
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
