/**
 * The ingest on a shared PostgreSQL (DATABASE_URL), where several nodes store the same pools'
 * telemetry at once.
 *
 * Group commit: one transaction in flight per node. Batches that arrive while it runs wait for the
 * next one, which takes all of them: the busier the node, the bigger each transaction, and each
 * caller is answered after the COMMIT that holds its batch (never before). What waits is capped
 * (maxWaitingEvents): past it a batch is refused at once (IngestOverloadedError → 503), so a slow
 * or unreachable PostgreSQL cannot grow the queue without bound.
 *
 * One transaction:
 * 1. BEGIN, and in the same round trip the pool-wide UserID secret (secrets/secret.ts; a rotation reaches
 *    every node at its next commit) and the database's clock.
 * 2. Lock each pool's quota row of the day (`telemetry_daily`, upsert … RETURNING stored), pools in
 *    name order. A second node storing for the same pool waits here until this one commits, then
 *    reads what it stored: the daily quota is exact however many nodes ingest.
 *    Then, while those are held, each sender's row of the day (`telemetry_address_daily`, keyed by
 *    the keyed hash of the day and its address): its share of the quota is exact too.
 * 3. Insert the events the quota allows in one statement (arrays, `unnest`), `ON CONFLICT (id) DO
 *    NOTHING RETURNING id`: an event another node (or an earlier retry) stored is a duplicate, and
 *    the returned ids say which were new. Rows go in id order, so two nodes inserting overlapping
 *    batches take the id locks in the same order and cannot deadlock. If duplicates left room
 *    under the quota, the events it had turned away get another round.
 * 4. Add what was stored and refused (per cause) to the quota rows, what each sender stored to its
 *    row; COMMIT. The first commit of a UTC day then deletes the earlier days' sender rows.
 *
 * Arrival time (`received_at`) is the database's clock at the insert, not the node's: the report's
 * roll-up (report/rollup.ts) relies on arrival times from one clock across nodes. (A test may pass
 * its own clock.)
 *
 * Failures: an unreachable server rejects the transaction's callers with StoreUnavailableError
 * (the route answers 503); a stale pooled connection is retried once on a fresh one; a lost
 * deadlock is run again. Every query has a timeout, so a server that stops answering fails the
 * callers instead of holding them.
 */
import type pg from 'pg';
import type { TelemetryBatch } from '../../shared/telemetry-schema';
import {
  addressKey,
  type EventRow,
  eventRow,
  type Ingest,
  IngestOverloadedError,
  type IngestResult,
  type Sender,
  StoreUnavailableError,
  userIdHasher,
  utcDay,
} from './ingest-common';
import { isRetryableConflict, isStoreUnreachable } from './store-errors';

export interface PostgresIngestOptions {
  /** Events waiting for the next commit, beyond which a batch is refused (default 20,000). */
  maxWaitingEvents?: number;
  /** Each query's timeout, ms (default 20,000). */
  queryTimeoutMs?: number;
}

interface Job {
  pool: string;
  batch: TelemetryBatch;
  maxPerDay: number;
  sender?: Sender;
}

interface Waiting extends Job {
  resolve: (result: IngestResult) => void;
  reject: (error: unknown) => void;
}

const DEFAULT_MAX_WAITING_EVENTS = 20_000;
const DEFAULT_QUERY_TIMEOUT_MS = 20_000;
const CONFLICT_RETRIES = 5;

const HEAD_SQL = `BEGIN; SELECT (SELECT secret FROM telemetry_secret WHERE id = 1) AS secret,
  (extract(epoch FROM statement_timestamp()) * 1000)::int8 AS now`;

const LOCK_DAYS_SQL = `INSERT INTO telemetry_daily (pool, day, stored, refused)
  SELECT pool, $2, 0, 0 FROM unnest($1::text[]) AS u(pool)
  ON CONFLICT (pool, day) DO UPDATE SET stored = telemetry_daily.stored
  RETURNING pool::text AS pool, stored`;

const INSERT_SQL = `INSERT INTO telemetry_events (id, pool, device_id, type, metric, value, received_at, data)
  SELECT id, pool, device_id, type, metric, value,
    COALESCE($7::int8, (extract(epoch FROM statement_timestamp()) * 1000)::int8), data
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $8::text[])
    AS e(id, pool, device_id, type, metric, value, data)
  ON CONFLICT (id) DO NOTHING
  RETURNING id`;

const COUNT_DAYS_SQL = `UPDATE telemetry_daily AS d SET stored = d.stored + u.stored, refused = d.refused + u.refused,
    refused_address = d.refused_address + u.refused_address
  FROM unnest($1::text[], $2::int8[], $3::int8[], $5::int8[]) AS u(pool, stored, refused, refused_address)
  WHERE d.pool = u.pool::citext AND d.day = $4`;

/** Locks each sender's row of the day (after the pools' rows: one order for every node). */
const LOCK_ADDRESSES_SQL = `INSERT INTO telemetry_address_daily (pool, day, address, stored)
  SELECT pool, $3, address, 0 FROM unnest($1::text[], $2::text[]) AS u(pool, address)
  ON CONFLICT (pool, day, address) DO UPDATE SET stored = telemetry_address_daily.stored
  RETURNING pool::text AS pool, address, stored`;

const COUNT_ADDRESSES_SQL = `UPDATE telemetry_address_daily AS a SET stored = a.stored + u.stored
  FROM unnest($1::text[], $2::text[], $3::int8[]) AS u(pool, address, stored)
  WHERE a.pool = u.pool::citext AND a.address = u.address AND a.day = $4`;

/** Per-address counts live for their day only: the first commit of a day on a node deletes the rest. */
const FORGET_PAST_DAYS_SQL = 'DELETE FROM telemetry_address_daily WHERE day < $1';

/** An event on its way in: its job, its pool's quota key and its row. */
interface Candidate {
  job: number;
  poolKey: string;
  /** The sender's quota key (pool and hashed address), when the batch named a sender. */
  shareKey?: string;
  pool: string;
  deviceId: string;
  row: EventRow;
}

/** Marks a failure that happened before anything of the transaction reached the server. */
class BeforeWork extends Error {}

export function createPostgresIngest(
  pool: pg.Pool,
  secret: Buffer,
  now?: () => number,
  options: PostgresIngestOptions = {},
): Ingest {
  const maxWaiting = options.maxWaitingEvents ?? DEFAULT_MAX_WAITING_EVENTS;
  const queryTimeout = options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;

  async function commitOnce(jobs: Job[]): Promise<IngestResult[]> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw new BeforeWork('connect', { cause: error });
    }
    const query = <R extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
      client.query<R>({ text, values, query_timeout: queryTimeout } as pg.QueryConfig);
    let broken: Error | undefined;
    try {
      let head: { secret: Buffer | null; now: number };
      try {
        const results = (await query(HEAD_SQL)) as unknown as pg.QueryResult[];
        head = results[1]?.rows[0] as typeof head;
      } catch (error) {
        throw new BeforeWork('begin', { cause: error });
      }
      const receivedAt = now ? now() : head.now;
      const results = await storeInTransaction(query, jobs, head.secret ?? secret, receivedAt, !!now);
      await query('COMMIT');
      forgetPastDays(utcDay(receivedAt));
      return results;
    } catch (error) {
      const cause = error instanceof BeforeWork ? error.cause : error;
      if (isStoreUnreachable(cause)) broken = cause as Error;
      else await query('ROLLBACK').catch((e: Error) => (broken = e));
      throw error;
    } finally {
      // A connection that failed or timed out is closed, never handed to the next caller.
      client.release(broken);
    }
  }

  async function storeInTransaction(
    query: <R extends pg.QueryResultRow>(text: string, values?: unknown[]) => Promise<pg.QueryResult<R>>,
    jobs: Job[],
    key: Buffer,
    receivedAt: number,
    fixedClock: boolean,
  ): Promise<IngestResult[]> {
    const hash = userIdHasher(key);
    const day = utcDay(receivedAt);
    const results: IngestResult[] = jobs.map(() => ({
      stored: 0,
      duplicates: 0,
      refused: 0,
      refusedOverShare: 0,
      at: receivedAt,
    }));
    // Hashing and serialising happen before any lock is taken.
    const seen = new Set<string>();
    let candidates: Candidate[] = [];
    const poolNames = new Map<string, string>();
    /** Each sender's quota key → its pool's name, hashed address and allowance. */
    const senders = new Map<string, { pool: string; address: string; maxPerDay: number }>();
    jobs.forEach((job, i) => {
      const poolKey = job.pool.toLowerCase();
      if (!poolNames.has(poolKey)) poolNames.set(poolKey, job.pool);
      let shareKey: string | undefined;
      if (job.sender) {
        const address = addressKey(key, day, job.sender.address);
        shareKey = `${poolKey}|${address}`;
        if (!senders.has(shareKey)) senders.set(shareKey, { pool: job.pool, address, maxPerDay: job.sender.maxPerDay });
      }
      for (const event of job.batch.events) {
        if (seen.has(event.id)) {
          (results[i] as IngestResult).duplicates++;
          continue;
        }
        seen.add(event.id);
        candidates.push({
          job: i,
          poolKey,
          shareKey,
          pool: job.pool,
          deviceId: job.batch.deviceId,
          row: eventRow(event, hash),
        });
      }
    });
    const poolKeys = [...poolNames.keys()].sort();
    const today = new Map<string, number>();
    const counted = new Map<string, { stored: number; refused: number; overShare: number }>(
      poolKeys.map((k) => [k, { stored: 0, refused: 0, overShare: 0 }]),
    );
    const locked = await query<{ pool: string; stored: number }>(LOCK_DAYS_SQL, [
      poolKeys.map((k) => poolNames.get(k)),
      day,
    ]);
    for (const row of locked.rows) today.set(row.pool.toLowerCase(), Number(row.stored));
    // Senders' rows are locked while the pools' are held: no other node can be waiting for them.
    const shareKeys = [...senders.keys()].sort();
    const shareToday = new Map<string, number>();
    const shareStored = new Map<string, number>();
    if (shareKeys.length > 0) {
      const lockedShares = await query<{ pool: string; address: string; stored: number }>(LOCK_ADDRESSES_SQL, [
        shareKeys.map((k) => senders.get(k)?.pool),
        shareKeys.map((k) => senders.get(k)?.address),
        day,
      ]);
      for (const row of lockedShares.rows)
        shareToday.set(`${row.pool.toLowerCase()}|${row.address}`, Number(row.stored));
    }

    const refuse = (c: Candidate, overShare: boolean) => {
      const result = results[c.job] as IngestResult;
      const count = counted.get(c.poolKey) as { refused: number; overShare: number };
      result.refused++;
      count.refused++;
      if (overShare) {
        result.refusedOverShare++;
        count.overShare++;
      }
    };
    while (candidates.length > 0) {
      const attempt: Candidate[] = [];
      const turnedAway: { candidate: Candidate; overShare: boolean }[] = [];
      const projected = new Map(today);
      const projectedShares = new Map(shareToday);
      for (const c of candidates) {
        const n = projected.get(c.poolKey) ?? 0;
        const share = c.shareKey === undefined ? undefined : (projectedShares.get(c.shareKey) ?? 0);
        if (n >= (jobs[c.job] as Job).maxPerDay) turnedAway.push({ candidate: c, overShare: false });
        else if (share !== undefined && share >= (senders.get(c.shareKey as string)?.maxPerDay ?? 0))
          turnedAway.push({ candidate: c, overShare: true });
        else {
          attempt.push(c);
          projected.set(c.poolKey, n + 1);
          if (share !== undefined) projectedShares.set(c.shareKey as string, share + 1);
        }
      }
      if (attempt.length > 0) {
        attempt.sort((a, b) => (a.row.id < b.row.id ? -1 : 1));
        const inserted = await query<{ id: string }>(INSERT_SQL, [
          attempt.map((c) => c.row.id),
          attempt.map((c) => c.pool),
          attempt.map((c) => c.deviceId),
          attempt.map((c) => c.row.type),
          attempt.map((c) => c.row.metric),
          attempt.map((c) => c.row.value),
          fixedClock ? receivedAt : null,
          attempt.map((c) => c.row.data),
        ]);
        const stored = new Set(inserted.rows.map((r) => r.id));
        for (const c of attempt) {
          const result = results[c.job] as IngestResult;
          if (stored.has(c.row.id)) {
            result.stored++;
            today.set(c.poolKey, (today.get(c.poolKey) ?? 0) + 1);
            (counted.get(c.poolKey) as { stored: number }).stored++;
            if (c.shareKey !== undefined) {
              shareToday.set(c.shareKey, (shareToday.get(c.shareKey) ?? 0) + 1);
              shareStored.set(c.shareKey, (shareStored.get(c.shareKey) ?? 0) + 1);
            }
          } else result.duplicates++;
        }
        // Duplicates took no room: what the quota turned away may fit now, in another round.
        if (stored.size < attempt.length && turnedAway.length > 0) {
          candidates = turnedAway.map((t) => t.candidate);
          continue;
        }
      }
      for (const t of turnedAway) refuse(t.candidate, t.overShare);
      break;
    }

    const changed = poolKeys.filter((k) => {
      const c = counted.get(k) as { stored: number; refused: number };
      return c.stored > 0 || c.refused > 0;
    });
    if (changed.length > 0) {
      await query(COUNT_DAYS_SQL, [
        changed.map((k) => poolNames.get(k)),
        changed.map((k) => counted.get(k)?.stored),
        changed.map((k) => (counted.get(k)?.refused ?? 0) - (counted.get(k)?.overShare ?? 0)),
        day,
        changed.map((k) => counted.get(k)?.overShare),
      ]);
    }
    const grown = shareKeys.filter((k) => (shareStored.get(k) ?? 0) > 0);
    if (grown.length > 0) {
      await query(COUNT_ADDRESSES_SQL, [
        grown.map((k) => senders.get(k)?.pool),
        grown.map((k) => senders.get(k)?.address),
        grown.map((k) => shareStored.get(k)),
        day,
      ]);
    }
    return results;
  }

  async function commit(jobs: Job[]): Promise<IngestResult[]> {
    let freshConnection = false;
    for (let conflicts = 0; ; ) {
      try {
        return await commitOnce(jobs);
      } catch (error) {
        const cause = error instanceof BeforeWork ? error.cause : error;
        if (isRetryableConflict(cause) && conflicts++ < CONFLICT_RETRIES) continue;
        // A pooled connection whose server restarted fails on first use: one more try on a new one.
        if (error instanceof BeforeWork && isStoreUnreachable(cause) && !freshConnection) {
          freshConnection = true;
          continue;
        }
        if (isStoreUnreachable(cause)) {
          throw new StoreUnavailableError(
            `PostgreSQL cannot be reached (${(cause as Error).message}): nothing was stored`,
            { cause },
          );
        }
        throw cause;
      }
    }
  }

  /** The day whose earlier per-address counts this node deleted (best effort, outside the commit). */
  let forgotBefore = '';
  function forgetPastDays(day: string) {
    if (forgotBefore === day) return;
    forgotBefore = day;
    // Never in the ingest's transaction: no batch waits for it, and a failure is tried next day
    // (or by the hourly retention sweep, retention.ts).
    pool
      .query({ text: FORGET_PAST_DAYS_SQL, values: [day], query_timeout: queryTimeout } as pg.QueryConfig)
      .catch(() => {
        forgotBefore = '';
      });
  }

  let waiting: Waiting[] = [];
  let waitingEvents = 0;
  let inFlight: Promise<void> | undefined;
  let scheduled = false;

  const run = () => {
    scheduled = false;
    if (inFlight || waiting.length === 0) return;
    const jobs = waiting;
    waiting = [];
    waitingEvents = 0;
    inFlight = commit(jobs).then(
      (results) => {
        jobs.forEach((job, i) => {
          job.resolve(results[i] as IngestResult);
        });
      },
      (error: unknown) => {
        for (const job of jobs) job.reject(error);
      },
    );
    void inFlight.finally(() => {
      inFlight = undefined;
      if (waiting.length > 0) schedule();
    });
  };
  const schedule = () => {
    if (scheduled || inFlight) return;
    scheduled = true;
    // The next turn: batches parsed in the same turn share the transaction.
    setImmediate(run);
  };

  return {
    submit(poolName, batch, maxPerDay = Number.POSITIVE_INFINITY, sender) {
      const events = batch.events.length;
      if (waitingEvents > 0 && waitingEvents + events > maxWaiting) {
        return Promise.reject(
          new IngestOverloadedError(`${waitingEvents} telemetry events already wait for the store: try again later`),
        );
      }
      return new Promise<IngestResult>((resolve, reject) => {
        waiting.push({ pool: poolName, batch, maxPerDay, sender, resolve, reject });
        waitingEvents += events;
        schedule();
      });
    },
    async storeNow(poolName, batch, maxPerDay = Number.POSITIVE_INFINITY, sender) {
      return (await commit([{ pool: poolName, batch, maxPerDay, sender }]))[0] as IngestResult;
    },
    async flush() {
      while (inFlight || waiting.length > 0) {
        if (!inFlight) run();
        await inFlight;
      }
    },
  };
}
