/**
 * Sends one batch of queued events and settles what the service took: the one path both the timer's
 * flush and the hiding page use, so a 413 is split (batches.ts) whichever sends it.
 */
import type { TelemetryEvent } from '../../shared/telemetry-schema';
import { type Delivery, deliver } from './batches';
import { jsonBytes } from './bytes';
import type { EventQueue } from './queue';
import { postBatch } from './sender';

export type Outcome = Delivery['outcome'];

export function batchSender(endpoint: string, deviceId: string) {
  const body = (events: TelemetryEvent[]) => ({ v: 1 as const, deviceId, events });
  return {
    body,
    /** Delivers `batch` (split on 413) and settles it in `queue`; `isLive` false drops the answer. */
    async send(queue: EventQueue, batch: TelemetryEvent[], isLive: () => boolean): Promise<Outcome> {
      const bytes = jsonBytes(body(batch));
      queue.take(batch);
      queue.inFlightBytes += bytes;
      const { settled, outcome } = await deliver(batch, (events) => postBatch(endpoint, body(events)));
      queue.release(batch);
      queue.inFlightBytes -= bytes;
      if (isLive()) queue.settle(settled);
      return outcome;
    },
  };
}
