/**
 * The source catalog. Every key here must exist in every other catalog (the type checks it, and a
 * unit test checks placeholders). One key per line, grouped by screen, so added keys merge cleanly.
 */
export const messages = {
  // Launcher
  loading: 'Loading your meeting…',
  joinMeetingTitle: 'Join meeting',
  organizedBy: 'Organized by {organizer}',
  joinWeb: 'Join in this browser',
  joinDesktop: 'Open in the app',
  desktopOpening: 'Opening the meeting in the app…',
  desktopOpened: 'The meeting is opening in the app. You can close this tab.',
  desktopFailed: 'We could not open the app. Try again, or choose another way to join.',
  desktopTryAgain: 'Try the app again',
  moreOptions: 'Other ways to join',
  alwaysBrowser: 'Always use the browser on this device',
  alwaysBrowserSet: 'This device always joins in the browser.',
  alwaysBrowserForget: 'Forget this choice',
  downloadApp: 'Get the app',
  downloadAppNote: 'opens in a new tab',
  // Join by phone
  joinPhone: 'Join by phone',
  phoneInstructions: 'Call one of these numbers, then enter the conference ID followed by #.',
  phoneConferenceId: 'Conference ID',
  phoneToll: 'Toll',
  phoneTollFree: 'Toll-free',
  phoneNoNumbers: 'This meeting has no dial-in numbers.',
  phoneAllNumbers: 'All dial-in numbers',
  // Dial-in page
  dialinTitle: 'Dial-in numbers',
  dialinIntro: 'Call any of these numbers, then enter the conference ID from your invitation followed by #.',
  dialinSearchLabel: 'Search by country, region or number',
  dialinCount: 'Numbers found: {count}',
  dialinNone: 'No number matches your search.',
  // Errors
  errorTitle: 'We could not open this meeting',
  'error.invalid-link':
    'This link is not a valid meeting link. Check the link in your invitation, or ask the organizer to send it again.',
  'error.meeting-not-found':
    'We could not find this meeting. It may have been cancelled, or the link may belong to another organization.',
  'error.meeting-ended': 'This meeting has ended. Ask the organizer for a new invitation if you still need to meet.',
  meetingEndedAt: 'It ended on {date}.',
  'error.anonymous-join-not-allowed':
    'This meeting does not allow guests in the browser. Open it in the app with your work account, or join by phone.',
  'error.service-unreachable': 'We could not reach the meeting service. Check your connection and try again.',
  'error.offline': 'You are offline. Connect to the internet and try again.',
  'error.unexpected': 'Something went wrong while opening this meeting. Try again in a moment.',
  offlineAutoRetry: 'We will try again as soon as you are back online.',
  retry: 'Try again',
  backToOptions: 'Back to the join options',
  // Meetings shell
  displayNameLabel: 'Your name',
  displayNameHint: 'Others in the meeting will see this name.',
  joinSubmit: 'Join now',
  joining: 'Joining…',
  'join.name-required': 'Enter your name to join.',
  'join.name-too-long': 'Your name can be at most 64 characters.',
  'join.name-invalid-characters': 'Your name contains characters that cannot be shown to others.',
  'join.anonymous-join-not-allowed':
    'This meeting does not allow guests. Sign in with your work account, or ask the organizer for help.',
  'join.meeting-full': 'This meeting is full. Try again later.',
  'join.failed': 'We could not join you to the meeting. Try again.',
  lobbyTitle: 'Waiting in the lobby',
  lobbyText: 'Someone in the meeting will let you in soon.',
  inMeetingTitle: 'You are in the meeting',
  leave: 'Leave',
  leftTitle: 'You left the meeting',
  leftText: 'You can close this tab, or rejoin with the meeting link.',
  rejoin: 'Rejoin',
} as const;

export type MessageKey = keyof typeof messages;
export type Catalog = Record<MessageKey, string>;
