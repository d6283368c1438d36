/** The Spanish string table, loaded on demand the first time an element sits under `lang="es"`. */
import type { TkStrings } from './en.js';

export const es: TkStrings = {
  loading: 'Cargando calendarios…',
  signedOut: 'Primero conecta una cuenta de calendario.',
  retry: 'Reintentar',
  errors: {
    network: 'No se pudo contactar con el servicio de calendario. Revisa tu conexión.',
    unauthorized: 'Tu sesión de calendario ha terminado. Recarga la página para volver a entrar.',
    forbidden: 'Esta página no tiene permiso para hacer eso. Quien desarrolla el sitio debe revisar la configuración del servicio de calendario.',
    'not-found': 'Ese calendario ya no existe.',
    invalid: 'El servicio de calendario rechazó el cambio.',
    'rate-limited': 'Demasiadas solicitudes. Espera un momento y vuelve a intentarlo.',
    unavailable: 'El servicio de calendario no está disponible ahora.',
    'popup-blocked': 'Se bloqueó la ventana de acceso. Continuando en esta ventana…',
    'consent-denied': 'No se concedió el acceso a Google.',
    'origin-mismatch': 'Esta página no tiene permiso para conectar calendarios. Quien desarrolla el sitio debe añadir su dirección a los orígenes permitidos del servicio de calendario.',
    'connect-elsewhere': 'Esta conexión se inició en otra ventana o con otra cuenta. Vuelve a empezar aquí.',
    'connect-timeout': 'Google no respondió a tiempo. Cierra la ventana e inténtalo de nuevo.',
    misconfigured: 'El servicio de calendario está mal configurado. Quien desarrolla el sitio debe revisar su dirección en la configuración.',
  },
  connect: 'Conectar Google Calendar',
  connectAnother: 'Conectar otra cuenta de Google',
  connecting: 'Esperando a Google…',
  stillWaiting: 'Seguimos esperando… Si la ventana muestra un error, ciérrala e inténtalo de nuevo.',
  connectedAs: (email) => `Conectado: ${email}`,
  connectedAccounts: 'Cuentas de calendario',
  accountStatus: { connected: 'Conectada', disconnected: 'Desconectada' },
  reconnect: 'Volver a conectar',
  reconnectAccount: (email) => `Volver a conectar ${email}`,
  cancelled: 'Conexión cancelada.',
  showWindow: 'Mostrar ventana',
  cancel: 'Cancelar',
  windowClosed: 'La ventana se cerró. Conexión cancelada.',
  cancelledLeftOpen: 'Conexión cancelada. Puede cerrar la ventana de inicio de sesión.',
  pickerLabel: 'Calendarios que cuentan para la disponibilidad',
  targetLabel: 'Calendario para las nuevas reservas',
  filter: 'Filtrar calendarios',
  noMatches: 'Ningún calendario coincide.',
  chosenCount: (chosen, total) => {
    const count = new Intl.NumberFormat('es');
    return `${count.format(chosen)} de ${count.format(total)} elegidos`;
  },
  showChosen: 'Mostrar solo los elegidos',
  empty: 'Todavía no hay calendarios.',
  emptyWritable: 'Ningún calendario admite reservas.',
  loaded: (count) => (count === 1 ? '1 calendario' : `${count} calendarios`),
  primary: 'Principal',
  readOnly: 'Solo lectura',
  readOnlyReason: 'Solo lectura: no se pueden escribir reservas en este calendario.',
  providers: { timekit: 'Calendario integrado', google: 'Google', microsoft: 'Microsoft' },
  accountDisconnected: 'Desconectada: vuelva a conectar la cuenta para mantener sus calendarios al día',
  saving: 'Guardando…',
  retrying: 'Guardando… (reintentando)',
  saved: 'Guardado',
  savedRow: (name) => `«${name}» guardado.`,
  saveFailed: (name) => `No se pudo guardar «${name}».`,
  syncFailed: 'Tu selección está guardada, pero el servicio de calendarios aún no pudo importar los eventos de esos calendarios.',
  requiredCalendars: 'Elige al menos un calendario.',
  requiredTarget: 'Elige un calendario para las nuevas reservas.',
  notInAvailability: 'Este calendario no está entre los de disponibilidad, así que las reservas podrían solaparse.',
  notSynced: 'Sin guardar: el servicio de calendario tiene en cuenta otra selección.',
  checking: (count) =>
    count === 0
      ? 'Todavía no se consulta ningún calendario para la disponibilidad.'
      : new Intl.PluralRules('es').select(count) === 'one'
        ? `Se consulta ${count.toLocaleString('es')} calendario`
        : `Se consultan ${count.toLocaleString('es')} calendarios`,
  bookingsGoTo: (name) => `Las nuevas reservas van a ${name}`,
  noBookingCalendar: 'Todavía no hay calendario para las nuevas reservas.',
  savedWithForm: 'Se guarda al guardar el formulario.',
  useForAvailability: 'Usarlo también para la disponibilidad',
};
