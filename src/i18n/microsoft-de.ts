/** `<tk-microsoft-connect>`'s German strings, loaded the first time the element sits under `lang="de"`. */
import type { TkMicrosoftStrings } from './microsoft-en.js';

export const microsoftDe: TkMicrosoftStrings = {
  connect: 'Mit Microsoft anmelden',
  connectAnother: 'Weiteres Microsoft-Konto verbinden',
  connecting: 'Warten auf Microsoft…',
  workOrSchool: 'Erfordert ein Geschäfts-, Schul- oder Unikonto von Microsoft 365. Private Konten (Outlook.com, Hotmail, Live) lassen sich nicht verbinden.',
  closedHint:
    'Das Fenster wurde ohne Verbindung geschlossen. Mit einem privaten Microsoft-Konto (Outlook.com, Hotmail, Live) lehnt Microsoft die Anmeldung auf der eigenen Seite ab: Verwenden Sie ein Geschäfts-, Schul- oder Unikonto.',
  retryWithWorkAccount: 'Mit einem Geschäfts- oder Schulkonto erneut versuchen',
  microsoftDenied: 'Der Zugriff auf Microsoft wurde nicht erlaubt.',
  microsoftTimeout: 'Microsoft hat nicht rechtzeitig geantwortet. Schließen Sie das Fenster und versuchen Sie es erneut.',
};
