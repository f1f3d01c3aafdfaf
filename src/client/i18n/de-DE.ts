import type { Catalog } from './en-US';

export const messages: Catalog = {
  // Launcher
  loading: 'Ihre Besprechung wird geladen…',
  joinMeetingTitle: 'An Besprechung teilnehmen',
  organizedBy: 'Organisiert von {organizer}',
  joinWeb: 'In diesem Browser teilnehmen',
  joinDesktop: 'In der App öffnen',
  desktopOpening: 'Die Besprechung wird in der App geöffnet…',
  desktopOpened: 'Die Besprechung wird in der App geöffnet. Sie können diesen Tab schließen.',
  desktopFailed:
    'Die App konnte nicht geöffnet werden. Versuchen Sie es erneut, oder wählen Sie eine andere Art der Teilnahme.',
  desktopTryAgain: 'App erneut versuchen',
  moreOptions: 'Andere Teilnahmemöglichkeiten',
  alwaysBrowser: 'Auf diesem Gerät immer den Browser verwenden',
  alwaysBrowserSet: 'Dieses Gerät nimmt immer im Browser teil.',
  alwaysBrowserForget: 'Diese Auswahl vergessen',
  downloadApp: 'App herunterladen',
  downloadAppNote: 'wird in einem neuen Tab geöffnet',
  // Join by phone
  joinPhone: 'Per Telefon teilnehmen',
  phoneInstructions: 'Rufen Sie eine dieser Nummern an, und geben Sie dann die Konferenz-ID gefolgt von # ein.',
  phoneConferenceId: 'Konferenz-ID',
  phoneToll: 'Gebührenpflichtig',
  phoneTollFree: 'Gebührenfrei',
  phoneNoNumbers: 'Für diese Besprechung gibt es keine Einwahlnummern.',
  phoneAllNumbers: 'Alle Einwahlnummern',
  // Dial-in page
  dialinTitle: 'Einwahlnummern',
  dialinIntro:
    'Rufen Sie eine dieser Nummern an, und geben Sie dann die Konferenz-ID aus Ihrer Einladung gefolgt von # ein.',
  dialinSearchLabel: 'Nach Land, Region oder Nummer suchen',
  dialinCount: 'Gefundene Nummern: {count}',
  dialinNone: 'Keine Nummer entspricht Ihrer Suche.',
  // Errors
  errorTitle: 'Diese Besprechung konnte nicht geöffnet werden',
  'error.invalid-link':
    'Dieser Link ist kein gültiger Besprechungslink. Prüfen Sie den Link in Ihrer Einladung, oder bitten Sie den Organisator, ihn erneut zu senden.',
  'error.meeting-not-found':
    'Diese Besprechung wurde nicht gefunden. Sie wurde vielleicht abgesagt, oder der Link gehört zu einer anderen Organisation.',
  'error.meeting-ended':
    'Diese Besprechung ist beendet. Bitten Sie den Organisator um eine neue Einladung, wenn Sie sich noch treffen müssen.',
  meetingEndedAt: 'Sie endete am {date}.',
  'error.anonymous-join-not-allowed':
    'Diese Besprechung lässt keine Gäste im Browser zu. Öffnen Sie sie in der App mit Ihrem Geschäftskonto, oder nehmen Sie per Telefon teil.',
  'error.service-unreachable':
    'Der Besprechungsdienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung, und versuchen Sie es erneut.',
  'error.offline': 'Sie sind offline. Stellen Sie eine Internetverbindung her, und versuchen Sie es erneut.',
  'error.unexpected': 'Beim Öffnen dieser Besprechung ist ein Fehler aufgetreten. Versuchen Sie es gleich noch einmal.',
  offlineAutoRetry: 'Wir versuchen es erneut, sobald Sie wieder online sind.',
  retry: 'Erneut versuchen',
  backToOptions: 'Zurück zu den Teilnahmeoptionen',
  // Meetings shell
  displayNameLabel: 'Ihr Name',
  displayNameHint: 'Andere Teilnehmer sehen diesen Namen.',
  joinSubmit: 'Jetzt teilnehmen',
  joining: 'Teilnahme läuft…',
  'join.name-required': 'Geben Sie Ihren Namen ein, um teilzunehmen.',
  'join.name-too-long': 'Ihr Name darf höchstens 64 Zeichen lang sein.',
  'join.name-invalid-characters': 'Ihr Name enthält Zeichen, die anderen nicht angezeigt werden können.',
  'join.anonymous-join-not-allowed':
    'Diese Besprechung lässt keine Gäste zu. Melden Sie sich mit Ihrem Geschäftskonto an, oder bitten Sie den Organisator um Hilfe.',
  'join.meeting-full': 'Diese Besprechung ist voll. Versuchen Sie es später erneut.',
  'join.failed': 'Sie konnten der Besprechung nicht hinzugefügt werden. Versuchen Sie es erneut.',
  lobbyTitle: 'Warten im Wartebereich',
  lobbyText: 'Jemand in der Besprechung lässt Sie gleich herein.',
  inMeetingTitle: 'Sie nehmen an der Besprechung teil',
  leave: 'Verlassen',
  leftTitle: 'Sie haben die Besprechung verlassen',
  leftText: 'Sie können diesen Tab schließen oder mit dem Besprechungslink erneut teilnehmen.',
  rejoin: 'Erneut teilnehmen',
};
