/**
 * Stores validated telemetry batches: every UserID is hashed again with the server's keyed HMAC,
 * events are deduplicated by id, and each request is answered only after the commit that holds
 * its batch returns.
 *
 * Group commit: with durable commits (WAL, synchronous=FULL) every transaction costs an fsync, so
 * batches that arrive while the event loop is busy are coalesced into one transaction that runs
 * on the next turn (setImmediate). Each caller's promise settles after that single commit.
 */
import { createHmac } from 'node:crypto';
import type { TelemetryBatch, TelemetryEvent } from '../../shared/telemetry-schema';
import type { Db } from '../db';

export interface IngestResult {
  stored: number;
  duplicates: number;
}

interface Job {
  pool: string;
  batch: TelemetryBatch;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

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
  submit(pool: string, batch: TelemetryBatch): Promise<IngestResult>;
  /** Stores at once, in its own transaction (tests, tools). */
  storeNow(pool: string, batch: TelemetryBatch): IngestResult;
  /** Commits the batches waiting for the next group commit now (shutdown). */
  flush(): void;
}

export function createIngest(db: Db, secret: Buffer, now: () => number = Date.now): Ingest {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO telemetry_events (id, pool, device_id, type, metric, value, received_at, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const hmac = (value: string) => createHmac('sha256', secret).update(value).digest('hex');

  const storeOne = (pool: string, batch: TelemetryBatch, receivedAt: number): IngestResult => {
    let stored = 0;
    for (const event of batch.events) {
      // The client already hashed census UserIDs; the server hashes every UserID again, so a
      // clear participant id (error reports) never reaches the disk.
      const userId = 'userId' in event ? event.userId : undefined;
      const record = userId === undefined ? event : { ...event, userId: hmac(userId) };
      const value = event.type === 'usage' || event.type === 'vital' ? event.value : null;
      const data = JSON.stringify(record);
      stored += insert.run(
        event.id,
        pool,
        batch.deviceId,
        event.type,
        metricOf(event),
        value,
        receivedAt,
        data,
      ).changes;
    }
    return { stored, duplicates: batch.events.length - stored };
  };

  const storeMany = db.transaction((jobs: Job[], receivedAt: number) =>
    jobs.map((job) => storeOne(job.pool, job.batch, receivedAt)),
  );
  const storeSingle = db.transaction(storeOne);

  let pending: Job[] = [];
  let scheduled = false;

  const commit = () => {
    if (pending.length === 0) return;
    const jobs = pending;
    pending = [];
    scheduled = false;
    let results: IngestResult[];
    try {
      results = storeMany(jobs, now());
    } catch (error) {
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      job.resolve(results[i] as IngestResult);
    });
  };

  return {
    submit(pool, batch) {
      return new Promise<IngestResult>((resolve, reject) => {
        pending.push({ pool, batch, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(commit);
        }
      });
    },
    storeNow: (pool, batch) => storeSingle(pool, batch, now()),
    flush: commit,
  };
}
