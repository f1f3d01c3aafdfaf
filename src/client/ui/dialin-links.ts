/**
 * Links between a meeting and the /dialin page. `/dialin?conferenceId=...&meeting=...` keeps the
 * meeting's conference ID (its tel: links dial it) and links back to the meeting. Both values are
 * checked on the way in: the ID is digits only, the meeting a valid meeting path on this origin,
 * so no query can make the page link elsewhere.
 */
import { parseMeetingPath } from '../../shared/meeting-url';
import { currentLocale } from '../i18n/t';

/** The reader's region, from the page's language (`de-DE` → DE): their numbers come first. */
export function ownRegion(): string {
  return currentLocale().split('-')[1] ?? '';
}

export function dialInPageLink(conferenceId: string, meetingPath: string): string {
  return `/dialin?${new URLSearchParams({ conferenceId, meeting: meetingPath })}`;
}

export interface DialInContext {
  conferenceId?: string;
  meetingPath?: string;
}

export function readDialInContext(search: string): DialInContext {
  const params = new URLSearchParams(search);
  const id = params.get('conferenceId') ?? '';
  const path = params.get('meeting') ?? '';
  const isMeeting = /^\/[A-Za-z0-9._~/-]{1,300}$/.test(path) && !path.startsWith('//') && parseMeetingPath(path).ok;
  return {
    conferenceId: /^\d{4,20}$/.test(id) ? id : undefined,
    meetingPath: isMeeting ? path : undefined,
  };
}
