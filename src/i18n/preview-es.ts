/** `<tk-availability-preview>`'s Spanish strings, loaded on demand under `lang="es"`. */
import type { TkPreviewStrings } from './preview-en.js';

export const previewEs: TkPreviewStrings = {
  label: 'Horario reservable',
  loading: 'Cargando el horario reservable…',
  refreshing: 'Actualizando el horario reservable…',
  refresh: 'Actualizar',
  loaded: (count) => (count === 1 ? '1 hora reservable' : `${count} horas reservables`),
  empty: (days) => (days === 1 ? 'No hay horario reservable en el próximo día.' : `No hay horario reservable en los próximos ${days} días.`),
  emptyHint: 'Revise su horario de trabajo y los calendarios que cuentan para la disponibilidad.',
  dayEmpty: 'Sin horas',
  providerZone: (zone) => `Su hora: ${zone}`,
  customerZone: (zone) => `Hora de los clientes: ${zone}`,
  bothZones: (provider, customer) => `${provider} (hora de los clientes: ${customer})`,
};
