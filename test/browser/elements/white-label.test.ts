/**
 * White-label by default: no default string of any element, in any shipped language, names the
 * vendor the host's providers never chose ("Timekit"). Google and Microsoft are the accounts the
 * provider signs in to, so they may be named. Function strings are checked by their source text.
 */
import { expect } from '@open-wc/testing';
import { en } from '../../../src/i18n/en.js';
import { de } from '../../../src/i18n/de.js';
import { es } from '../../../src/i18n/es.js';
import { enErrors } from '../../../src/i18n/en-errors.js';
import { microsoftEn } from '../../../src/i18n/microsoft-en.js';
import { microsoftDe } from '../../../src/i18n/microsoft-de.js';
import { microsoftEs } from '../../../src/i18n/microsoft-es.js';
import { questionEn } from '../../../src/i18n/question-en.js';
import { questionDe } from '../../../src/i18n/question-de.js';
import { questionEs } from '../../../src/i18n/question-es.js';
import { rulesEn } from '../../../src/i18n/rules-en.js';
import { rulesDe } from '../../../src/i18n/rules-de.js';
import { rulesEs } from '../../../src/i18n/rules-es.js';
import { previewEn } from '../../../src/i18n/preview-en.js';
import { previewDe } from '../../../src/i18n/preview-de.js';
import { previewEs } from '../../../src/i18n/preview-es.js';

const TABLES: Record<string, object> = {
  en: { ...en, errors: enErrors },
  de,
  es,
  microsoftEn,
  microsoftDe,
  microsoftEs,
  questionEn,
  questionDe,
  questionEs,
  rulesEn,
  rulesDe,
  rulesEs,
  previewEn,
  previewDe,
  previewEs,
};

/** Every string of a table as [path, text]; a function by its source. */
function strings(value: unknown, path: string): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (typeof value === 'function') return [[path, String(value)]];
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, inner]) => strings(inner, `${path}.${key}`));
  return [];
}

describe('white-label default strings', () => {
  it('no table (en, de, es) of any element names "Timekit"', () => {
    const all = Object.entries(TABLES).flatMap(([name, table]) => strings(table, name));
    expect(all.length, 'the tables were read').to.be.greaterThan(200);
    const naming = all.filter(([, text]) => /timekit/i.test(text)).map(([path]) => path);
    expect(naming).to.deep.equal([]);
  });
});
