/**
 * Roll-ups: the report reads one row per pool and 15-minute slot (`telemetry_rollup`) instead of
 * every stored event, which keeps `report` over 30 days of 10 million events well under 2 s.
 *
 * Events are rolled up by arrival time, in order, up to a watermark (`telemetry_rollup_state`):
 * each pass takes the events that arrived since the watermark and until 2 minutes ago, adds them
 * to the slots of their event times (a late event lands in its own past slot) and moves the
 * watermark, in one transaction. The margin covers an ingest commit that took its arrival time
 * just before a roll-up and committed just after (SQLite: its wait for the write lock is at most
 * 10 s; PostgreSQL: the insert, the quota update and the COMMIT each time out after 20 s).
 * The report adds the events past the watermark on the fly, so it is never behind the ingest.
 * The server rolls up every minute; the report also rolls up before it reads.
 *
 * On PostgreSQL several nodes run this job against one store. Each pass locks the watermark row
 * (`FOR UPDATE`) before it reads it: a second node's pass waits, then sees the moved watermark
 * and rolls up only what came after, so no event is counted twice. Arrival times and the "2
 * minutes ago" both come from the database's clock (ingest-postgres.ts), so nodes whose clocks
 * differ cannot put an arrival behind the watermark.
 */
import type { Sql } from '../../sql/sql';
import {
  type Aggregate,
  addEvent,
  addMeeting,
  decodeDevices,
  deviceHash,
  encodeAggregate,
  encodeDevices,
  type MeetingParts,
  type Meetings,
  mergeStored,
  unpackHashes,
} from './aggregate';
import { eventTime, SLOT_MS, slotOf } from './buckets';

export const ROLLUP_MARGIN_MS = 120_000;
/** Arrival time rolled up per transaction, so a backlog never holds the write lock for long. */
const WINDOW_MS = 3_600_000;
/** Events read per transaction at most (a busy hour is cut into several), so memory stays bounded. */
const WINDOW_ROWS = 50_000;
const ROLLUP_EVERY_MS = 60_000;

export interface SlotData {
  aggregate: Aggregate;
  devices: Set<number>;
  meetings: Meetings;
}

/** Slot data grouped by pool, then slot. */
export type Grouped = Map<string, Map<number, SlotData>>;

function eventsSql(sql: Sql): string {
  // Each row's JSON parsed once, whatever the engine.
  const rows = sql.fragments.jsonRows('telemetry_events WHERE received_at >= ? AND received_at < ?');
  const { from, text } = rows;
  const ts = rows.number('ts');
  return `SELECT pool, device_id, type, metric, value, received_at, ${ts} AS ts,
    CASE type WHEN 'usage' THEN ${text('federationPartner')} WHEN 'census' THEN ${text('osName')} END AS a,
    CASE type WHEN 'census' THEN ${text('deviceModel')} WHEN 'usage' THEN ${text('threadId')} END AS b,
    CASE type WHEN 'census' THEN ${text('userLanguage')} END AS c
  FROM ${from}`;
}

interface EventRow {
  pool: string;
  device_id: string;
  type: string;
  metric: string | null;
  value: number | null;
  received_at: number;
  ts: number | null;
  a: string | null;
  b: string | null;
  c: string | null;
}

/** Groups the events that arrived in [from, to) by pool and slot of event time. */
export async function groupArrivals(sql: Sql, from: number, to: number): Promise<Grouped> {
  const grouped: Grouped = new Map();
  const rows = await sql.all<EventRow>(eventsSql(sql), [from, to]);
  const deviceIds = new Map<SlotData, Set<string>>();
  for (const row of rows) {
    let slots = grouped.get(row.pool);
    if (!slots) {
      slots = new Map();
      grouped.set(row.pool, slots);
    }
    const slot = slotOf(eventTime(row.ts, Number(row.received_at)));
    let data = slots.get(slot);
    if (!data) {
      data = { aggregate: new Map(), devices: new Set(), meetings: new Map() };
      slots.set(slot, data);
      deviceIds.set(data, new Set());
    }
    addEvent(data.aggregate, row, data.meetings);
    deviceIds.get(data)?.add(row.device_id);
  }
  // Hash each DeviceID once per slot, not once per event.
  for (const [data, ids] of deviceIds) for (const id of ids) data.devices.add(deviceHash(id));
  return grouped;
}

async function state(sql: Sql, lock = false): Promise<number> {
  const forUpdate = lock ? sql.fragments.forUpdate : '';
  const row = await sql.get<{ t: number }>(
    `SELECT rolled_up_to AS t FROM telemetry_rollup_state WHERE id = 1${forUpdate}`,
  );
  return Number(row?.t ?? 0);
}

/** Rolls up one window of arrivals; returns false once caught up (nothing left before now - margin). */
async function rollUpWindow(sql: Sql, now: number): Promise<boolean> {
  // Caught up: no write lock, no commit (a report then only reads).
  const watermark = await state(sql);
  if (watermark !== 0 && watermark >= now - ROLLUP_MARGIN_MS) return false;
  // SQLite: the write lock at BEGIN; PostgreSQL: the watermark row's lock (state(tx, true)).
  return sql.transaction(
    async (tx) => {
      const limit = now - ROLLUP_MARGIN_MS;
      let from = await state(tx, true);
      if (from === 0) {
        const oldest = await tx.get<{ t: number | null }>('SELECT MIN(received_at) AS t FROM telemetry_events');
        from = Math.min(oldest?.t ?? limit, limit);
      }
      if (from >= limit) {
        if ((await state(tx)) === 0)
          await tx.run('UPDATE telemetry_rollup_state SET rolled_up_to = ? WHERE id = 1', [Math.max(from, 1)]);
        return false;
      }
      let to = Math.min(from + WINDOW_MS, limit);
      // A window that would hold more than WINDOW_ROWS events ends at the arrival time that reaches them.
      const cut = await tx.get<{ t: number }>(
        'SELECT received_at AS t FROM telemetry_events WHERE received_at >= ? AND received_at < ? ORDER BY received_at LIMIT 1 OFFSET ?',
        [from, to, WINDOW_ROWS],
      );
      if (cut) to = Math.max(Number(cut.t), from + 1);
      for (const [pool, slots] of await groupArrivals(tx, from, to)) {
        for (const [slot, data] of slots) {
          const stored = await tx.get<{ aggregate: string; devices: Buffer }>(
            'SELECT aggregate, devices FROM telemetry_rollup WHERE pool = ? AND slot = ?',
            [pool, slot],
          );
          if (stored) {
            const parts: MeetingParts = new Map();
            mergeStored(data.aggregate, stored.aggregate, parts);
            for (const [domain, arrays] of parts)
              for (const packed of arrays)
                for (const hash of unpackHashes(packed)) addMeeting(data.meetings, domain, hash);
            for (const hash of decodeDevices(stored.devices)) data.devices.add(hash);
          }
          await tx.run(
            `INSERT INTO telemetry_rollup (pool, slot, aggregate, devices) VALUES (?, ?, ?, ?)
             ON CONFLICT (pool, slot) DO UPDATE SET aggregate = excluded.aggregate, devices = excluded.devices`,
            [pool, slot, encodeAggregate(data.aggregate, data.meetings), encodeDevices(data.devices)],
          );
        }
      }
      await tx.run('UPDATE telemetry_rollup_state SET rolled_up_to = ? WHERE id = 1', [to]);
      return to < limit;
    },
    { exclusive: sql.fragments.writeLockAtBegin },
  );
}

/**
 * Rolls up everything that arrived before now - margin. `now` defaults to the store's clock (a
 * test may pass its own).
 */
export async function rollUpTelemetry(sql: Sql, now?: number): Promise<void> {
  const at = now ?? (await sql.fragments.clock(sql));
  while (await rollUpWindow(sql, at)) {}
}

/** The watermark: events that arrived at or after it are not rolled up yet. */
export const rolledUpTo = (sql: Sql): Promise<number> => state(sql);

/** The rolled-up slots of a pool in [fromSlot, toSlot), in slot order: slot, stored aggregate, device hashes. */
export async function readRollups(
  sql: Sql,
  pool: string,
  fromSlot: number,
  toSlot: number,
): Promise<[number, string, Float64Array][]> {
  const rows = await sql.all<{ slot: number; aggregate: string; devices: Buffer }>(
    'SELECT slot, aggregate, devices FROM telemetry_rollup WHERE pool = ? AND slot >= ? AND slot < ? ORDER BY slot',
    [pool, fromSlot, toSlot],
  );
  return rows.map((r) => [Number(r.slot), r.aggregate, decodeDevices(r.devices)]);
}

/** The statement that deletes the roll-ups of slots starting before `cutoff` (all for MAX_SAFE_INTEGER). */
export function rollupPurge(cutoff: number, pool?: string): [string, (string | number)[]] {
  const slot = cutoff === Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : Math.floor(cutoff / SLOT_MS);
  // The pool column is case-insensitive on both engines (NOCASE, CITEXT).
  return pool === undefined
    ? ['DELETE FROM telemetry_rollup WHERE slot < ?', [slot]]
    : ['DELETE FROM telemetry_rollup WHERE slot < ? AND pool = ?', [slot, pool]];
}

export async function purgeRollups(sql: Sql, cutoff: number, pool?: string): Promise<void> {
  const [text, params] = rollupPurge(cutoff, pool);
  await sql.run(text, params);
}

export interface RollUpScheduleOptions {
  /** A pass failed (it is tried again at the next minute). Default: a line on stderr. */
  onError?: (error: unknown) => void;
  /** A pass ended (caught up, failed or stopped): tests wait for the first one. */
  onPass?: () => void;
}

/** Rolls up at start and every minute while the server runs, one window per turn of the event loop. */
export function scheduleRollUp(sql: Sql, options: RollUpScheduleOptions = {}): () => void {
  const onError =
    options.onError ??
    ((error: unknown) => console.error(`telemetry roll-up failed (retried in a minute): ${String(error)}`));
  let stopped = false;
  let running = false;
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const pass = async () => {
    if (stopped || running) return;
    running = true;
    try {
      while (!stopped && (await rollUpWindow(sql, await sql.fragments.clock(sql)))) await nextTurn();
    } catch (error) {
      if (!stopped) onError(error);
    } finally {
      running = false;
      options.onPass?.();
    }
  };
  void pass();
  const timer = setInterval(() => void pass(), ROLLUP_EVERY_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
