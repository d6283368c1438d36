/** `<tk-microsoft-connect>`'s Spanish strings, loaded the first time the element sits under `lang="es"`. */
import type { TkMicrosoftStrings } from './microsoft-en.js';

export const microsoftEs: TkMicrosoftStrings = {
  connect: 'Iniciar sesión con Microsoft',
  connectAnother: 'Conectar otra cuenta de Microsoft',
  connecting: 'Esperando a Microsoft…',
  workOrSchool: 'Necesita una cuenta profesional o educativa de Microsoft 365. Las cuentas personales (Outlook.com, Hotmail, Live) no pueden conectarse.',
  closedHint:
    'La ventana se cerró sin conectar. Si iniciaste sesión con una cuenta personal de Microsoft (Outlook.com, Hotmail, Live), Microsoft la rechaza en su propia página: usa una cuenta profesional o educativa.',
  retryWithWorkAccount: 'Reintentar con una cuenta profesional o educativa',
  microsoftDenied: 'No se concedió el acceso a Microsoft.',
  microsoftTimeout: 'Microsoft no respondió a tiempo. Cierra la ventana e inténtalo de nuevo.',
};
