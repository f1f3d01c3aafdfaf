import type { Catalog } from './en-US';

export const messages: Catalog = {
  // Launcher
  loading: 'Chargement de votre réunion…',
  joinMeetingTitle: 'Rejoindre la réunion',
  organizedBy: 'Organisée par {organizer}',
  joinWeb: 'Rejoindre dans ce navigateur',
  joinDesktop: 'Ouvrir dans l’application',
  desktopOpening: 'Ouverture de la réunion dans l’application…',
  desktopOpened: 'La réunion s’ouvre dans l’application. Vous pouvez fermer cet onglet.',
  desktopFailed: 'Impossible d’ouvrir l’application. Réessayez ou choisissez un autre moyen de rejoindre.',
  desktopTryAgain: 'Réessayer l’application',
  moreOptions: 'Autres moyens de rejoindre',
  alwaysBrowser: 'Toujours utiliser le navigateur sur cet appareil',
  alwaysBrowserSet: 'Cet appareil rejoint toujours dans le navigateur.',
  alwaysBrowserForget: 'Oublier ce choix',
  downloadApp: 'Obtenir l’application',
  downloadAppNote: 's’ouvre dans un nouvel onglet',
  // Join by phone
  joinPhone: 'Rejoindre par téléphone',
  phoneInstructions: 'Appelez l’un de ces numéros, puis saisissez l’ID de conférence suivi de #.',
  phoneConferenceId: 'ID de conférence',
  phoneToll: 'Payant',
  phoneTollFree: 'Gratuit',
  phoneNoNumbers: 'Cette réunion n’a aucun numéro d’accès.',
  phoneAllNumbers: 'Tous les numéros d’accès',
  // Dial-in page
  dialinTitle: 'Numéros d’accès',
  dialinIntro: 'Appelez l’un de ces numéros, puis saisissez l’ID de conférence de votre invitation suivi de #.',
  dialinSearchLabel: 'Rechercher par pays, région ou numéro',
  dialinCount: 'Numéros trouvés : {count}',
  dialinNone: 'Aucun numéro ne correspond à votre recherche.',
  // Errors
  errorTitle: 'Impossible d’ouvrir cette réunion',
  'error.invalid-link':
    'Ce lien n’est pas un lien de réunion valide. Vérifiez le lien de votre invitation ou demandez à l’organisateur de le renvoyer.',
  'error.meeting-not-found':
    'Réunion introuvable. Elle a peut-être été annulée, ou le lien appartient à une autre organisation.',
  'error.meeting-ended':
    'Cette réunion est terminée. Demandez une nouvelle invitation à l’organisateur si vous devez encore vous réunir.',
  meetingEndedAt: 'Elle s’est terminée le {date}.',
  'error.anonymous-join-not-allowed':
    'Cette réunion n’accepte pas d’invités dans le navigateur. Ouvrez-la dans l’application avec votre compte professionnel ou rejoignez par téléphone.',
  'error.service-unreachable': 'Impossible de joindre le service de réunion. Vérifiez votre connexion et réessayez.',
  'error.offline': 'Vous êtes hors connexion. Connectez-vous à Internet et réessayez.',
  'error.unexpected': 'Un problème est survenu à l’ouverture de cette réunion. Réessayez dans un instant.',
  offlineAutoRetry: 'Nous réessaierons dès que vous serez de nouveau en ligne.',
  retry: 'Réessayer',
  backToOptions: 'Revenir aux options pour rejoindre',
  // Meetings shell
  displayNameLabel: 'Votre nom',
  displayNameHint: 'Les autres participants verront ce nom.',
  joinSubmit: 'Rejoindre maintenant',
  joining: 'Connexion…',
  'join.name-required': 'Saisissez votre nom pour rejoindre.',
  'join.name-too-long': 'Votre nom peut comporter 64 caractères au maximum.',
  'join.name-invalid-characters': 'Votre nom contient des caractères qui ne peuvent pas être affichés aux autres.',
  'join.anonymous-join-not-allowed':
    'Cette réunion n’accepte pas d’invités. Connectez-vous avec votre compte professionnel ou demandez de l’aide à l’organisateur.',
  'join.meeting-full': 'Cette réunion est complète. Réessayez plus tard.',
  'join.failed': 'Impossible de vous faire rejoindre la réunion. Réessayez.',
  lobbyTitle: 'En attente dans la salle d’attente',
  lobbyText: 'Un participant va bientôt vous faire entrer.',
  inMeetingTitle: 'Vous êtes dans la réunion',
  leave: 'Quitter',
  leftTitle: 'Vous avez quitté la réunion',
  leftText: 'Vous pouvez fermer cet onglet ou rejoindre à nouveau avec le lien de la réunion.',
  rejoin: 'Rejoindre à nouveau',
};
