/**
 * Telemetry events refused over a pool's daily quota (TelemetryMaxEventsPerDay), as the report
 * shows them: `eventsRefused` in `report --json`, one line in the text report.
 */
import type { Db } from '../db';

/**
 * Events refused for the pool on the quota's days (UTC, as the ingest counts them) that overlap
 * [start, end) in ms.
 */
export function eventsRefused(db: Db, pool: string, start = 0, end = Number.MAX_SAFE_INTEGER): number {
  const day = (ms: number) => new Date(Math.min(Math.max(ms, 0), 8.64e15)).toISOString().slice(0, 10);
  return db
    .prepare('SELECT COALESCE(SUM(refused), 0) FROM telemetry_daily WHERE pool = ? AND day >= ? AND day <= ?')
    .pluck()
    .get(pool, day(start), day(end - 1)) as number;
}

export function refusedLine(refused: number): string {
  return `  over daily quota: ${refused} events refused`;
}
