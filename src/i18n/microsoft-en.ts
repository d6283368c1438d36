/**
 * `<tk-microsoft-connect>`'s strings, in the element's own chunk so a page without it pays for
 * none of them. The texts it shares with `<tk-google-connect>` (the account list, retry, the
 * status) come from the kit's table.
 */
export interface TkMicrosoftStrings {
  /** The button before a Microsoft account is connected (Microsoft's sign-in button text). */
  connect: string;
  connectAnother: string;
  connecting: string;
  /** Said before connecting, tied to the button: Microsoft refuses personal accounts on its own page. */
  workOrSchool: string;
  /** After the window closed without a result: the likely reason. */
  closedHint: string;
  /** The one retry the hint offers. */
  retryWithWorkAccount: string;
  /** `consent-denied` and `connect-timeout`, naming Microsoft. */
  microsoftDenied: string;
  microsoftTimeout: string;
}

export const microsoftEn: TkMicrosoftStrings = {
  connect: 'Sign in with Microsoft',
  connectAnother: 'Connect another Microsoft account',
  connecting: 'Waiting for Microsoft…',
  workOrSchool: 'Needs a work or school Microsoft 365 account. Personal accounts (Outlook.com, Hotmail, Live) cannot connect.',
  closedHint:
    'The window closed without connecting. If you signed in with a personal Microsoft account (Outlook.com, Hotmail, Live), Microsoft refuses it on its own page: use a work or school account.',
  retryWithWorkAccount: 'Try again with a work or school account',
  microsoftDenied: 'Microsoft access was not granted.',
  microsoftTimeout: 'Microsoft did not answer. Close its window and try again.',
};
