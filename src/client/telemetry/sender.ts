/**
 * One HTTP attempt for one batch. fetch with keepalive, so a batch in flight survives the page
 * closing; sendBeacon only as the fallback while the page hides (it reports nothing back).
 *
 * The JSON body is labelled text/plain, which the ingest parses as JSON: that keeps every batch a
 * CORS "simple" request, so a TelemetryEndpoint on another origin needs no preflight, and a batch
 * sent as the page closes is not held up by one (a closing page's preflighted keepalive request
 * can be dropped).
 */
import type { TelemetryBatch } from '../../shared/telemetry-schema';
import { parseRetryAfter } from './backoff';
import type { SendResult } from './batches';

export async function postBatch(endpoint: string, batch: TelemetryBatch): Promise<SendResult> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(batch),
      keepalive: true,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    return { kind: 'retry', retryAfterMs: 0 };
  }
  const status = response.status;
  if (response.ok) return { kind: 'sent' };
  if (status === 403) return { kind: 'disabled' };
  if (status === 413) return { kind: 'too-large' };
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) };
  }
  return { kind: 'drop' };
}

/** Hands a batch to the browser to send after the page is gone; false when it would not take it. */
export function beaconBatch(endpoint: string, batch: TelemetryBatch): boolean {
  if (typeof navigator.sendBeacon !== 'function') return false;
  // text/plain keeps the beacon a simple request, even to a separate TelemetryEndpoint origin.
  return navigator.sendBeacon(endpoint, new Blob([JSON.stringify(batch)], { type: 'text/plain' }));
}
