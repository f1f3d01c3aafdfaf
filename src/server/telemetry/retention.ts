/**
 * Retention: telemetry events older than the retention period (TELEMETRY_RETENTION_DAYS, 30 by
 * default) are deleted. The server purges at start and every hour; `npm run admin -- purge`
 * does it on demand (and `--OlderThanDays 0` deletes everything).
 *
 * The per-address counts of the daily quota (telemetry_address_daily) are kept for their UTC day
 * only: the ingest deletes earlier days' rows at its first commit of a day, and the hourly sweep
 * here does it too, for a pool that received nothing since midnight.
 */
import { engineOf } from '../sql/engine';
import type { Store } from '../sql/store';
import { utcDay } from './ingest-common';
import { cutoffFor, purgeInSlices, purgeInSlicesAsync } from './purge';

export const DEFAULT_RETENTION_DAYS = 30;
const PURGE_EVERY_MS = 3_600_000;

export function parseRetentionDays(raw: string | undefined): number {
  if (raw === undefined || raw === '') return DEFAULT_RETENTION_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    throw new Error(`TELEMETRY_RETENTION_DAYS must be a whole number of days from 1 to 3650, not "${raw}"`);
  }
  return days;
}

/** Deletes events received before `days` ago (all of them when days is 0), in slices; returns how many. */
export function purgeTelemetry(store: Store, days: number, now = Date.now(), pool?: string): Promise<number> {
  return purgeInSlices(store, days, now, pool);
}

export async function countOlderThan(store: Store, days: number, now = Date.now(), pool?: string): Promise<number> {
  const cutoff = cutoffFor(days, now);
  const row =
    pool === undefined
      ? await store.sql.get<{ n: number }>('SELECT COUNT(*) AS n FROM telemetry_events WHERE received_at < ?', [cutoff])
      : await store.sql.get<{ n: number }>(
          `SELECT COUNT(*) AS n FROM telemetry_events WHERE received_at < ? AND ${store.sql.fragments.eventPoolIs}`,
          [cutoff, pool],
        );
  return Number(row?.n ?? 0);
}

/** Deletes the per-address quota counts of the days before `now`'s UTC day; returns how many rows. */
export async function forgetPastAddressCounts(store: Store, now = Date.now()): Promise<number> {
  return (await store.sql.run('DELETE FROM telemetry_address_daily WHERE day < ?', [utcDay(now)])).changes;
}

/**
 * Purges now and then hourly while the server runs, in slices that yield to the event loop (one
 * purge at a time on this node); returns the stop function.
 */
export function scheduleRetention(
  store: Store,
  days: number,
  onError: (error: unknown) => void = () => {},
): () => void {
  let running = false;
  const purge = () => {
    if (running || !engineOf(store).isOpen()) return;
    running = true;
    // Best effort: a store that is locked or down now is swept at the next hour (or first batch).
    forgetPastAddressCounts(store).catch(() => {});
    purgeInSlicesAsync(store, days)
      .catch(onError)
      .finally(() => {
        running = false;
      });
  };
  purge();
  const timer = setInterval(purge, PURGE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
