import type { Catalog } from './en-US';

export const messages: Catalog = {
  // Launcher
  loading: 'Carregando sua reunião…',
  joinMeetingTitle: 'Participar da reunião',
  organizedBy: 'Organizada por {organizer}',
  joinWeb: 'Participar neste navegador',
  joinDesktop: 'Abrir no aplicativo',
  desktopOpening: 'Abrindo a reunião no aplicativo…',
  desktopOpened: 'A reunião está abrindo no aplicativo. Você pode fechar esta guia.',
  desktopFailed: 'Não foi possível abrir o aplicativo. Tente novamente ou escolha outra forma de participar.',
  desktopTryAgain: 'Tentar o aplicativo novamente',
  moreOptions: 'Outras formas de participar',
  alwaysBrowser: 'Sempre usar o navegador neste dispositivo',
  alwaysBrowserSet: 'Este dispositivo sempre participa pelo navegador.',
  alwaysBrowserForget: 'Esquecer esta escolha',
  downloadApp: 'Obter o aplicativo',
  downloadAppNote: 'abre em uma nova guia',
  // Join by phone
  joinPhone: 'Participar por telefone',
  phoneInstructions: 'Ligue para um destes números e digite o ID da conferência seguido de #.',
  phoneConferenceId: 'ID da conferência',
  phoneToll: 'Tarifado',
  phoneTollFree: 'Gratuito',
  phoneNoNumbers: 'Esta reunião não tem números de discagem.',
  phoneAllNumbers: 'Todos os números de discagem',
  // Dial-in page
  dialinTitle: 'Números de discagem',
  dialinIntro: 'Ligue para qualquer um destes números e digite o ID da conferência do seu convite seguido de #.',
  dialinSearchLabel: 'Pesquisar por país, região ou número',
  dialinCount: 'Números encontrados: {count}',
  dialinNone: 'Nenhum número corresponde à sua pesquisa.',
  // Errors
  errorTitle: 'Não foi possível abrir esta reunião',
  'error.invalid-link':
    'Este não é um link de reunião válido. Verifique o link no seu convite ou peça ao organizador que o envie novamente.',
  'error.meeting-not-found':
    'Não encontramos esta reunião. Ela pode ter sido cancelada, ou o link pode pertencer a outra organização.',
  'error.meeting-ended': 'Esta reunião terminou. Peça ao organizador um novo convite se ainda precisarem se reunir.',
  meetingEndedAt: 'Ela terminou em {date}.',
  'error.anonymous-join-not-allowed':
    'Esta reunião não permite convidados no navegador. Abra-a no aplicativo com sua conta corporativa ou participe por telefone.',
  'error.service-unreachable':
    'Não foi possível acessar o serviço de reuniões. Verifique sua conexão e tente novamente.',
  'error.offline': 'Você está offline. Conecte-se à internet e tente novamente.',
  'error.unexpected': 'Algo deu errado ao abrir esta reunião. Tente novamente em instantes.',
  offlineAutoRetry: 'Tentaremos novamente assim que você estiver online.',
  retry: 'Tentar novamente',
  backToOptions: 'Voltar às opções de participação',
  // Meetings shell
  displayNameLabel: 'Seu nome',
  displayNameHint: 'Os outros participantes verão este nome.',
  joinSubmit: 'Participar agora',
  joining: 'Entrando…',
  'join.name-required': 'Digite seu nome para participar.',
  'join.name-too-long': 'Seu nome pode ter no máximo 64 caracteres.',
  'join.name-invalid-characters': 'Seu nome contém caracteres que não podem ser exibidos aos outros.',
  'join.anonymous-join-not-allowed':
    'Esta reunião não permite convidados. Entre com sua conta corporativa ou peça ajuda ao organizador.',
  'join.meeting-full': 'Esta reunião está lotada. Tente novamente mais tarde.',
  'join.failed': 'Não foi possível colocar você na reunião. Tente novamente.',
  lobbyTitle: 'Aguardando no lobby',
  lobbyText: 'Alguém na reunião vai admitir você em breve.',
  inMeetingTitle: 'Você está na reunião',
  leave: 'Sair',
  leftTitle: 'Você saiu da reunião',
  leftText: 'Você pode fechar esta guia ou voltar a participar com o link da reunião.',
  rejoin: 'Participar novamente',
};
