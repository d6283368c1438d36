/**
 * The CSS an element class adopts, as the browser engine parses and serialises it: the package
 * tests compare the built files with the source through it, so only a change in meaning shows.
 */

/** What `finalize()` fills; it is protected in Lit's types. */
type ElementClass = { finalize(): void; elementStyles: Array<{ cssText: string }> };

/** The text of each style sheet the class adopts, as written in its css`` literals. */
export function styleTexts(elementClass: unknown): string[] {
  const cls = elementClass as ElementClass;
  cls.finalize();
  return cls.elementStyles.map((style) => style.cssText);
}

/** The engine's serialisation of every rule of the class's styles, in order. */
export function serialisedRules(elementClass: unknown): string[] {
  const cls = elementClass as ElementClass;
  cls.finalize(); // what defining the tag does first: fills elementStyles (idempotent)
  return cls.elementStyles.flatMap((style) => {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(style.cssText);
    return [...sheet.cssRules].map(describe);
  });
}

/**
 * One rule as text: its selector or condition, and its declarations in the engine's serialisation,
 * sorted, with the spellings a CSS minifier may choose for the same thing made alike:
 * - declarations in another order within a rule (each sets a different property);
 * - no space after a comma and no zero before a decimal point (`var(--a,.5em)`: a value with
 *   var() serialises as written);
 * - `transparent` written as `#0000` (read back as `rgba(0, 0, 0, 0)`).
 */
function describe(rule: CSSRule): string {
  if (rule instanceof CSSStyleRule) {
    const declarations = rule.style.cssText
      .split(/;\s*/)
      .filter(Boolean)
      .map((declaration) =>
        declaration
          .replace(/,\s+/g, ',')
          .replace(/(^|[^\d.])0\.(?=\d)/g, '$1.')
          .replace(/\btransparent\b/g, 'rgba(0,0,0,0)'),
      );
    return `${rule.selectorText}{${declarations.sort().join(';')}}`;
  }
  if (rule instanceof CSSGroupingRule) {
    // an @supports or @media condition serialises as written: `(color: x)` and `(color:x)` are one test
    const condition = (rule instanceof CSSConditionRule ? rule.conditionText : rule.cssText.slice(0, rule.cssText.indexOf('{'))).replace(/:\s+/g, ':').replace(/,\s+/g, ',');
    return `@${rule.constructor.name}(${condition}){${[...rule.cssRules].map(describe).join('')}}`;
  }
  return rule.cssText;
}
