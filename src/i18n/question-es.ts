/** The pending-account question in Spanish, loaded the first time it is asked under `lang="es"`. */
import type { TkQuestionStrings } from './question-en.js';

export const questionEs: TkQuestionStrings = {
  pendingQuestion: (email, current) =>
    `${email} se conectó como un perfil de calendario aparte. ¿Cambiar a él? Los calendarios de ${current} dejan de contar para la disponibilidad y vuelves a elegir el calendario para las nuevas reservas; tu horario de trabajo se conserva.`,
  switchTo: (email) => `Cambiar a ${email}`,
  keep: (email) => `Conservar ${email}`,
};
