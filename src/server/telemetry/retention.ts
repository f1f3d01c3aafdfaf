/**
 * Retention: telemetry events older than the retention period (TELEMETRY_RETENTION_DAYS, 30 by
 * default) are deleted. The server purges at start and every hour; `npm run admin -- purge`
 * does it on demand (and `--OlderThanDays 0` deletes everything).
 */
import type { Db } from '../db';
import { purgeRollups } from './report/rollup';

export const DEFAULT_RETENTION_DAYS = 30;
const DAY_MS = 86_400_000;
const PURGE_EVERY_MS = 3_600_000;

export function parseRetentionDays(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(`TELEMETRY_RETENTION_DAYS must be a whole number of days from 1 to 3650, not "${raw}"`);
  }
  return days;
}

/** Deletes events received before `days` ago (all of them when days is 0); returns how many. */
export function purgeTelemetry(db: Db, days: number, now = Date.now(), pool?: string): number {
  const cutoff = days === 0 ? Number.MAX_SAFE_INTEGER : now - days * DAY_MS;
  return db.transaction(() => {
    // The report's roll-ups of those days go with the events.
    purgeRollups(db, cutoff, pool);
    if (pool === undefined) {
      return db.prepare('DELETE FROM telemetry_events WHERE received_at < ?').run(cutoff).changes;
    }
    return db
      .prepare('DELETE FROM telemetry_events WHERE received_at < ? AND pool = ? COLLATE NOCASE')
      .run(cutoff, pool).changes;
  })();
}

export function countOlderThan(db: Db, days: number, now = Date.now(), pool?: string): number {
  const cutoff = days === 0 ? Number.MAX_SAFE_INTEGER : now - days * DAY_MS;
  const row =
    pool === undefined
      ? db.prepare('SELECT COUNT(*) AS n FROM telemetry_events WHERE received_at < ?').get(cutoff)
      : db
          .prepare('SELECT COUNT(*) AS n FROM telemetry_events WHERE received_at < ? AND pool = ? COLLATE NOCASE')
          .get(cutoff, pool);
  return (row as { n: number }).n;
}

/** Purges now and then hourly while the server runs; returns the stop function. */
export function scheduleRetention(db: Db, days: number): () => void {
  const purge = () => {
    if (db.open) purgeTelemetry(db, days);
  };
  purge();
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
