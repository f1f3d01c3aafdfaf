/** The meetings directory: who organizes each meeting, on which pool, and how guests get in. */
import { type MeetingRef, meetingKey } from '../../shared/meeting-url';
import type { Db } from '../db';

export interface Meeting {
  key: string;
  organizer: string;
  conferenceId: string;
  pool: string;
  organizerUri: string;
  subject: string;
  lobby: boolean;
  organizerKey: string;
}

interface MeetingRow {
  key: string;
  organizer: string;
  conference_id: string;
  pool: string;
  organizer_uri: string;
  subject: string;
  lobby: number;
  organizer_key: string;
}

function fromRow(row: MeetingRow): Meeting {
  return {
    key: row.key,
    organizer: row.organizer,
    conferenceId: row.conference_id,
    pool: row.pool,
    organizerUri: row.organizer_uri,
    subject: row.subject,
    lobby: row.lobby === 1,
    organizerKey: row.organizer_key,
  };
}

export function findMeeting(db: Db, ref: Pick<MeetingRef, 'organizer' | 'conferenceId'>): Meeting | undefined {
  const row = db.prepare('SELECT * FROM meetings WHERE key = ?').get(meetingKey(ref)) as MeetingRow | undefined;
  return row && fromRow(row);
}

export function listMeetings(db: Db): Meeting[] {
  return (db.prepare('SELECT * FROM meetings ORDER BY pool, key').all() as MeetingRow[]).map(fromRow);
}

export function addMeeting(db: Db, meeting: Omit<Meeting, 'key'>): void {
  db.prepare(
    `INSERT OR IGNORE INTO meetings (key, organizer, conference_id, pool, organizer_uri, subject, lobby, organizer_key)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    meetingKey(meeting),
    meeting.organizer,
    meeting.conferenceId,
    meeting.pool,
    meeting.organizerUri,
    meeting.subject,
    meeting.lobby ? 1 : 0,
    meeting.organizerKey,
  );
}

/** The organizer's SIP domain (FederationPartner in telemetry). */
export function federationDomain(meeting: Meeting): string {
  return meeting.organizerUri.split('@')[1]?.toLowerCase() ?? '';
}
