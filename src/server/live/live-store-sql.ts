/**
 * The statements live-store.ts is made of: its transactions (with the messages they send at
 * commit), the meeting lock, participant reads and the event log's writes and reads. Written once
 * for both engines (`Sql`, `?` placeholders, lists expanded here, no arrays): booleans come back
 * as 0/1 from SQLite and are read with Boolean().
 */

import type { EndReason, Role, StreamEvent } from '../../shared/api-schema';
import type { MediaMode } from '../../shared/media-schema';
import type { Sql } from '../sql/sql';
import type { LoggedEvent, MediaPeer, Participant, ParticipantState } from './live-model';
import type { Notifier } from './live-notifier';
import type { RemovedMark } from './removed-marks';

/** A transaction's `Sql` and the messages it sends at commit. */
export interface Tx {
  c: Sql;
  notify(payload: string): void;
}

/** `?, ?, ?` for a list of parameters (never empty: callers skip empty lists). */
export const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export async function inTransaction<T>(sql: Sql, notifier: Notifier, work: (tx: Tx) => Promise<T>): Promise<T> {
  const payloads: string[] = [];
  const result = await sql.transaction(async (c) => {
    payloads.length = 0;
    const done = await work({ c, notify: (payload) => payloads.push(payload) });
    if (payloads.length > 0) await notifier.beforeCommit(c, payloads);
    return done;
  });
  if (payloads.length > 0) notifier.afterCommit(payloads);
  return result;
}

export interface MeetingRow {
  started_at: number;
  locked: boolean;
}

/** Locks the meeting's row for this transaction; undefined when it has none (everyone gone). */
export async function lockMeeting(c: Sql, meetingKey: string): Promise<MeetingRow | undefined> {
  const row = await c.get<{ started_at: number; locked: boolean | number }>(
    `SELECT started_at, locked FROM live_meetings WHERE meeting_key = ?${c.fragments.forUpdate}`,
    [meetingKey],
  );
  return row && { started_at: Number(row.started_at), locked: Boolean(row.locked) };
}

export interface ParticipantRow {
  id: string;
  token: string;
  display_name: string;
  role: Role;
  state: ParticipantState;
  meeting_key: string;
  muted: boolean | number;
  joined_at: number;
  end_reason: EndReason | null;
}

export const PARTICIPANT_COLUMNS = 'id, token, display_name, role, state, meeting_key, muted, joined_at, end_reason';

export const participantOf = (row: ParticipantRow): Participant => ({
  id: row.id,
  token: row.token,
  displayName: row.display_name,
  role: row.role,
  state: row.state,
  meetingKey: row.meeting_key,
  muted: Boolean(row.muted),
  joinedAt: Number(row.joined_at),
  ...(row.end_reason && { endReason: row.end_reason }),
});

export async function participantRow(c: Sql, id: string): Promise<ParticipantRow | undefined> {
  return c.get<ParticipantRow>(`SELECT ${PARTICIPANT_COLUMNS} FROM live_participants WHERE id = ?`, [id]);
}

/** People of the meeting in this state (guests from this address, when given). */
export async function countIn(c: Sql, meetingKey: string, state: ParticipantState, address?: string): Promise<number> {
  const row =
    address === undefined
      ? await c.get<{ n: number }>('SELECT count(*) AS n FROM live_participants WHERE meeting_key = ? AND state = ?', [
          meetingKey,
          state,
        ])
      : await c.get<{ n: number }>(
          `SELECT count(*) AS n FROM live_participants
           WHERE meeting_key = ? AND state = ? AND address = ? AND role = 'guest'`,
          [meetingKey, state, address],
        );
  return Number(row?.n ?? 0);
}

/** Who the organizer removed from this meeting (the caller holds the meeting lock). */
export async function removedMarks(c: Sql, meetingKey: string): Promise<RemovedMark[]> {
  const rows = await c.all<{ address: string | null; device: string | null; token_hash: string }>(
    'SELECT address, device, token_hash FROM live_removed WHERE meeting_key = ? ORDER BY seq',
    [meetingKey],
  );
  return rows.map((r) => ({
    ...(r.address !== null && { address: r.address }),
    ...(r.device !== null && { device: r.device }),
    tokenHash: r.token_hash,
  }));
}

/** Everyone in the meeting or its lobby, in join order. */
export async function peopleOf(c: Sql, meetingKey: string): Promise<Participant[]> {
  const rows = await c.all<ParticipantRow>(
    `SELECT ${PARTICIPANT_COLUMNS} FROM live_participants WHERE meeting_key = ? AND state <> 'gone' ORDER BY seq`,
    [meetingKey],
  );
  return rows.map(participantOf);
}

export async function mediaPeersOf(c: Sql, meetingKey: string): Promise<MediaPeer[]> {
  const rows = await c.all<{ id: string; media_mode: MediaMode | null }>(
    "SELECT id, media_mode FROM live_participants WHERE meeting_key = ? AND state = 'in-meeting' ORDER BY seq",
    [meetingKey],
  );
  return rows.map((r) => ({ id: r.id, mode: r.media_mode ?? undefined }));
}

/**
 * Logs `event` for the participants `where` selects (the caller holds the meeting lock, under
 * which ids are allocated): their ids are bumped, the events written in one statement and each log
 * cut to its last `maxLogged`. Returns how many were written.
 */
export async function recordFor(
  c: Sql,
  where: string,
  params: string[],
  event: StreamEvent,
  maxLogged: number,
): Promise<number> {
  const bumped = await c.all<{ id: string; event_id: number }>(
    `UPDATE live_participants SET next_event_id = next_event_id + 1 WHERE ${where}
     RETURNING id, next_event_id - 1 AS event_id`,
    params,
  );
  if (bumped.length === 0) return 0;
  const text = JSON.stringify(event);
  await c.run(
    `INSERT INTO live_events (participant_id, event_id, event) VALUES ${bumped.map(() => '(?, ?, ?)').join(', ')}`,
    bumped.flatMap((b) => [b.id, Number(b.event_id), text]),
  );
  const ids = bumped.map((b) => b.id);
  await c.run(
    `DELETE FROM live_events WHERE participant_id IN (${marks(ids.length)}) AND event_id <= (
       SELECT p.next_event_id - 1 - ? FROM live_participants p WHERE p.id = live_events.participant_id)`,
    [...ids, maxLogged],
  );
  return bumped.length;
}

/** A participant's logged events after `afterId`, in order, at most `limit`. */
export async function eventsAfter(
  c: Sql,
  participantId: string,
  afterId: number,
  limit: number,
): Promise<LoggedEvent[]> {
  const rows = await c.all<{ event_id: number; event: string }>(
    'SELECT event_id, event FROM live_events WHERE participant_id = ? AND event_id > ? ORDER BY event_id LIMIT ?',
    [participantId, afterId, limit],
  );
  return rows.map((r) => ({ id: Number(r.event_id), event: JSON.parse(r.event) as StreamEvent }));
}

export function groupByMeeting(rows: { id: string; meeting_key: string }[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const row of rows) grouped.set(row.meeting_key, [...(grouped.get(row.meeting_key) ?? []), row.id]);
  return grouped;
}
