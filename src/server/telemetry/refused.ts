/**
 * Telemetry events refused over a pool's daily quota (TelemetryMaxEventsPerDay), as the report
 * shows them: `eventsRefused` in `report --json`, one line in the text report.
 */
import type { Db } from '../db';

export function eventsRefused(db: Db, pool: string): number {
  return db.prepare('SELECT COALESCE(SUM(refused), 0) FROM telemetry_daily WHERE pool = ?').pluck().get(pool) as number;
}

export function refusedLine(refused: number): string {
  return `  over daily quota: ${refused} events refused`;
}
