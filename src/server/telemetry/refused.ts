/**
 * Telemetry events refused by the daily quota, per cause, as the report shows them: over the
 * pool's TelemetryMaxEventsPerDay, or over one client address's share of it (ingest-limits.ts).
 * `report --json` has `eventsRefused` (the sum, the earlier field) and `eventsRefusedByCause` per
 * pool and day, the text report one line per pool, `--Csv` two columns per day, `--Html` a tile.
 */
import type { Sql } from '../sql/sql';

export interface RefusedCounts {
  /** Over the pool's own daily quota. */
  poolQuota: number;
  /** Over one address's share of it. */
  addressShare: number;
}

const utcDate = (ms: number) => new Date(Math.min(Math.max(ms, 0), 8.64e15)).toISOString().slice(0, 10);

/**
 * Each quota day (UTC, as the ingest counts them) from `firstDay` to `lastDay` (`YYYY-MM-DD`) that
 * refused anything.
 */
export async function refusedByDay(
  sql: Sql,
  pool: string,
  firstDay: string,
  lastDay: string,
): Promise<Map<string, RefusedCounts>> {
  // The pool column is case-insensitive on both engines (NOCASE, CITEXT).
  const rows = await sql.all<{ day: string; refused: number; refused_address: number }>(
    'SELECT day, refused, refused_address FROM telemetry_daily WHERE pool = ? AND day >= ? AND day <= ?',
    [pool, firstDay, lastDay],
  );
  return new Map(rows.map((r) => [r.day, { poolQuota: Number(r.refused), addressShare: Number(r.refused_address) }]));
}

/** Events refused on the quota's days that overlap [start, end) in ms. */
export async function eventsRefused(
  sql: Sql,
  pool: string,
  start = 0,
  end = Number.MAX_SAFE_INTEGER,
): Promise<RefusedCounts> {
  const total: RefusedCounts = { poolQuota: 0, addressShare: 0 };
  for (const day of (await refusedByDay(sql, pool, utcDate(start), utcDate(end - 1))).values()) {
    total.poolQuota += day.poolQuota;
    total.addressShare += day.addressShare;
  }
  return total;
}

export const refusedTotal = (r: RefusedCounts) => r.poolQuota + r.addressShare;

export function refusedLine(refused: RefusedCounts): string {
  return `  over daily quota: ${refusedTotal(refused)} events refused (pool quota ${refused.poolQuota}, one address's share ${refused.addressShare})`;
}
