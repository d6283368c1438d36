/**
 * Long picker lists render only the rows on screen, with Lit's virtualizer. Loaded with `import()`
 * the first time a list is long, so pages with short lists never fetch it.
 */
import type { TemplateResult } from 'lit';
import { virtualize } from '@lit-labs/virtualizer/virtualize.js';

/** The rows of one list, only those near the scroller's visible part in the DOM. */
export function virtualRows<T>(items: T[], key: (item: T) => string, renderItem: (item: T, index: number) => TemplateResult) {
  return virtualize({ items, keyFunction: key, renderItem });
}

