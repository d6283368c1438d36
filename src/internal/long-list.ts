/**
 * Long picker lists render only the rows on screen, with Lit's virtualizer. Loaded with `import()`
 * the first time a list is long, so pages with short lists never fetch it.
 */
import type { TemplateResult } from 'lit';
import type { DirectiveResult } from 'lit/directive.js';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';
import { flow } from '@lit-labs/virtualizer/layouts/flow.js';
import { provideResizeObserver } from '@lit-labs/virtualizer/polyfillLoaders/ResizeObserver.js';

/**
 * The ResizeObserver the virtualizer gets. It resizes, in its callbacks, what it observes:
 * browsers report that to `window.onerror` ("ResizeObserver loop completed with undelivered
 * notifications"), where a host's error tracking would log it for every long list, so the
 * callbacks run in a task of their own. And an element's first notification comes in a task too,
 * not at the next rendering: a page that does not render (a background tab) still gets its rows.
 */
class DeferredResizeObserver extends ResizeObserver {
  private readonly firstSizes = new Set<Element>();

  constructor(private readonly callback: ResizeObserverCallback) {
    super((entries, observer) => setTimeout(() => callback(entries, observer)));
  }

  override observe(target: Element, options?: ResizeObserverOptions): void {
    super.observe(target, options);
    if (this.firstSizes.size === 0) setTimeout(() => this.reportFirstSizes());
    this.firstSizes.add(target);
  }

  private reportFirstSizes(): void {
    const entries = [...this.firstSizes].filter((target) => target.isConnected).map((target) => ({ target, contentRect: target.getBoundingClientRect() }) as ResizeObserverEntry);
    this.firstSizes.clear();
    if (entries.length > 0) this.callback(entries, this);
  }
}
provideResizeObserver(DeferredResizeObserver);

/** The rows of one list, only those near the scroller's visible part in the DOM. */
export function virtualRows<T>(items: T[], key: (item: T) => string, renderItem: (item: T, index: number) => TemplateResult): DirectiveResult {
  // the layout given, not left to the virtualizer to fetch: one chunk, one request
  return virtualize({ items, keyFunction: key, renderItem, layout: flow() });
}

