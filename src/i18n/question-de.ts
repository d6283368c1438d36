/** The pending-account question in German, loaded the first time it is asked under `lang="de"`. */
import type { TkQuestionStrings } from './question-en.js';

export const questionDe: TkQuestionStrings = {
  pendingQuestion: (email, current) =>
    `${email} wurde als eigenes Kalenderprofil verbunden. Dorthin wechseln? Die Kalender von ${current} zählen dann nicht mehr für die Verfügbarkeit, und Sie wählen den Kalender für neue Buchungen neu; Ihre Arbeitszeiten werden übernommen.`,
  switchTo: (email) => `Zu ${email} wechseln`,
  keep: (email) => `${email} behalten`,
};
