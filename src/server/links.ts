/**
 * The links printed (admin CLI, `npm start`) or returned (scheduling API) for a meeting. In
 * production they are `https://<the pool's first web host>/...` (a real deployment serves 443,
 * itself or behind its proxy); only the demo prints `http://<host>:<port>/...`.
 */
import type { Db } from './db';
import type { Meeting } from './store/meetings';
import { hostsOf } from './topology';

export type LinkStyle = { kind: 'https' } | { kind: 'http'; port: number };

export interface MeetingLinks {
  guestLink: string;
  organizerLink: string;
}

export function baseUrlOf(db: Db, pool: string, style: LinkStyle): string {
  const host = hostsOf(db, pool)[0] ?? 'localhost';
  return style.kind === 'https' ? `https://${host}` : `http://${host}:${style.port}`;
}

export function meetingLinks(db: Db, meeting: Meeting, style: LinkStyle): MeetingLinks {
  const guestLink = `${baseUrlOf(db, meeting.pool, style)}/${meeting.organizer}/${meeting.conferenceId}`;
  return { guestLink, organizerLink: `${guestLink}#organizerKey=${meeting.organizerKey}` };
}
