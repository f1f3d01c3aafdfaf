/** The meetings directory: who organizes each meeting, on which pool, and how guests get in. */
import { type MeetingRef, meetingKey } from '../../shared/meeting-url';
import type { Sql } from '../sql/sql';

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

const COLUMNS = 'key, organizer, conference_id, pool, organizer_uri, subject, lobby, organizer_key';

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

export async function findMeeting(
  sql: Sql,
  ref: Pick<MeetingRef, 'organizer' | 'conferenceId'>,
): Promise<Meeting | undefined> {
  const row = await sql.get<MeetingRow>(`SELECT ${COLUMNS} FROM meetings WHERE key = ?`, [meetingKey(ref)]);
  return row && fromRow(row);
}

export async function listMeetings(sql: Sql): Promise<Meeting[]> {
  return (await sql.all<MeetingRow>(`SELECT ${COLUMNS} FROM meetings ORDER BY pool, key`)).map(fromRow);
}

/** Adds a meeting unless its key is taken (the demo seed). */
export async function addMeeting(sql: Sql, meeting: Omit<Meeting, 'key'>): Promise<void> {
  await sql.run(`INSERT INTO meetings (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, [
    meetingKey(meeting),
    meeting.organizer,
    meeting.conferenceId,
    meeting.pool,
    meeting.organizerUri,
    meeting.subject,
    meeting.lobby ? 1 : 0,
    meeting.organizerKey,
  ]);
}

/** The organizer's SIP domain (FederationPartner in telemetry). */
export function federationDomain(meeting: Meeting): string {
  return meeting.organizerUri.split('@')[1]?.toLowerCase() ?? '';
}

export async function listMeetingsOf(sql: Sql, pool: string): Promise<Meeting[]> {
  return (await sql.all<MeetingRow>(`SELECT ${COLUMNS} FROM meetings WHERE pool = ? ORDER BY key`, [pool])).map(
    fromRow,
  );
}

export async function deleteMeeting(sql: Sql, key: string): Promise<boolean> {
  return (await sql.run('DELETE FROM meetings WHERE key = ?', [key])).changes > 0;
}

export async function conferenceIdTaken(sql: Sql, organizer: string, conferenceId: string): Promise<boolean> {
  return (await findMeeting(sql, { organizer, conferenceId })) !== undefined;
}

export async function phoneConferenceIdTaken(sql: Sql, pool: string, phoneId: string): Promise<boolean> {
  return (
    (await sql.get('SELECT 1 AS taken FROM meetings WHERE pool = ? AND dialin_conference_id = ?', [pool, phoneId])) !==
    undefined
  );
}

/** Of these live meeting keys, the ones that were removed or ended in the store (by the admin CLI). */
export async function goneMeetingKeys(sql: Sql, keys: string[]): Promise<string[]> {
  if (keys.length === 0) return [];
  const rows = await sql.all<{ key: string }>(
    `SELECT key FROM meetings WHERE ended_at IS NULL AND key IN (${keys.map(() => '?').join(',')})`,
    keys,
  );
  const open = new Set(rows.map((r) => r.key));
  return keys.filter((key) => !open.has(key));
}
