/**
 * The statements live-postgres.ts is made of: its transactions (with the NOTIFYs they send at
 * commit), the meeting lock, participant reads and the event log's writes and reads.
 */
import type pg from 'pg';
import type { EndReason, Role, StreamEvent } from '../../shared/api-schema';
import type { MediaMode } from '../../shared/media-schema';
import type { LoggedEvent, MediaPeer, Participant, ParticipantState } from './live-model';
import type { RemovedMark } from './removed-marks';

/** The one channel every node LISTENs on. */
export const LIVE_CHANNEL = 'meet_live';

type Queryable = Pick<pg.Pool, 'query'>;

/** A transaction's client and the notifications it sends at commit. */
export interface Tx {
  c: pg.PoolClient;
  notify(payload: string): void;
}

export async function inTransaction<T>(pool: pg.Pool, work: (tx: Tx) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  const payloads: string[] = [];
  try {
    await c.query('BEGIN');
    const result = await work({ c, notify: (payload) => payloads.push(payload) });
    if (payloads.length > 0) {
      // Delivered at commit, in this order (one row per payload, in array order), to every node.
      await c.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [LIVE_CHANNEL, payloads]);
    }
    await c.query('COMMIT');
    return result;
  } catch (error) {
    await c.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    c.release();
  }
}

export interface MeetingRow {
  started_at: number;
  locked: boolean;
}

/** Locks the meeting's row for this transaction; undefined when it has none (everyone gone). */
export async function lockMeeting(c: pg.PoolClient, meetingKey: string): Promise<MeetingRow | undefined> {
  const { rows } = await c.query<MeetingRow>(
    'SELECT started_at, locked FROM live_meetings WHERE meeting_key = $1 FOR UPDATE',
    [meetingKey],
  );
  return rows[0];
}

export interface ParticipantRow {
  id: string;
  token: string;
  display_name: string;
  role: Role;
  state: ParticipantState;
  meeting_key: string;
  muted: boolean;
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
  muted: row.muted,
  joinedAt: row.joined_at,
  ...(row.end_reason && { endReason: row.end_reason }),
});

export async function participantRow(c: Queryable, id: string): Promise<ParticipantRow | undefined> {
  const { rows } = await c.query<ParticipantRow>(`SELECT ${PARTICIPANT_COLUMNS} FROM live_participants WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/** People of the meeting in this state (guests from this address, when given). */
export async function countIn(
  c: Queryable,
  meetingKey: string,
  state: ParticipantState,
  address?: string,
): Promise<number> {
  const { rows } =
    address === undefined
      ? await c.query<{ n: number }>(
          'SELECT count(*) AS n FROM live_participants WHERE meeting_key = $1 AND state = $2',
          [meetingKey, state],
        )
      : await c.query<{ n: number }>(
          `SELECT count(*) AS n FROM live_participants
           WHERE meeting_key = $1 AND state = $2 AND address = $3 AND role = 'guest'`,
          [meetingKey, state, address],
        );
  return Number(rows[0]?.n ?? 0);
}

/** Who the organizer removed from this meeting (the caller holds the meeting lock). */
export async function removedMarks(c: Queryable, meetingKey: string): Promise<RemovedMark[]> {
  const { rows } = await c.query<{ address: string | null; device: string | null; token_hash: string }>(
    'SELECT address, device, token_hash FROM live_removed WHERE meeting_key = $1 ORDER BY seq',
    [meetingKey],
  );
  return rows.map((r) => ({
    ...(r.address !== null && { address: r.address }),
    ...(r.device !== null && { device: r.device }),
    tokenHash: r.token_hash,
  }));
}

/** Everyone in the meeting or its lobby, in join order. */
export async function peopleOf(c: Queryable, meetingKey: string): Promise<Participant[]> {
  const { rows } = await c.query<ParticipantRow>(
    `SELECT ${PARTICIPANT_COLUMNS} FROM live_participants WHERE meeting_key = $1 AND state <> 'gone' ORDER BY seq`,
    [meetingKey],
  );
  return rows.map(participantOf);
}

export async function mediaPeersOf(c: Queryable, meetingKey: string): Promise<MediaPeer[]> {
  const { rows } = await c.query<{ id: string; media_mode: MediaMode | null }>(
    "SELECT id, media_mode FROM live_participants WHERE meeting_key = $1 AND state = 'in-meeting' ORDER BY seq",
    [meetingKey],
  );
  return rows.map((r) => ({ id: r.id, mode: r.media_mode ?? undefined }));
}

/**
 * Logs `event` for the participants `where` selects (the caller holds the meeting lock, under
 * which ids are allocated): one statement allocates the ids, writes the events and cuts each log
 * to its last `maxLogged` (an index range per participant; the DELETE does not see the rows being
 * inserted). Returns how many were written.
 */
export async function recordFor(
  c: pg.PoolClient,
  where: string,
  params: unknown[],
  event: StreamEvent,
  maxLogged: number,
): Promise<number> {
  const n = params.length;
  const { rows } = await c.query<{ written: number }>(
    `WITH bumped AS (
       UPDATE live_participants SET next_event_id = next_event_id + 1 WHERE ${where}
       RETURNING id, next_event_id - 1 AS event_id),
     written AS (
       INSERT INTO live_events (participant_id, event_id, event)
       SELECT id, event_id, $${n + 1} FROM bumped RETURNING 1),
     trimmed AS (
       DELETE FROM live_events e USING bumped b
       WHERE e.participant_id = b.id AND e.event_id <= b.event_id - $${n + 2})
     SELECT count(*) AS written FROM written`,
    [...params, JSON.stringify(event), maxLogged],
  );
  return Number(rows[0]?.written ?? 0);
}

/** A participant's logged events after `afterId`, in order, at most `limit`. */
export async function eventsAfter(
  c: Queryable,
  participantId: string,
  afterId: number,
  limit: number,
): Promise<LoggedEvent[]> {
  const { rows } = await c.query<{ event_id: number; event: string }>(
    'SELECT event_id, event FROM live_events WHERE participant_id = $1 AND event_id > $2 ORDER BY event_id LIMIT $3',
    [participantId, afterId, limit],
  );
  return rows.map((r) => ({ id: r.event_id, event: JSON.parse(r.event) as StreamEvent }));
}

export function groupByMeeting(rows: { id: string; meeting_key: string }[]): Map<string, string[]> {
  const grouped = new Map<string, string[]>();
  for (const row of rows) grouped.set(row.meeting_key, [...(grouped.get(row.meeting_key) ?? []), row.id]);
  return grouped;
}
