/**
 * What one client address and one pool may push through the ingest, keyed on what a client cannot
 * choose (`request.ip`, which honours a trusted proxy's forwarded address, and the pool the
 * request resolved to), never on the DeviceID in the body.
 *
 * Sized for a whole corporate network behind one address: a page sends at most one batch every
 * few seconds and some 10 to 20 events a minute, so 500 devices behind one NAT make ~2,000
 * batches and ~10,000 events a minute, a third of the per-address limits below.
 */
export interface IngestLimits {
  /** Batches per client address and pool per minute, checked before the body is read. */
  batchesPerAddressPerMinute: number;
  /** Events per client address and pool per minute. */
  eventsPerAddressPerMinute: number;
  /** Events per pool per minute, whoever sends them. */
  eventsPerPoolPerMinute: number;
  /**
   * The share of a pool's daily quota (TelemetryMaxEventsPerDay) that one client address may
   * store in a UTC day, from 0 to 1: past it that address is answered 429 until the next day while
   * the others keep sending (addressDailyQuota).
   */
  addressShareOfDailyQuota: number;
  /** Below this much free space on DATA_DIR's file system the ingest answers 507 and stores nothing. */
  minFreeBytes: number;
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  batchesPerAddressPerMinute: 6000,
  eventsPerAddressPerMinute: 30_000,
  eventsPerPoolPerMinute: 120_000,
  // At least ten addresses are needed to spend a pool's day: one address (one page in a loop, or a
  // whole network behind one NAT) can take a tenth, 100,000 events of the default 1,000,000.
  addressShareOfDailyQuota: 0.1,
  minFreeBytes: 512 * 1024 * 1024,
};

/** The events one address may store in a pool in a UTC day: its share of the pool's quota, at least 1. */
export function addressDailyQuota(poolMaxPerDay: number, share: number): number {
  if (!Number.isFinite(poolMaxPerDay)) return Number.POSITIVE_INFINITY;
  return Math.max(1, Math.floor(poolMaxPerDay * share));
}

/** Retry-After (seconds) of a 507: long enough for an admin to act, short enough to resume soon. */
export const DISK_FULL_RETRY_AFTER_S = 300;

export interface WindowCounter {
  /** Counts `n` against `key`; when that would pass the limit, counts nothing and says when to retry. */
  take(key: string, n: number): { ok: true } | { ok: false; retryAfterS: number };
}

/**
 * A fixed one-minute window per key. Every key of the past window is dropped at once when the
 * next begins, so memory stays bounded by the keys seen in one minute.
 */
export function windowCounter(limit: number, now: () => number = Date.now, windowMs = 60_000): WindowCounter {
  let window = -1;
  let counts = new Map<string, number>();
  return {
    take(key, n) {
      const t = now();
      const current = Math.floor(t / windowMs);
      if (current !== window) {
        window = current;
        counts = new Map();
      }
      const used = counts.get(key) ?? 0;
      if (used + n > limit) {
        return { ok: false, retryAfterS: Math.max(1, Math.ceil(((current + 1) * windowMs - t) / 1000)) };
      }
      counts.set(key, used + n);
      return { ok: true };
    },
  };
}
