import type { Catalog } from './en-US';

export const messages: Catalog = {
  // Launcher
  loading: 'Cargando la reunión…',
  joinMeetingTitle: 'Unirse a la reunión',
  organizedBy: 'Organizada por {organizer}',
  joinWeb: 'Unirse en este navegador',
  joinDesktop: 'Abrir en la aplicación',
  desktopOpening: 'Abriendo la reunión en la aplicación…',
  desktopOpened: 'La reunión se está abriendo en la aplicación. Puede cerrar esta pestaña.',
  desktopFailed: 'No se pudo abrir la aplicación. Vuelva a intentarlo o elija otra forma de unirse.',
  desktopTryAgain: 'Volver a probar la aplicación',
  moreOptions: 'Otras formas de unirse',
  alwaysBrowser: 'Usar siempre el navegador en este dispositivo',
  alwaysBrowserSet: 'Este dispositivo siempre se une desde el navegador.',
  alwaysBrowserForget: 'Olvidar esta elección',
  downloadApp: 'Obtener la aplicación',
  downloadAppNote: 'se abre en una pestaña nueva',
  // Join by phone
  joinPhone: 'Unirse por teléfono',
  phoneInstructions: 'Llame a uno de estos números y escriba el id. de conferencia seguido de #.',
  phoneConferenceId: 'Id. de conferencia',
  phoneToll: 'De pago',
  phoneTollFree: 'Gratuito',
  phoneNoNumbers: 'Esta reunión no tiene números de acceso telefónico.',
  phoneAllNumbers: 'Todos los números de acceso',
  // Dial-in page
  dialinTitle: 'Números de acceso telefónico',
  dialinIntro: 'Llame a cualquiera de estos números y escriba el id. de conferencia de su invitación seguido de #.',
  dialinSearchLabel: 'Buscar por país, región o número',
  dialinCount: 'Números encontrados: {count}',
  dialinNone: 'Ningún número coincide con la búsqueda.',
  // Errors
  errorTitle: 'No se pudo abrir esta reunión',
  'error.invalid-link':
    'Este vínculo no es un vínculo de reunión válido. Compruebe el vínculo de su invitación o pida al organizador que lo envíe de nuevo.',
  'error.meeting-not-found':
    'No encontramos esta reunión. Puede que se haya cancelado o que el vínculo pertenezca a otra organización.',
  'error.meeting-ended':
    'Esta reunión ha finalizado. Pida al organizador una nueva invitación si aún necesitan reunirse.',
  meetingEndedAt: 'Finalizó el {date}.',
  'error.anonymous-join-not-allowed':
    'Esta reunión no admite invitados en el navegador. Ábrala en la aplicación con su cuenta profesional o únase por teléfono.',
  'error.service-unreachable':
    'No se pudo conectar con el servicio de reuniones. Compruebe la conexión y vuelva a intentarlo.',
  'error.offline': 'No tiene conexión. Conéctese a internet y vuelva a intentarlo.',
  'error.unexpected': 'Algo salió mal al abrir esta reunión. Vuelva a intentarlo en un momento.',
  offlineAutoRetry: 'Lo volveremos a intentar en cuanto recupere la conexión.',
  retry: 'Reintentar',
  backToOptions: 'Volver a las opciones para unirse',
  // Meetings shell
  displayNameLabel: 'Su nombre',
  displayNameHint: 'Los demás asistentes verán este nombre.',
  joinSubmit: 'Unirse ahora',
  joining: 'Uniéndose…',
  'join.name-required': 'Escriba su nombre para unirse.',
  'join.name-too-long': 'Su nombre puede tener como máximo 64 caracteres.',
  'join.name-invalid-characters': 'Su nombre contiene caracteres que no se pueden mostrar a los demás.',
  'join.anonymous-join-not-allowed':
    'Esta reunión no admite invitados. Inicie sesión con su cuenta profesional o pida ayuda al organizador.',
  'join.meeting-full': 'Esta reunión está completa. Vuelva a intentarlo más tarde.',
  'join.failed': 'No se pudo unirle a la reunión. Vuelva a intentarlo.',
  lobbyTitle: 'Esperando en la sala de espera',
  lobbyText: 'Alguien de la reunión le dejará entrar en breve.',
  inMeetingTitle: 'Está en la reunión',
  leave: 'Salir',
  leftTitle: 'Ha salido de la reunión',
  leftText: 'Puede cerrar esta pestaña o volver a unirse con el vínculo de la reunión.',
  rejoin: 'Volver a unirse',
};
