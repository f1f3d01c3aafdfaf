/**
 * The links printed (admin CLI, `npm start`) or returned (scheduling API) for a meeting. In
 * production they are `https://<the pool's first web host>/...` (a real deployment serves 443,
 * itself or behind its proxy); only the demo prints `http://<host>:<port>/...`.
 */
import type { Sql } from '../sql/sql';
import type { Meeting } from '../store/meetings';
import { hostsOf } from './topology';

export type LinkStyle = { kind: 'https' } | { kind: 'http'; port: number };

export interface MeetingLinks {
  guestLink: string;
  organizerLink: string;
}

export async function baseUrlOf(sql: Sql, pool: string, style: LinkStyle): Promise<string> {
  const host = (await hostsOf(sql, pool))[0] ?? 'localhost';
  return style.kind === 'https' ? `https://${host}` : `http://${host}:${style.port}`;
}

export async function meetingLinks(sql: Sql, meeting: Meeting, style: LinkStyle): Promise<MeetingLinks> {
  const guestLink = `${await baseUrlOf(sql, meeting.pool, style)}/${meeting.organizer}/${meeting.conferenceId}`;
  return { guestLink, organizerLink: `${guestLink}#organizerKey=${meeting.organizerKey}` };
}
