/** Join by phone: the pools' dial-in numbers and each meeting's phone conference ID. */
import type { DialIn, DialInNumber } from '../../shared/api-schema';
import type { Db } from '../db';

interface NumberRow {
  region: string;
  number: string;
  display: string;
  toll_free: number;
}

export function addDialInNumber(db: Db, pool: string, entry: DialInNumber): void {
  db.prepare(
    'INSERT OR IGNORE INTO dialin_numbers (pool, region, number, display, toll_free) VALUES (?, ?, ?, ?, ?)',
  ).run(pool, entry.region.toUpperCase(), entry.number, entry.display, entry.tollFree ? 1 : 0);
}

/** A pool's numbers: by region, toll before toll-free, then in number order. */
export function dialInNumbersOf(db: Db, pool: string): DialInNumber[] {
  const rows = db
    .prepare(
      'SELECT region, number, display, toll_free FROM dialin_numbers WHERE pool = ? ORDER BY region, toll_free, number',
    )
    .all(pool) as NumberRow[];
  return rows.map((r) => ({ region: r.region, number: r.number, display: r.display, tollFree: r.toll_free === 1 }));
}

export function setMeetingDialIn(db: Db, meetingKey: string, conferenceId: string): void {
  db.prepare('UPDATE meetings SET dialin_conference_id = ? WHERE key = ?').run(conferenceId, meetingKey);
}

/** The meeting's phone conference ID, or undefined when it has none. */
export function dialInFor(db: Db, meetingKey: string): DialIn | undefined {
  const row = db.prepare('SELECT dialin_conference_id AS id FROM meetings WHERE key = ?').get(meetingKey) as
    | { id: string | null }
    | undefined;
  if (!row?.id) return undefined;
  return { conferenceId: row.id };
}

export function markMeetingEnded(db: Db, meetingKey: string, at: number): void {
  db.prepare('UPDATE meetings SET ended_at = ? WHERE key = ?').run(at, meetingKey);
}

/** When the meeting ended (ms since the epoch), or undefined while it can still be joined. */
export function meetingEndedAt(db: Db, meetingKey: string): number | undefined {
  const row = db.prepare('SELECT ended_at AS at FROM meetings WHERE key = ?').get(meetingKey) as
    | { at: number | null }
    | undefined;
  return row?.at ?? undefined;
}

export interface PoolDialInNumber extends DialInNumber {
  pool: string;
}

export function listDialInNumbers(db: Db, pool?: string): PoolDialInNumber[] {
  const rows = db
    .prepare(
      `SELECT pool, region, number, display, toll_free FROM dialin_numbers ${pool === undefined ? '' : 'WHERE pool = ?'}
       ORDER BY pool, region, toll_free, number`,
    )
    .all(...(pool === undefined ? [] : [pool])) as (NumberRow & { pool: string })[];
  return rows.map((r) => ({
    pool: r.pool,
    region: r.region,
    number: r.number,
    display: r.display,
    tollFree: r.toll_free === 1,
  }));
}

/** The pool that lists this number already, if any. */
export function poolWithNumber(db: Db, number: string): string | undefined {
  return (db.prepare('SELECT pool FROM dialin_numbers WHERE number = ?').get(number) as { pool: string } | undefined)
    ?.pool;
}

export function insertDialInNumber(db: Db, pool: string, entry: DialInNumber): void {
  db.prepare('INSERT INTO dialin_numbers (pool, region, number, display, toll_free) VALUES (?, ?, ?, ?, ?)').run(
    pool,
    entry.region.toUpperCase(),
    entry.number,
    entry.display,
    entry.tollFree ? 1 : 0,
  );
}

export function deleteDialInNumber(db: Db, pool: string, number: string): boolean {
  return db.prepare('DELETE FROM dialin_numbers WHERE pool = ? AND number = ?').run(pool, number).changes > 0;
}
