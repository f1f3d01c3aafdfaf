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

export function listMeetingsOf(db: Db, pool: string): Meeting[] {
  return (db.prepare('SELECT * FROM meetings WHERE pool = ? ORDER BY key').all(pool) as MeetingRow[]).map(fromRow);
}

export function deleteMeeting(db: Db, key: string): boolean {
  return db.prepare('DELETE FROM meetings WHERE key = ?').run(key).changes > 0;
}

export function conferenceIdTaken(db: Db, organizer: string, conferenceId: string): boolean {
  return findMeeting(db, { organizer, conferenceId }) !== undefined;
}

export function phoneConferenceIdTaken(db: Db, pool: string, phoneId: string): boolean {
  return (
    db.prepare('SELECT 1 FROM meetings WHERE pool = ? AND dialin_conference_id = ?').get(pool, phoneId) !== undefined
  );
}

/** Of these live meeting keys, the ones that were removed or ended in the store (by the admin CLI). */
export function goneMeetingKeys(db: Db, keys: string[]): string[] {
  if (keys.length === 0) return [];
  const open = new Set(
    (
      db
        .prepare(`SELECT key FROM meetings WHERE ended_at IS NULL AND key IN (${keys.map(() => '?').join(',')})`)
        .all(...keys) as { key: string }[]
    ).map((r) => r.key),
  );
  return keys.filter((key) => !open.has(key));
}
