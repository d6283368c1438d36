/**
 * Gives an element the strings for its nearest `lang`, with the element's own overrides, and
 * re-renders it when that language changes or its table arrives. One observer watches `lang`
 * for the whole page, however many elements are connected.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { closestLang, stringsFor, type TkStrings } from './locale.js';

type Host = ReactiveControllerHost & HTMLElement & { strings?: Partial<TkStrings> };

/** Connected hosts: a change of any `lang` in the document re-renders them. */
const connectedHosts = new Set<Host>();
let langObserver: MutationObserver | undefined;

function observeLang(): void {
  if (langObserver) return;
  // It sees `lang` on the element and its light-DOM ancestors; a `lang` set inside another
  // component's shadow root needs `requestUpdate()`.
  langObserver = new MutationObserver(() => connectedHosts.forEach((host) => host.requestUpdate()));
  langObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

export class LocaleController implements ReactiveController {
  private readonly host: Host;
  /** The string table being fetched for the host's language, if any. */
  private awaitedTable?: Promise<void>;

  constructor(host: Host) {
    this.host = host;
    host.addController(this);
  }

  /** The strings in the nearest `lang` (English while that table loads), with the host's overrides. */
  get strings(): TkStrings {
    return stringsFor(closestLang(this.host), this.host.strings).strings;
  }

  hostConnected(): void {
    connectedHosts.add(this.host);
    observeLang();
  }

  hostDisconnected(): void {
    connectedHosts.delete(this.host);
  }

  /** Before each render: when the language's table is still loading, render again once it is there. */
  hostUpdate(): void {
    const { ready } = stringsFor(closestLang(this.host), this.host.strings);
    if (!ready || ready === this.awaitedTable) return;
    this.awaitedTable = ready;
    void ready.then(() => this.host.requestUpdate());
  }
}
