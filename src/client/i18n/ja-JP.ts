import type { Catalog } from './en-US';

export const messages: Catalog = {
  // Launcher
  loading: '会議を読み込んでいます…',
  joinMeetingTitle: '会議に参加',
  organizedBy: '開催者: {organizer}',
  joinWeb: 'このブラウザーで参加',
  joinDesktop: 'アプリで開く',
  desktopOpening: 'アプリで会議を開いています…',
  desktopOpened: 'アプリで会議を開いています。このタブは閉じてかまいません。',
  desktopFailed: 'アプリを開けませんでした。もう一度試すか、別の方法で参加してください。',
  desktopTryAgain: 'アプリをもう一度試す',
  moreOptions: 'その他の参加方法',
  alwaysBrowser: 'このデバイスでは常にブラウザーを使用する',
  alwaysBrowserSet: 'このデバイスは常にブラウザーで参加します。',
  alwaysBrowserForget: 'この選択を解除',
  downloadApp: 'アプリを入手',
  downloadAppNote: '新しいタブで開きます',
  // Join by phone
  joinPhone: '電話で参加',
  phoneInstructions: 'いずれかの番号に電話をかけ、会議 ID に続けて # を入力してください。',
  phoneConferenceId: '会議 ID',
  phoneToll: '有料',
  phoneTollFree: 'フリーダイヤル',
  phoneNoNumbers: 'この会議にはダイヤルイン番号がありません。',
  phoneAllNumbers: 'すべてのダイヤルイン番号',
  // Dial-in page
  dialinTitle: 'ダイヤルイン番号',
  dialinIntro: 'いずれかの番号に電話をかけ、招待状に記載された会議 ID に続けて # を入力してください。',
  dialinSearchLabel: '国、地域、番号で検索',
  dialinCount: '見つかった番号: {count}',
  dialinNone: '検索に一致する番号はありません。',
  // Errors
  errorTitle: 'この会議を開けませんでした',
  'error.invalid-link':
    'このリンクは有効な会議リンクではありません。招待状のリンクを確認するか、開催者にもう一度送ってもらってください。',
  'error.meeting-not-found':
    'この会議が見つかりませんでした。キャンセルされたか、リンクが別の組織のものである可能性があります。',
  'error.meeting-ended': 'この会議は終了しました。まだ会議が必要な場合は、開催者に新しい招待を依頼してください。',
  meetingEndedAt: '{date} に終了しました。',
  'error.anonymous-join-not-allowed':
    'この会議ではブラウザーからのゲスト参加は許可されていません。職場のアカウントでアプリから開くか、電話で参加してください。',
  'error.service-unreachable': '会議サービスに接続できませんでした。接続を確認して、もう一度お試しください。',
  'error.offline': 'オフラインです。インターネットに接続して、もう一度お試しください。',
  'error.unexpected': 'この会議を開く際に問題が発生しました。しばらくしてからもう一度お試しください。',
  offlineAutoRetry: 'オンラインに戻ったら自動的にもう一度試します。',
  retry: '再試行',
  backToOptions: '参加方法の選択に戻る',
  // Meetings shell
  displayNameLabel: '名前',
  displayNameHint: 'この名前が会議の他の参加者に表示されます。',
  joinSubmit: '今すぐ参加',
  joining: '参加しています…',
  'join.name-required': '参加するには名前を入力してください。',
  'join.name-too-long': '名前は 64 文字以内で入力してください。',
  'join.name-invalid-characters': '名前に、他の参加者に表示できない文字が含まれています。',
  'join.anonymous-join-not-allowed':
    'この会議ではゲストの参加は許可されていません。職場のアカウントでサインインするか、開催者に問い合わせてください。',
  'join.meeting-full': 'この会議は満員です。後でもう一度お試しください。',
  'join.failed': '会議に参加できませんでした。もう一度お試しください。',
  lobbyTitle: 'ロビーで待機中',
  lobbyText: '会議の参加者がまもなく入室を許可します。',
  inMeetingTitle: '会議に参加しています',
  leave: '退出',
  leftTitle: '会議から退出しました',
  leftText: 'このタブを閉じるか、会議リンクからもう一度参加できます。',
  rejoin: 'もう一度参加',
};
