/**
 * Telemetry events refused over a pool's daily quota (TelemetryMaxEventsPerDay), as the report
 * shows them: `eventsRefused` in `report --json`, one line in the text report.
 */
import type { Sql } from '../sql/sql';

/**
 * Events refused for the pool on the quota's days (UTC, as the ingest counts them) that overlap
 * [start, end) in ms.
 */
export async function eventsRefused(sql: Sql, pool: string, start = 0, end = Number.MAX_SAFE_INTEGER): Promise<number> {
  const day = (ms: number) => new Date(Math.min(Math.max(ms, 0), 8.64e15)).toISOString().slice(0, 10);
  // The pool column is case-insensitive on both engines (NOCASE, CITEXT).
  const row = await sql.get<{ n: number }>(
    'SELECT COALESCE(SUM(refused), 0) AS n FROM telemetry_daily WHERE pool = ? AND day >= ? AND day <= ?',
    [pool, day(start), day(end - 1)],
  );
  return Number(row?.n ?? 0);
}

export function refusedLine(refused: number): string {
  return `  over daily quota: ${refused} events refused`;
}
