/**
 * Delivers batches: fetch with keepalive while the page lives, a beacon when it is being hidden.
 * Network errors, 408, 429 and 5xx are retried with backoff; 403 means the pool turned telemetry
 * off, which stops everything.
 */
import { MAX_BATCH_BYTES } from '../../shared/constants';
import type { TelemetryBatch } from '../../shared/telemetry-schema';

export type SendOutcome = 'sent' | 'retry' | 'drop' | 'disabled';

export async function postBatch(endpoint: string, batch: TelemetryBatch): Promise<SendOutcome> {
  const body = JSON.stringify(batch);
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
      keepalive: body.length < MAX_BATCH_BYTES,
      credentials: 'omit',
      cache: 'no-store',
    });
    if (response.ok) return 'sent';
    if (response.status === 403) return 'disabled';
    if (response.status === 408 || response.status === 429 || response.status >= 500) return 'retry';
    return 'drop';
  } catch {
    return 'retry';
  }
}

/** Hands a batch to the browser to send after the page is gone; false when it would not take it. */
export function beaconBatch(endpoint: string, batch: TelemetryBatch): boolean {
  const body = JSON.stringify(batch);
  if (body.length >= MAX_BATCH_BYTES || typeof navigator.sendBeacon !== 'function') return false;
  // text/plain keeps the beacon a simple request, even to a separate TelemetryEndpoint origin.
  return navigator.sendBeacon(endpoint, new Blob([body], { type: 'text/plain' }));
}

export function backoffDelay(attempt: number, random = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** attempt);
  return base / 2 + random() * (base / 2);
}
