/** Join by phone: the pools' dial-in numbers and each meeting's phone conference ID. */
import type { DialIn, DialInNumber } from '../../shared/api-schema';
import type { Sql } from '../sql/sql';

interface NumberRow {
  region: string;
  number: string;
  display: string;
  toll_free: number;
}

const fromRow = (r: NumberRow): DialInNumber => ({
  region: r.region,
  number: r.number,
  display: r.display,
  tollFree: r.toll_free === 1,
});

const INSERT_NUMBER = 'INSERT INTO dialin_numbers (pool, region, number, display, toll_free) VALUES (?, ?, ?, ?, ?)';

const numberParams = (pool: string, entry: DialInNumber) => [
  pool,
  entry.region.toUpperCase(),
  entry.number,
  entry.display,
  entry.tollFree ? 1 : 0,
];

/** Adds a number unless the pool lists it already (the demo seed). */
export async function addDialInNumber(sql: Sql, pool: string, entry: DialInNumber): Promise<void> {
  await sql.run(`${INSERT_NUMBER} ON CONFLICT DO NOTHING`, numberParams(pool, entry));
}

/** A pool's numbers: by region, toll before toll-free, then in number order. */
export async function dialInNumbersOf(sql: Sql, pool: string): Promise<DialInNumber[]> {
  const rows = await sql.all<NumberRow>(
    'SELECT region, number, display, toll_free FROM dialin_numbers WHERE pool = ? ORDER BY region, toll_free, number',
    [pool],
  );
  return rows.map(fromRow);
}

export async function setMeetingDialIn(sql: Sql, meetingKey: string, conferenceId: string): Promise<void> {
  await sql.run('UPDATE meetings SET dialin_conference_id = ? WHERE key = ?', [conferenceId, meetingKey]);
}

/** The meeting's phone conference ID, or undefined when it has none. */
export async function dialInFor(sql: Sql, meetingKey: string): Promise<DialIn | undefined> {
  const row = await sql.get<{ id: string | null }>('SELECT dialin_conference_id AS id FROM meetings WHERE key = ?', [
    meetingKey,
  ]);
  if (!row?.id) return undefined;
  return { conferenceId: row.id };
}

export async function markMeetingEnded(sql: Sql, meetingKey: string, at: number): Promise<void> {
  await sql.run('UPDATE meetings SET ended_at = ? WHERE key = ?', [at, meetingKey]);
}

/** When the meeting ended (ms since the epoch), or undefined while it can still be joined. */
export async function meetingEndedAt(sql: Sql, meetingKey: string): Promise<number | undefined> {
  const row = await sql.get<{ at: number | null }>('SELECT ended_at AS at FROM meetings WHERE key = ?', [meetingKey]);
  return row?.at ?? undefined;
}

export interface PoolDialInNumber extends DialInNumber {
  pool: string;
}

export async function listDialInNumbers(sql: Sql, pool?: string): Promise<PoolDialInNumber[]> {
  const rows = await sql.all<NumberRow & { pool: string }>(
    `SELECT pool, region, number, display, toll_free FROM dialin_numbers ${pool === undefined ? '' : 'WHERE pool = ?'}
     ORDER BY pool, region, toll_free, number`,
    pool === undefined ? [] : [pool],
  );
  return rows.map((r) => ({ pool: r.pool, ...fromRow(r) }));
}

/** The pool that lists this number already, if any. */
export async function poolWithNumber(sql: Sql, number: string): Promise<string | undefined> {
  return (await sql.get<{ pool: string }>('SELECT pool FROM dialin_numbers WHERE number = ?', [number]))?.pool;
}

export async function insertDialInNumber(sql: Sql, pool: string, entry: DialInNumber): Promise<void> {
  await sql.run(INSERT_NUMBER, numberParams(pool, entry));
}

export async function deleteDialInNumber(sql: Sql, pool: string, number: string): Promise<boolean> {
  return (await sql.run('DELETE FROM dialin_numbers WHERE pool = ? AND number = ?', [pool, number])).changes > 0;
}
