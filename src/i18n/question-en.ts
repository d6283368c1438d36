/**
 * The connect elements' question when a connect made Timekit put the new account on a new
 * resource: in the question's own chunk, loaded only when there is something to ask.
 */
export interface TkQuestionStrings {
  /** The question: the new account's email, the current one's. */
  pendingQuestion: (email: string, current: string) => string;
  switchTo: (email: string) => string;
  keep: (email: string) => string;
}

export const questionEn: TkQuestionStrings = {
  pendingQuestion: (email, current) =>
    `${email} was connected as a separate calendar profile. Switch to it? The calendars of ${current} stop counting for availability and you choose the calendar for new bookings again; your working hours move over.`,
  switchTo: (email) => `Switch to ${email}`,
  keep: (email) => `Keep ${email}`,
};
