/**
 * Gives an element the strings for its nearest `lang`, with the element's own overrides, and
 * re-renders it when that language changes or its table arrives. One observer watches `lang`
 * for the whole page, however many elements are connected.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { closestLang, kitStrings, type StringTables, type TkTableStrings } from './locale.js';

type Host = ReactiveControllerHost & HTMLElement & { strings?: object };

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

/**
 * Strings from `tables` (the kit's by default; an element with strings of its own passes its
 * tables), with `overrides` on top (the host's `.strings` by default).
 */
export class LocaleController<T = TkTableStrings> implements ReactiveController {
  private readonly host: Host;
  private readonly tables: StringTables<T>;
  private readonly overrides: () => Partial<T> | undefined;
  /** The string table being fetched for the host's language, if any. */
  private awaitedTable?: Promise<void>;

  constructor(host: Host, tables: StringTables<T> = kitStrings as StringTables<T>, overrides = () => host.strings as Partial<T> | undefined) {
    this.host = host;
    this.tables = tables;
    this.overrides = overrides;
    host.addController(this);
  }

  /** The strings in the nearest `lang` (English while that table loads), with the host's overrides. */
  get strings(): T {
    return this.lookUp().strings;
  }

  private lookUp() {
    return this.tables.for(closestLang(this.host), this.overrides());
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
    const { ready } = this.lookUp();
    if (!ready || ready === this.awaitedTable) return;
    this.awaitedTable = ready;
    void ready.then(() => this.host.requestUpdate());
  }
}
