/**
 * Cutting the queue into batches and delivering them: at most so many events and bytes per batch,
 * and a batch the service calls too large (413) is split in halves until it goes through; a single
 * event that is still too large is dropped.
 */
import type { TelemetryEvent } from '../../shared/telemetry-schema';
import { jsonBytes } from './bytes';

export type SendResult =
  | { kind: 'sent' }
  | { kind: 'retry'; retryAfterMs: number }
  | { kind: 'too-large' }
  | { kind: 'drop' }
  | { kind: 'disabled' };

/** Room for the batch envelope (`{"v":1,"deviceId":"…","events":[]}`). */
const ENVELOPE_BYTES = 80;

/** The longest prefix of `events` within both limits, `maxBytes` in UTF-8 (always at least one event). */
export function takeBatch(events: readonly TelemetryEvent[], maxEvents: number, maxBytes: number): TelemetryEvent[] {
  const batch: TelemetryEvent[] = [];
  let bytes = ENVELOPE_BYTES;
  for (const event of events) {
    const size = jsonBytes(event) + 1;
    if (batch.length > 0 && (batch.length >= maxEvents || bytes + size > maxBytes)) break;
    batch.push(event);
    bytes += size;
  }
  return batch;
}

export interface Delivery {
  /** Ids the service stored, or that were dropped as undeliverable: never to be sent again. */
  settled: string[];
  /** How the attempt ended: all settled, or stopped by a retryable failure or a 403. */
  outcome: { kind: 'done' } | { kind: 'retry'; retryAfterMs: number } | { kind: 'disabled' };
}

export async function deliver(
  events: TelemetryEvent[],
  send: (events: TelemetryEvent[]) => Promise<SendResult>,
): Promise<Delivery> {
  const result = await send(events);
  const ids = events.map((e) => e.id);
  switch (result.kind) {
    case 'sent':
    case 'drop':
      return { settled: ids, outcome: { kind: 'done' } };
    case 'retry':
    case 'disabled':
      return { settled: [], outcome: result };
    case 'too-large': {
      if (events.length === 1) return { settled: ids, outcome: { kind: 'done' } };
      const half = Math.ceil(events.length / 2);
      const first = await deliver(events.slice(0, half), send);
      if (first.outcome.kind !== 'done') return first;
      const second = await deliver(events.slice(half), send);
      return { settled: [...first.settled, ...second.settled], outcome: second.outcome };
    }
  }
}
