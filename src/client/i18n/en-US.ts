/** The source catalog. Every key here must exist in every other catalog. */
export const messages = {
  loading: 'Loading your meeting…',
  joinMeetingTitle: 'Join meeting',
  organizedBy: 'Organized by {organizer}',
  joinWeb: 'Join in this browser',
  downloadApp: 'Get the app',
  downloadAppNote: 'opens in a new tab',
  errorTitle: 'We could not open this meeting',
  'error.invalid-link':
    'This link is not a valid meeting link. Check the link in your invitation, or ask the organizer to send it again.',
  'error.meeting-not-found':
    'We could not find this meeting. It may have been cancelled, or the link may belong to another organization.',
  'error.service-unreachable': 'We could not reach the meeting service. Check your connection and try again.',
  'error.offline': 'You are offline. Connect to the internet and try again.',
  'error.unexpected': 'Something went wrong while opening this meeting. Try again in a moment.',
  retry: 'Try again',
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
