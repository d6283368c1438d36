/**
 * Media conditions the test runner cannot turn on in every engine (`pointer: coarse`; reduced
 * motion outside Chromium): the rules an element's shadow root keeps under that `@media`
 * condition, applied unconditionally, so a test measures what they do in each engine.
 */

/** Applies the rules of `el`'s `@media <condition>` blocks as if the condition held; returns the undo. Throws when it has none. */
export function forceMediaRules(el: Element, condition: string): () => void {
  const root = el.shadowRoot!;
  const sheets = [...root.adoptedStyleSheets, ...[...root.querySelectorAll('style')].map((style) => style.sheet!)];
  const rules: string[] = [];
  for (const sheet of sheets) {
    for (const rule of sheet.cssRules) {
      if (rule instanceof CSSMediaRule && rule.conditionText === condition) rules.push(...[...rule.cssRules].map((inner) => inner.cssText));
    }
  }
  if (rules.length === 0) throw new Error(`<${el.localName}> has no @media ${condition} rules`);
  const forced = new CSSStyleSheet();
  forced.replaceSync(rules.join('\n'));
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, forced];
  return () => {
    root.adoptedStyleSheets = root.adoptedStyleSheets.filter((sheet) => sheet !== forced);
  };
}
