/**
 * What both ingests (SQLite, PostgreSQL) share: the answer to a batch, the errors a caller can
 * meet, and the row an event becomes (UserID hashed again, report columns pulled out).
 */
import { createHmac } from 'node:crypto';
import type { TelemetryBatch, TelemetryEvent } from '../../shared/telemetry-schema';

export interface IngestResult {
  stored: number;
  duplicates: number;
  /** Past the pool's daily quota or the sender's share of it: not stored. */
  refused: number;
  /** Of `refused`, those turned away by the sender's share (the rest by the pool's quota). */
  refusedOverShare: number;
  /** The arrival time the quota was counted at (ms): its UTC day is the quota's day. */
  at: number;
}

/**
 * Who sent a batch, for the per-address share of the daily quota: the client address the service
 * sees (never stored: only its keyed hash with the day, addressKey) and how many events that
 * address may have stored in the pool that day.
 */
export interface Sender {
  address: string;
  maxPerDay: number;
}

export interface Ingest {
  /** Queues a batch for the next group commit; resolves once it is durably stored. */
  submit(pool: string, batch: TelemetryBatch, maxPerDay?: number, sender?: Sender): Promise<IngestResult>;
  /** Stores at once, in its own transaction (tests, tools). */
  storeNow(pool: string, batch: TelemetryBatch, maxPerDay?: number, sender?: Sender): Promise<IngestResult>;
  /** Commits every batch waiting or in flight, and resolves when they are settled (shutdown). */
  flush(): Promise<void>;
}

/** Thrown to callers whose commit could not get SQLite's write lock in time (another process held it). */
export class StoreBusyError extends Error {}

/** The store could not be reached (PostgreSQL down, unreachable, shutting down): nothing was stored. */
export { StoreUnavailableError } from '../sql/unavailable';

/** More events wait for a commit than the ingest holds: refused at once, nothing queued. */
export class IngestOverloadedError extends Error {}

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Whole seconds from `ms` to the next UTC midnight, when a day's quota starts afresh (at least 1). */
export const secondsToNextUtcDay = (ms: number) => Math.max(1, Math.ceil((86_400_000 - (ms % 86_400_000)) / 1000));

/**
 * The key a sender's count is stored under (telemetry_address_daily): the keyed HMAC of the UTC day
 * and the address. Without the secret it cannot be turned back into the address (IPv4 has only
 * 2^32 values: a plain hash could be), and the same address hashes differently each day, so the
 * rows of two days cannot be linked either.
 */
export const addressKey = (secret: Buffer, day: string, address: string) =>
  createHmac('sha256', secret).update(`telemetry-address|${day}|${address}`).digest('hex');

/** The column that the report groups by: the usage metric, the vital's name or the error code. */
export function metricOf(event: TelemetryEvent): string | null {
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

export interface EventRow {
  id: string;
  type: string;
  metric: string | null;
  value: number | null;
  /** The event as stored: its JSON, with any UserID hashed again. */
  data: string;
}

/** The keyed HMAC of a UserID, as stored: hex SHA-256. */
export const userIdHasher = (secret: Buffer) => (value: string) =>
  createHmac('sha256', secret).update(value).digest('hex');

/**
 * The row an event becomes. The client already hashed census UserIDs; the server hashes every
 * UserID again, so a clear participant id (error reports) never reaches the disk.
 */
export function eventRow(event: TelemetryEvent, hash: (value: string) => string): EventRow {
  const userId = 'userId' in event ? event.userId : undefined;
  const record = userId === undefined ? event : { ...event, userId: hash(userId) };
  return {
    id: event.id,
    type: event.type,
    metric: metricOf(event),
    value: event.type === 'usage' || event.type === 'vital' ? event.value : null,
    data: JSON.stringify(record),
  };
}
