/**
 * One line per error code the page reports, so `report` says what a code means. Codes are
 * `<where>:<service code>` (where: lookup, join, chat) or a code of the page itself.
 */

const PAGE_CODES: Record<string, string> = {
  'uncaught-error': 'A script error the page did not handle',
  'unhandled-rejection': 'A failed promise the page did not handle',
  'stream:dropped': 'The meeting’s live connection dropped (the page reconnected)',
  'stream:refused': 'The service no longer knew the participant (server restart or removed)',
  unknown: 'An error with a malformed code',
  '(other)': 'Codes past the 50 most frequent of a quarter hour, counted together',
};

const WHERE: Record<string, string> = {
  lookup: 'Opening the meeting link failed',
  join: 'Joining failed',
  chat: 'Sending a chat message failed',
};

const SERVICE_CODES: Record<string, string> = {
  'meeting-not-found': 'no such meeting',
  'meeting-ended': 'the meeting had ended',
  'invalid-link': 'the link is not a meeting link',
  'bad-path': 'the link has a malformed path',
  'not-found': 'the service did not know the address',
  'name-required': 'no name given',
  'name-too-long': 'name longer than 64 characters',
  'name-invalid-characters': 'name with control or bidi characters',
  'anonymous-join-not-allowed': 'the pool does not allow guests',
  'organizer-key-invalid': 'a wrong organizer link',
  'meeting-full': 'the meeting had 250 participants',
  'lobby-denied': 'the organizer denied entry',
  'lobby-timeout': '15 minutes in the lobby without being admitted',
  'chat-empty': 'empty message',
  'chat-too-long': 'message longer than 2,000 characters',
  'chat-invalid-characters': 'message with control characters',
  'chat-rate-limited': 'more than 30 messages in a minute',
  'not-a-participant': 'the participant’s credentials were refused',
  'no-longer-in-meeting': 'the participant had left or was removed',
  'not-in-meeting': 'the participant was not in the meeting yet',
  'organizer-only': 'only the organizer may do this',
  offline: 'the device was offline',
  'service-unreachable': 'the service could not be reached or failed (5xx)',
  'rate-limited': 'too many requests from this address',
  'not-in-lobby': 'the guest had already left the lobby',
  'bad-request': 'the service refused a malformed request',
  unexpected: 'an unexpected answer from the service',
};

/** The meaning of a code, or undefined for a code this version does not know. */
export function errorMeaning(code: string): string | undefined {
  if (code in PAGE_CODES) return PAGE_CODES[code];
  const colon = code.indexOf(':');
  if (colon < 0) return undefined;
  const where = WHERE[code.slice(0, colon)];
  const what = SERVICE_CODES[code.slice(colon + 1)];
  if (!where) return undefined;
  return what ? `${where}: ${what}` : `${where} (service code ${code.slice(colon + 1)})`;
}
