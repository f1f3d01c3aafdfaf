/**
 * The ingest on the embedded SQLite store (better-sqlite3, synchronous).
 *
 * Group commit: with durable commits (WAL, synchronous=FULL, sql/sqlite-db.ts) every transaction costs an
 * fsync, so batches that arrive while the event loop is busy are coalesced into one transaction
 * that runs on the next turn (setImmediate). Each caller's promise settles after that single commit.
 *
 * Never blocking: the server's connection does not wait for a lock (http/app.ts). When another process
 * (the admin CLI) holds it, the commit is tried again on a timer, for up to BUSY_GIVE_UP_MS.
 */
import type { TelemetryBatch } from '../../shared/telemetry-schema';
import { isBusy } from '../disk/disk';
import type { Db } from '../sql/sqlite-db';
import {
  addressKey,
  eventRow,
  type Ingest,
  type IngestResult,
  type Sender,
  StoreBusyError,
  userIdHasher,
  utcDay,
} from './ingest-common';

interface Job {
  pool: string;
  batch: TelemetryBatch;
  maxPerDay: number;
  sender?: Sender;
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

const BUSY_RETRY_MS = 10;
const BUSY_GIVE_UP_MS = 10_000;

export function createSqliteIngest(db: Db, secret: Buffer, now: () => number = Date.now): Ingest {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO telemetry_events (id, pool, device_id, type, metric, value, received_at, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const hash = userIdHasher(secret);

  const storedToday = db.prepare('SELECT stored FROM telemetry_daily WHERE pool = ? AND day = ?').pluck();
  const countDay = db.prepare(
    `INSERT INTO telemetry_daily (pool, day, stored, refused, refused_address) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (pool, day) DO UPDATE SET stored = stored + excluded.stored, refused = refused + excluded.refused,
       refused_address = refused_address + excluded.refused_address`,
  );
  const addressToday = db
    .prepare('SELECT stored FROM telemetry_address_daily WHERE pool = ? AND day = ? AND address = ?')
    .pluck();
  const countAddress = db.prepare(
    `INSERT INTO telemetry_address_daily (pool, day, address, stored) VALUES (?, ?, ?, ?)
     ON CONFLICT (pool, day, address) DO UPDATE SET stored = stored + excluded.stored`,
  );
  const forgetPastDays = db.prepare('DELETE FROM telemetry_address_daily WHERE day < ?');
  /** The day whose earlier per-address counts were deleted: once per UTC day (and per start). */
  let forgotBefore = '';

  /** Per pool within one transaction: today's stored count, and what this transaction added. */
  type Quota = Map<string, { pool: string; today: number; stored: number; refused: number; overShare: number }>;
  /** Per pool and sender within one transaction: the same for the sender's share. */
  interface ShareCount {
    pool: string;
    address: string;
    today: number;
    stored: number;
  }
  type Shares = Map<string, ShareCount>;

  const storeOne = (
    job: Omit<Job, 'resolve' | 'reject'>,
    day: string,
    receivedAt: number,
    quota: Quota,
    shares: Shares,
  ) => {
    const { pool, batch, maxPerDay, sender } = job;
    const key = pool.toLowerCase();
    let counts = quota.get(key);
    if (!counts) {
      const today = (storedToday.get(pool, day) as number | undefined) ?? 0;
      counts = { pool, today, stored: 0, refused: 0, overShare: 0 };
      quota.set(key, counts);
    }
    let share: ShareCount | undefined;
    if (sender) {
      const address = addressKey(secret, day, sender.address);
      share = shares.get(`${key}|${address}`);
      if (!share) {
        const today = (addressToday.get(pool, day, address) as number | undefined) ?? 0;
        share = { pool, address, today, stored: 0 };
        shares.set(`${key}|${address}`, share);
      }
    }
    let stored = 0;
    let refused = 0;
    let overShare = 0;
    for (const event of batch.events) {
      if (counts.today >= maxPerDay) {
        refused++;
        continue;
      }
      if (share && share.today >= (sender as Sender).maxPerDay) {
        refused++;
        overShare++;
        continue;
      }
      const row = eventRow(event, hash);
      const changes = insert.run(
        row.id,
        pool,
        batch.deviceId,
        row.type,
        row.metric,
        row.value,
        receivedAt,
        row.data,
      ).changes;
      stored += changes;
      counts.today += changes;
      if (share) {
        share.today += changes;
        share.stored += changes;
      }
    }
    counts.stored += stored;
    counts.refused += refused;
    counts.overShare += overShare;
    return {
      stored,
      duplicates: batch.events.length - stored - refused,
      refused,
      refusedOverShare: overShare,
      at: receivedAt,
    };
  };

  /** One row update per pool (and sender) and transaction, however many batches it held. */
  const countDays = (quota: Quota, shares: Shares, day: string) => {
    for (const c of quota.values())
      if (c.stored > 0 || c.refused > 0) countDay.run(c.pool, day, c.stored, c.refused - c.overShare, c.overShare);
    for (const s of shares.values()) if (s.stored > 0) countAddress.run(s.pool, day, s.address, s.stored);
  };

  const storeMany = db.transaction((jobs: Omit<Job, 'resolve' | 'reject'>[], receivedAt: number) => {
    const quota: Quota = new Map();
    const shares: Shares = new Map();
    const day = utcDay(receivedAt);
    // Per-address counts live for their day only: the first commit of a day deletes the rest.
    if (forgotBefore !== day) forgetPastDays.run(day);
    const results = jobs.map((job) => storeOne(job, day, receivedAt, quota, shares));
    countDays(quota, shares, day);
    forgotBefore = day;
    return results;
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
    submit(pool, batch, maxPerDay = Number.POSITIVE_INFINITY, sender) {
      return new Promise<IngestResult>((resolve, reject) => {
        pending.push({ pool, batch, maxPerDay, sender, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(commit);
        }
      });
    },
    async storeNow(pool, batch, maxPerDay = Number.POSITIVE_INFINITY, sender) {
      return storeMany([{ pool, batch, maxPerDay, sender }], now())[0] as IngestResult;
    },
    async flush() {
      // A commit waiting for another process's lock keeps its timer; one on the next turn runs now.
      if (busySince === undefined) commit();
    },
  };
}
