/**
 * Roll-ups: the report reads one row per pool and 15-minute slot (`telemetry_rollup`) instead of
 * every stored event, which keeps `report` over 30 days of 10 million events well under 2 s.
 *
 * Events are rolled up by arrival time, in order, up to a watermark (`telemetry_rollup_state`):
 * each pass takes the events that arrived since the watermark and until 2 minutes ago, adds them
 * to the slots of their event times (a late event lands in its own past slot) and moves the
 * watermark, in one transaction. The margin covers an ingest commit that took its arrival time
 * just before a roll-up and committed just after (its wait for the write lock is at most 5 s).
 * The report adds the events past the watermark on the fly, so it is never behind the ingest.
 * The server rolls up every minute; the report also rolls up before it reads.
 */
import type { Db } from '../../db';
import {
  type Aggregate,
  addEvent,
  decodeDevices,
  deviceHash,
  encodeAggregate,
  encodeDevices,
  mergeStored,
} from './aggregate';
import { eventTime, SLOT_MS, slotOf } from './buckets';

export const ROLLUP_MARGIN_MS = 120_000;
/** Arrival time rolled up per transaction, so a backlog never holds the write lock for long. */
const WINDOW_MS = 3_600_000;
const ROLLUP_EVERY_MS = 60_000;

export interface SlotData {
  aggregate: Aggregate;
  devices: Set<number>;
}

/** Slot data grouped by pool, then slot. */
export type Grouped = Map<string, Map<number, SlotData>>;

const EVENTS_SQL = `SELECT pool, device_id, type, metric, value, received_at, json_extract(data, '$.ts'),
    CASE type WHEN 'usage' THEN json_extract(data, '$.federationPartner') WHEN 'census' THEN json_extract(data, '$.osName') END,
    CASE type WHEN 'census' THEN json_extract(data, '$.deviceModel') END,
    CASE type WHEN 'census' THEN json_extract(data, '$.userLanguage') END
  FROM telemetry_events WHERE received_at >= ? AND received_at < ?`;

type EventRow = [
  string,
  string,
  string,
  string | null,
  number | null,
  number,
  number | null,
  string | null,
  string | null,
  string | null,
];

/** Groups the events that arrived in [from, to) by pool and slot of event time. */
export function groupArrivals(db: Db, from: number, to: number): Grouped {
  const grouped: Grouped = new Map();
  const rows = db.prepare(EVENTS_SQL).raw(true).iterate(from, to) as IterableIterator<EventRow>;
  const deviceIds = new Map<SlotData, Set<string>>();
  for (const [pool, deviceId, type, metric, value, receivedAt, ts, a, b, c] of rows) {
    let slots = grouped.get(pool);
    if (!slots) {
      slots = new Map();
      grouped.set(pool, slots);
    }
    const slot = slotOf(eventTime(ts, receivedAt));
    let data = slots.get(slot);
    if (!data) {
      data = { aggregate: new Map(), devices: new Set() };
      slots.set(slot, data);
      deviceIds.set(data, new Set());
    }
    addEvent(data.aggregate, { type, metric, value, a, b, c });
    deviceIds.get(data)?.add(deviceId);
  }
  // Hash each DeviceID once per slot, not once per event.
  for (const [data, ids] of deviceIds) for (const id of ids) data.devices.add(deviceHash(id));
  return grouped;
}

function state(db: Db): number {
  return (db.prepare('SELECT rolled_up_to AS t FROM telemetry_rollup_state WHERE id = 1').get() as { t: number }).t;
}

/** Rolls up one window of arrivals; returns false once caught up (nothing left before now - margin). */
function rollUpWindow(db: Db, now: number): boolean {
  // Caught up: no write lock, no commit (a report then only reads).
  const watermark = state(db);
  if (watermark !== 0 && watermark >= now - ROLLUP_MARGIN_MS) return false;
  return db
    .transaction(() => {
      const limit = now - ROLLUP_MARGIN_MS;
      let from = state(db);
      if (from === 0) {
        const oldest = (db.prepare('SELECT MIN(received_at) AS t FROM telemetry_events').get() as { t: number | null })
          .t;
        from = Math.min(oldest ?? limit, limit);
      }
      if (from >= limit) {
        if (state(db) === 0)
          db.prepare('UPDATE telemetry_rollup_state SET rolled_up_to = ? WHERE id = 1').run(Math.max(from, 1));
        return false;
      }
      const to = Math.min(from + WINDOW_MS, limit);
      const read = db.prepare('SELECT aggregate, devices FROM telemetry_rollup WHERE pool = ? AND slot = ?');
      const write = db.prepare(
        'INSERT OR REPLACE INTO telemetry_rollup (pool, slot, aggregate, devices) VALUES (?, ?, ?, ?)',
      );
      for (const [pool, slots] of groupArrivals(db, from, to)) {
        for (const [slot, data] of slots) {
          const stored = read.get(pool, slot) as { aggregate: string; devices: Buffer } | undefined;
          if (stored) {
            mergeStored(data.aggregate, stored.aggregate);
            for (const hash of decodeDevices(stored.devices)) data.devices.add(hash);
          }
          write.run(pool, slot, encodeAggregate(data.aggregate), encodeDevices(data.devices));
        }
      }
      db.prepare('UPDATE telemetry_rollup_state SET rolled_up_to = ? WHERE id = 1').run(to);
      return to < limit;
    })
    .immediate();
}

/** Rolls up everything that arrived before now - margin. */
export function rollUpTelemetry(db: Db, now = Date.now()): void {
  while (rollUpWindow(db, now)) {}
}

/** The watermark: events that arrived at or after it are not rolled up yet. */
export const rolledUpTo = (db: Db): number => state(db);

/** The rolled-up slots of a pool in [fromSlot, toSlot), in slot order: slot, stored aggregate, device hashes. */
export function* readRollups(
  db: Db,
  pool: string,
  fromSlot: number,
  toSlot: number,
): Generator<[number, string, Float64Array]> {
  const rows = db
    .prepare(
      'SELECT slot, aggregate, devices FROM telemetry_rollup WHERE pool = ? AND slot >= ? AND slot < ? ORDER BY slot',
    )
    .raw(true)
    .iterate(pool, fromSlot, toSlot) as IterableIterator<[number, string, Buffer]>;
  for (const [slot, aggregate, devices] of rows) yield [slot, aggregate, decodeDevices(devices)];
}

/** Deletes the roll-ups of slots that start before `cutoff` (all of them for +Infinity). */
export function purgeRollups(db: Db, cutoff: number, pool?: string): void {
  const slot = cutoff === Number.MAX_SAFE_INTEGER ? Number.MAX_SAFE_INTEGER : Math.floor(cutoff / SLOT_MS);
  if (pool === undefined) db.prepare('DELETE FROM telemetry_rollup WHERE slot < ?').run(slot);
  else db.prepare('DELETE FROM telemetry_rollup WHERE slot < ? AND pool = ?').run(slot, pool);
}

/** Rolls up every minute while the server runs, one window per turn of the event loop. */
export function scheduleRollUp(db: Db): () => void {
  let stopped = false;
  let running = false;
  const pass = () => {
    if (stopped || running || !db.open) return;
    running = true;
    const step = () => {
      try {
        if (!stopped && db.open && rollUpWindow(db, Date.now())) {
          setImmediate(step);
          return;
        }
      } catch (error) {
        console.error(`telemetry roll-up failed (retried in a minute): ${String(error)}`);
      }
      running = false;
    };
    step();
  };
  pass();
  const timer = setInterval(pass, ROLLUP_EVERY_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
