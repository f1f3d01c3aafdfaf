/**
 * The privacy notice's words (`privacy-notice`), the source for the other six. Apart from the main
 * catalog: the notice is a lazy chunk opened from `privacy-link`, so its words load only with it and
 * never weigh on the launcher. Every field `collectedCategories()` lists needs its
 * `field.<category>.<name>` label here (test/unit/privacy-notice.test.ts checks all seven).
 */
export const notice = {
  title: 'What this page sends',
  close: 'Close',
  off: 'This page sends no usage or error data, and stores nothing on your device for it.',
  on: 'This page sends usage and error data to the meeting service. It sends only what is listed here.',
  decidedBy:
    'The organization that runs this meeting service decides this for everyone who uses it. There is no setting for it in this page.',
  never:
    'Never sent: your name, chat messages, web addresses, meeting IDs, device names, audio or video. The service does not keep your IP address.',
  'category.census': 'About this device',
  'categoryNote.census': 'Once per visit.',
  'category.usage': 'How the meeting is used',
  'categoryNote.usage': 'Numbers only, added up before they are sent.',
  'category.errors': 'Error reports',
  'categoryNote.errors': 'When something goes wrong, at most 20 per visit. Web addresses are taken out first.',
  'category.performance': 'Speed and call quality',
  'categoryNote.performance':
    'How fast the page loads and, for each call, the network quality and how many devices there are.',
  'treatment.clear': 'sent as it is',
  'treatment.generated': 'a random ID made on this device, not linked to your name',
  'treatment.hashed-twice': 'scrambled (hashed) on this device, and again by the service before it is kept',
  'treatment.hashed-by-server': 'scrambled (hashed) by the service before it is kept',
  'treatment.count': 'a number only',
  'field.census.deviceId': 'Device ID',
  'field.census.appName': 'App name',
  'field.census.deviceModel': 'Device model',
  'field.census.osName': 'Operating system',
  'field.census.osVersion': 'Operating system version',
  'field.census.userLanguage': 'Your browser’s language',
  'field.census.userId': 'Your user ID',
  'field.usage.joinAttempt': 'Times you tried to join',
  'field.usage.joinSuccess': 'Times you joined',
  'field.usage.meetingMinutes': 'Minutes in the meeting',
  'field.usage.imSent': 'Chat messages sent (how many)',
  'field.usage.imReceived': 'Chat messages received (how many)',
  'field.usage.callsMade': 'Calls started',
  'field.usage.callMinutes': 'Minutes in calls',
  'field.usage.federationPartner': 'The organizer’s domain (such as contoso.com)',
  'field.usage.threadId': 'The meeting’s conversation ID, so meetings are counted per domain',
  'field.errors.code': 'Error code',
  'field.errors.message': 'Error message',
  'field.errors.stack': 'Where in the page’s code it happened',
  'field.errors.direction': 'Message direction (incoming or outgoing)',
  'field.errors.conversationState': 'Meeting state (such as joining)',
  'field.errors.threadId': 'The meeting’s conversation ID',
  'field.errors.userId': 'Your participant ID in the meeting',
  'field.performance.name': 'Page speed measure (LCP, INP, CLS, FCP, TTFB)',
  'field.performance.value': 'Its value',
  'field.performance.metricId': 'The measure’s random ID',
  'field.performance.samples': 'Number of quality samples',
  'field.performance.rttMsMedian': 'Round-trip time, median',
  'field.performance.rttMsP95': 'Round-trip time, 95th percentile',
  'field.performance.jitterMsMedian': 'Jitter, median',
  'field.performance.jitterMsP95': 'Jitter, 95th percentile',
  'field.performance.lossPctMedian': 'Packets lost, median',
  'field.performance.lossPctP95': 'Packets lost, 95th percentile',
  'field.performance.microphones': 'Number of microphones',
  'field.performance.cameras': 'Number of cameras',
  'field.performance.speakers': 'Number of speakers',
  'field.performance.micOn': 'Whether your microphone was on',
  'field.performance.cameraOn': 'Whether your camera was on',
} as const;

export type NoticeKey = keyof typeof notice;
export type NoticeCatalog = Record<NoticeKey, string>;
