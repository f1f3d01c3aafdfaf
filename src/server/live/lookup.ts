/**
 * The meeting lookup, as an answer (status and body): served by `GET /api/v1/meetings/...` and put
 * into the page the server sends for a meeting link (routes/page-boot.ts), so both say the same.
 */
import type { ApiError, MeetingInfo } from '../../shared/api-schema';
import { type MeetingRef, parseMeetingPath } from '../../shared/meeting-url';
import type { Sql } from '../sql/sql';
import { dialInFor, meetingEndedAt } from '../store/dialin';
import { federationDomain, findMeeting, type Meeting } from '../store/meetings';
import type { Pool } from '../topology/topology';

export type LookupAnswer =
  | { status: 200; body: MeetingInfo; meeting: Meeting }
  | { status: 400 | 404 | 410; body: ApiError & { endedAt?: number } };

/** The one answer for a meeting that has ended (the lookup, the page's first screen, a join). */
export function meetingEndedBody(endedAt: number): ApiError & { endedAt: number } {
  return { code: 'meeting-ended', message: 'This meeting has ended.', endedAt };
}

export function conferenceUri(meeting: Meeting): string {
  return `sip:${meeting.organizerUri};gruu;opaque=app:conf:focus:id:${meeting.conferenceId}`;
}

/** The meeting on this pool, or why not (400 invalid link, 404 not here, 410 ended). */
export async function findPoolMeeting(
  sql: Sql,
  pool: Pool,
  ref: Pick<MeetingRef, 'organizer' | 'conferenceId'>,
): Promise<Meeting | (ApiError & { status: 400 | 404 })> {
  const parsed = parseMeetingPath(`/${ref.organizer}/${ref.conferenceId}`);
  if (!parsed.ok) return { status: 400, code: 'invalid-link', message: 'This is not a valid meeting link.' };
  const meeting = await findMeeting(sql, parsed.meeting);
  if (!meeting || meeting.pool.toLowerCase() !== pool.fqdn.toLowerCase()) {
    return { status: 404, code: 'meeting-not-found', message: 'There is no such meeting on this server.' };
  }
  return meeting;
}

export async function lookupMeeting(
  sql: Sql,
  pool: Pool,
  ref: Pick<MeetingRef, 'organizer' | 'conferenceId'>,
): Promise<LookupAnswer> {
  const found = await findPoolMeeting(sql, pool, ref);
  if ('status' in found) {
    const { status, ...body } = found;
    return { status, body };
  }
  const endedAt = await meetingEndedAt(sql, found.key);
  if (endedAt !== undefined) {
    return { status: 410, body: meetingEndedBody(endedAt) };
  }
  const body: MeetingInfo = {
    organizer: found.organizer,
    conferenceId: found.conferenceId,
    subject: found.subject,
    organizerUri: found.organizerUri,
    federationDomain: federationDomain(found),
    conferenceUri: conferenceUri(found),
    lobby: found.lobby,
    dialIn: await dialInFor(sql, found.key),
  };
  return { status: 200, body, meeting: found };
}
