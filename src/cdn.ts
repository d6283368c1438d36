/**
 * The CDN file (dist/cdn/tk-elements.js): every core element, as `index.ts` registers them, and
 * the further elements as chunks beside it, each fetched the first time the page has its tag, so
 * a page with only the core elements never loads them. A tag only inside another component's
 * shadow root is not seen: such a page imports the chunk (`tk-elements.<tag>.js`) itself.
 */
export * from './index.js';

const lazyElements = new Map<string, () => Promise<unknown>>([
  ['tk-availability-rules', () => import('./tk-availability-rules.js')],
  ['tk-availability-preview', () => import('./tk-availability-preview.js')],
  ['tk-microsoft-connect', () => import('./tk-microsoft-connect.js')],
]);

function loadUsedElements(): void {
  for (const [tag, load] of lazyElements) {
    if (!document.querySelector(tag)) continue;
    lazyElements.delete(tag);
    void load();
  }
  if (lazyElements.size === 0) observer.disconnect();
}

const observer = new MutationObserver(loadUsedElements);
observer.observe(document.documentElement, { childList: true, subtree: true });
loadUsedElements();
