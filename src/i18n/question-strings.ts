/** The pending-account question's string tables: English in the question's chunk, German and Spanish fetched on first use. */
import { stringTables } from './string-tables.js';
import { questionEn, type TkQuestionStrings } from './question-en.js';

export const questionStrings = stringTables<TkQuestionStrings>(questionEn, {
  de: () => import('./question-de.js').then((m) => m.questionDe),
  es: () => import('./question-es.js').then((m) => m.questionEs),
});

export type { TkQuestionStrings };
