/**
 * Stores validated telemetry batches: every UserID is hashed again with the server's keyed HMAC,
 * events are deduplicated by id, and each request is answered only after the commit that holds
 * its batch returns.
 *
 * Group commit: with durable commits (WAL, synchronous=FULL, db.ts) every transaction costs an
 * fsync, so batches that arrive while the event loop is busy are coalesced into one transaction
 * that runs on the next turn (setImmediate). Each caller's promise settles after that single commit.
 *
 * Daily quota: a pool stores at most its TelemetryMaxEventsPerDay events per UTC day; the rest of
 * that day's events are acknowledged, not stored, and counted as refused (telemetry_daily), so the
 * report can say how many.
 *
 * Never blocking: the server's connection does not wait for a lock (app.ts). When another process
 * (the admin CLI) holds it, the commit is tried again on a timer, for up to BUSY_GIVE_UP_MS.
 */
import { createHmac } from 'node:crypto';
import type { TelemetryBatch, TelemetryEvent } from '../../shared/telemetry-schema';
import type { Db } from '../db';
import { isBusy } from '../storage/disk';

export interface IngestResult {
  stored: number;
  duplicates: number;
  /** Past the pool's daily quota: acknowledged, not stored. */
  refused: number;
}

interface Job {
  pool: string;
  batch: TelemetryBatch;
  maxPerDay: number;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

/** Thrown to callers whose commit could not get the write lock in time. */
export class StoreBusyError extends Error {}

const BUSY_RETRY_MS = 10;
const BUSY_GIVE_UP_MS = 10_000;

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The column that the report groups by: the usage metric, the vital's name or the error code. */
function metricOf(event: TelemetryEvent): string | null {
  switch (event.type) {
    case 'usage':
      return event.metric;
    case 'vital':
      return event.name;
    case 'error':
      return event.code;
    default:
      return null;
  }
}

export interface Ingest {
  /** Queues a batch for the next group commit; resolves once it is durably stored. */
  submit(pool: string, batch: TelemetryBatch, maxPerDay?: number): Promise<IngestResult>;
  /** Stores at once, in its own transaction (tests, tools). */
  storeNow(pool: string, batch: TelemetryBatch, maxPerDay?: number): IngestResult;
  /** Commits the batches waiting for the next group commit now (shutdown). */
  flush(): void;
}

export function createIngest(db: Db, secret: Buffer, now: () => number = Date.now): Ingest {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO telemetry_events (id, pool, device_id, type, metric, value, received_at, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const hmac = (value: string) => createHmac('sha256', secret).update(value).digest('hex');

  const storedToday = db.prepare('SELECT stored FROM telemetry_daily WHERE pool = ? AND day = ?').pluck();
  const countDay = db.prepare(
    `INSERT INTO telemetry_daily (pool, day, stored, refused) VALUES (?, ?, ?, ?)
     ON CONFLICT (pool, day) DO UPDATE SET stored = stored + excluded.stored, refused = refused + excluded.refused`,
  );

  /** Per pool within one transaction: today's stored count, and what this transaction added. */
  type Quota = Map<string, { pool: string; today: number; stored: number; refused: number }>;

  const storeOne = (
    pool: string,
    batch: TelemetryBatch,
    maxPerDay: number,
    day: string,
    receivedAt: number,
    quota: Quota,
  ) => {
    const key = pool.toLowerCase();
    let counts = quota.get(key);
    if (!counts) {
      counts = { pool, today: (storedToday.get(pool, day) as number | undefined) ?? 0, stored: 0, refused: 0 };
      quota.set(key, counts);
    }
    let stored = 0;
    let refused = 0;
    for (const event of batch.events) {
      if (counts.today >= maxPerDay) {
        refused++;
        continue;
      }
      // The client already hashed census UserIDs; the server hashes every UserID again, so a
      // clear participant id (error reports) never reaches the disk.
      const userId = 'userId' in event ? event.userId : undefined;
      const record = userId === undefined ? event : { ...event, userId: hmac(userId) };
      const value = event.type === 'usage' || event.type === 'vital' ? event.value : null;
      const data = JSON.stringify(record);
      const changes = insert.run(
        event.id,
        pool,
        batch.deviceId,
        event.type,
        metricOf(event),
        value,
        receivedAt,
        data,
      ).changes;
      stored += changes;
      counts.today += changes;
    }
    counts.stored += stored;
    counts.refused += refused;
    return { stored, duplicates: batch.events.length - stored - refused, refused };
  };

  /** One row update per pool and transaction, however many batches it held. */
  const countDays = (quota: Quota, day: string) => {
    for (const c of quota.values()) if (c.stored > 0 || c.refused > 0) countDay.run(c.pool, day, c.stored, c.refused);
  };

  const storeMany = db.transaction((jobs: Job[], receivedAt: number) => {
    const quota: Quota = new Map();
    const day = utcDay(receivedAt);
    const results = jobs.map((job) => storeOne(job.pool, job.batch, job.maxPerDay, day, receivedAt, quota));
    countDays(quota, day);
    return results;
  });
  const storeSingle = db.transaction((pool: string, batch: TelemetryBatch, maxPerDay: number, receivedAt: number) => {
    const quota: Quota = new Map();
    const day = utcDay(receivedAt);
    const result = storeOne(pool, batch, maxPerDay, day, receivedAt, quota);
    countDays(quota, day);
    return result;
  });

  let pending: Job[] = [];
  let scheduled = false;
  let busySince: number | undefined;

  const commit = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const jobs = pending;
    let results: IngestResult[];
    try {
      results = storeMany.immediate(jobs, now());
    } catch (error) {
      let failure = error;
      if (isBusy(error)) {
        busySince ??= Date.now();
        if (Date.now() - busySince < BUSY_GIVE_UP_MS) {
          // Keep the jobs (and any that arrive meanwhile) for the next try.
          scheduled = true;
          setTimeout(commit, BUSY_RETRY_MS);
          return;
        }
        failure = new StoreBusyError('the store stayed locked by another process');
      }
      busySince = undefined;
      pending = [];
      for (const job of jobs) job.reject(failure);
      return;
    }
    busySince = undefined;
    pending = [];
    jobs.forEach((job, i) => {
      job.resolve(results[i] as IngestResult);
    });
  };

  return {
    submit(pool, batch, maxPerDay = Number.POSITIVE_INFINITY) {
      return new Promise<IngestResult>((resolve, reject) => {
        pending.push({ pool, batch, maxPerDay, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(commit);
        }
      });
    },
    storeNow: (pool, batch, maxPerDay = Number.POSITIVE_INFINITY) => storeSingle(pool, batch, maxPerDay, now()),
    flush: commit,
  };
}
