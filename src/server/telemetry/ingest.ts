/**
 * Stores a validated telemetry batch: every UserID is hashed again with the server's keyed HMAC,
 * events are deduplicated by id, and the caller answers only after this commit returns.
 */
import { createHmac } from 'node:crypto';
import type { TelemetryBatch } from '../../shared/telemetry-schema';
import type { Db } from '../db';

export interface IngestResult {
  stored: number;
  duplicates: number;
}

export function createIngest(db: Db, secret: Buffer) {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO telemetry_events (id, pool, device_id, type, metric, value, received_at, data)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const hmac = (value: string) => createHmac('sha256', secret).update(value).digest('hex');

  const storeBatch = db.transaction((pool: string, batch: TelemetryBatch, receivedAt: number): IngestResult => {
    let stored = 0;
    for (const event of batch.events) {
      const record: Record<string, unknown> = { ...event };
      if (typeof record.userId === 'string') record.userId = hmac(record.userId);
      const metric =
        event.type === 'usage'
          ? event.metric
          : event.type === 'vital'
            ? event.name
            : event.type === 'error'
              ? event.code
              : null;
      const value = event.type === 'usage' || event.type === 'vital' ? event.value : null;
      stored += insert.run(
        event.id,
        pool,
        batch.deviceId,
        event.type,
        metric,
        value,
        receivedAt,
        JSON.stringify(record),
      ).changes;
    }
    return { stored, duplicates: batch.events.length - stored };
  });

  return (pool: string, batch: TelemetryBatch): IngestResult => storeBatch(pool, batch, Date.now());
}
