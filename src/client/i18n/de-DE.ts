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
  alwaysBrowserForgotten: 'Vergessen. Dieses Gerät fragt beim nächsten Mal wieder.',
  downloadApp: 'App herunterladen',
  downloadAppNote: 'wird in einem neuen Tab geöffnet',
  // Join by phone
  joinPhone: 'Per Telefon teilnehmen',
  phoneInstructions: 'Rufen Sie eine dieser Nummern an, und geben Sie dann die Konferenz-ID gefolgt von # ein.',
  phoneConferenceId: 'Konferenz-ID',
  phoneCopyFailed: 'Kopieren nicht möglich. Markieren Sie die ID und kopieren Sie sie selbst.',
  phoneCopied: 'Konferenz-ID kopiert.',
  phoneCopy: 'Konferenz-ID kopieren',
  phoneToll: 'Gebührenpflichtig',
  phoneTollFree: 'Gebührenfrei',
  phoneNoNumbers: 'Für diese Besprechung gibt es keine Einwahlnummern.',
  phoneAllNumbers: 'Alle Einwahlnummern',
  phoneMoreNumbers: 'Weitere Nummern',
  // Dial-in page
  dialinTitle: 'Einwahlnummern',
  dialinIntro:
    'Rufen Sie eine dieser Nummern an, und geben Sie dann die Konferenz-ID aus Ihrer Einladung gefolgt von # ein.',
  dialinSearchLabel: 'Nach Land, Region oder Nummer suchen',
  dialinCount: 'Gefundene Nummern: {count}',
  dialinNone: 'Keine Nummer entspricht Ihrer Suche.',
  dialinBackToMeeting: 'Zurück zur Besprechung',
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
  'join.meeting-ended':
    'Diese Besprechung ist beendet. Bitten Sie den Organisator um eine neue Einladung, wenn Sie sich noch treffen müssen.',
  'join.meeting-full': 'Diese Besprechung ist voll. Versuchen Sie es später erneut.',
  'join.address-full':
    'Aus Ihrem Netzwerk nehmen bereits zu viele Personen an dieser Besprechung teil oder warten darauf. Versuchen Sie es später erneut, oder wenden Sie sich an den Organisator.',
  'join.failed': 'Sie konnten der Besprechung nicht hinzugefügt werden. Versuchen Sie es erneut.',
  lobbyTitle: 'Warten im Wartebereich',
  lobbyText: 'Jemand in der Besprechung lässt Sie gleich herein.',
  inMeetingTitle: 'Sie nehmen an der Besprechung teil',
  leave: 'Verlassen',
  leftTitle: 'Sie haben die Besprechung verlassen',
  leftText: 'Sie können diesen Tab schließen oder mit dem Besprechungslink erneut teilnehmen.',
  rejoin: 'Erneut teilnehmen',
  organizerJoinNote: 'Sie nehmen als Organisator dieser Besprechung teil.',
  'join.organizer-key-invalid':
    'Dieser Organisatorlink ist für diese Besprechung nicht gültig. Fordern Sie den Organisatorlink erneut an, oder nehmen Sie als Gast teil.',
  'join.rate-limited':
    'Zu viele Teilnahmeversuche von diesem Ort. Warten Sie eine Minute, und versuchen Sie es erneut.',
  'join.service-unreachable':
    'Der Besprechungsdienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung, und versuchen Sie es erneut.',
  'join.offline': 'Sie sind offline. Stellen Sie eine Internetverbindung her, und versuchen Sie es erneut.',
  lobbyNext:
    'Sobald jemand Sie hereinlässt, nehmen Sie automatisch an der Besprechung teil. Lassen Sie diesen Tab geöffnet.',
  lobbyCancel: 'Abbrechen',
  reconnecting: 'Verbindung unterbrochen. Verbindung wird wiederhergestellt…',
  elapsedLabel: 'Besprechungsdauer',
  mute: 'Stummschalten',
  endForEveryone: 'Besprechung beenden',
  endConfirmText: 'Besprechung für alle beenden?',
  endConfirm: 'Für alle beenden',
  cancel: 'Abbrechen',
  rosterTitle: 'Teilnehmer ({count})',
  youTag: 'Sie',
  organizerTag: 'Organisator',
  mutedTag: 'Stummgeschaltet',
  lobbyQueueTitle: 'Warten im Wartebereich ({count})',
  admit: 'Zulassen',
  deny: 'Ablehnen',
  admitName: '{name} zulassen',
  denyName: '{name} ablehnen',
  removeParticipant: 'Entfernen',
  removeName: '{name} aus der Besprechung entfernen',
  removeConfirmText: '{name} aus der Besprechung entfernen?',
  removeConfirm: 'Ja, entfernen',
  lockMeeting: 'Besprechung sperren',
  lockedNote: 'Die Besprechung ist gesperrt: Wer jetzt teilnimmt, wartet im Wartebereich.',
  admitAll: 'Alle zulassen',
  denyAll: 'Alle ablehnen',
  chatTitle: 'Besprechungschat',
  chatLabel: 'Nachricht',
  chatHint: 'Drücken Sie die Eingabetaste zum Senden und Umschalt+Eingabetaste für eine neue Zeile.',
  chatSend: 'Senden',
  chatNone: 'Noch keine Nachrichten.',
  chatCount: '{count} von {max} Zeichen',
  'chat.chat-empty': 'Geben Sie zuerst eine Nachricht ein.',
  'chat.chat-too-long':
    'Ihre Nachricht ist zu lang: Sie darf höchstens 2.000 Zeichen enthalten. Kürzen Sie sie, und senden Sie sie erneut.',
  'chat.chat-invalid-characters': 'Ihre Nachricht enthält Zeichen, die nicht gesendet werden können.',
  'chat.chat-rate-limited': 'Sie senden Nachrichten zu schnell. Warten Sie einen Moment, und versuchen Sie es erneut.',
  'chat.failed': 'Ihre Nachricht wurde nicht gesendet. Prüfen Sie Ihre Verbindung, und versuchen Sie es erneut.',
  'action.not-in-lobby': 'Diese Person wartet nicht mehr im Wartebereich.',
  'action.meeting-full': 'Alle Plätze sind belegt: Zuerst muss jemand gehen.',
  'action.failed': 'Das hat nicht funktioniert. Prüfen Sie Ihre Verbindung, und versuchen Sie es erneut.',
  'ended.ended.title': 'Die Besprechung wurde beendet',
  'ended.ended.text': 'Der Organisator hat die Besprechung für alle beendet. Sie können diesen Tab schließen.',
  'ended.ended.byYouText': 'Sie haben die Besprechung für alle beendet. Sie können diesen Tab schließen.',
  'ended.denied.title': 'Sie wurden nicht hereingelassen',
  'ended.denied.text':
    'Jemand in der Besprechung hat Ihre Teilnahmeanfrage abgelehnt. Wenn Sie dies für einen Fehler halten, wenden Sie sich an den Organisator.',
  'ended.lobby-timeout.title': 'Niemand hat Sie hereingelassen',
  'ended.lobby-timeout.text':
    'Sie haben lange im Wartebereich gewartet, und niemand hat Sie hereingelassen. Versuchen Sie es erneut, oder wenden Sie sich an den Organisator.',
  'ended.disconnected.title': 'Ihre Verbindung wurde getrennt',
  'ended.disconnected.text': 'Die Verbindung zur Besprechung war zu lange unterbrochen. Sie können erneut teilnehmen.',
  'ended.removed.title': 'Sie wurden aus der Besprechung entfernt',
  'ended.removed.text':
    'Der Organisator hat Sie aus dieser Besprechung entfernt. Wenn Sie erneut teilnehmen, warten Sie im Wartebereich, bis jemand Sie hereinlässt.',
  // Media (issue 14)
  meetingTabTitle: '{subject} · Besprechung',
  deviceCheckTitle: 'Kamera und Mikrofon prüfen',
  previewLabel: 'Vorschau Ihrer Kamera',
  cameraOffPreview: 'Ihre Kamera ist aus',
  deviceStarting: 'Kamera und Mikrofon werden gestartet…',
  micLevelLabel: 'Mikrofonpegel',
  micLabel: 'Mikrofon',
  cameraLabel: 'Kamera',
  speakerLabel: 'Lautsprecher',
  chooseDevices: 'Geräte auswählen',
  'media.permission-denied':
    'Ihr Browser darf Kamera oder Mikrofon nicht verwenden. Erlauben Sie beides über das Kamerasymbol in der Adressleiste oder in den Browsereinstellungen und drücken Sie dann Erneut versuchen. Sie können auch ohne teilnehmen und den Chat nutzen.',
  'media.no-device':
    'Es wurde keine Kamera und kein Mikrofon gefunden. Schließen Sie eines an und drücken Sie Erneut versuchen, oder nehmen Sie ohne teil und nutzen Sie den Chat.',
  'media.device-in-use':
    'Kamera oder Mikrofon wird von einer anderen App verwendet. Schließen Sie diese App und drücken Sie Erneut versuchen, oder nehmen Sie ohne teil.',
  'media.unsupported':
    'Dieser Browser kann hier weder Kamera noch Mikrofon verwenden. Sie können trotzdem teilnehmen und den Chat nutzen.',
  'media.failed':
    'Kamera oder Mikrofon konnte nicht gestartet werden. Drücken Sie Erneut versuchen, oder nehmen Sie ohne teil.',
  'media.audio-only': 'Hier teilen bereits viele Personen Video, daher nehmen Sie nur mit Audio teil.',
  'media.chat-only':
    'Dieser Anruf ist voll, daher nehmen Sie nur per Chat teil. Sie sehen trotzdem, wer da ist, und können schreiben.',
  'media.joined-without-devices':
    'Sie nehmen ohne Kamera und Mikrofon teil. Die anderen sehen Ihren Namen und können mit Ihnen chatten.',
  speakingTag: 'Spricht',
  reconnectingShort: 'Verbindung wird wiederhergestellt',
  stageLabel: 'Personen im Anruf',
  // Privacy notice (issue 20): the link only; the notice's own words load with it (notice/)
  privacyLink: 'Was diese Seite sendet',
};
