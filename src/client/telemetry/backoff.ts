/**
 * Retry delays: exponential (1 s doubling to 5 min) with full jitter in the upper half, so a pool
 * that comes back is not hit by every page at once. A server's Retry-After is a floor, honoured up
 * to a day: the ingest's daily quota answers 429 until the next UTC day, and a page that has
 * spent it must stop sending until then, not come back every 5 minutes.
 */
export const MAX_BACKOFF_MS = 300_000;
export const MAX_RETRY_AFTER_MS = 86_400_000;

export function backoffDelay(attempt: number, retryAfterMs = 0, random = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 20));
  const jittered = Math.min(MAX_BACKOFF_MS, base / 2 + random() * (base / 2));
  return Math.max(jittered, Math.min(MAX_RETRY_AFTER_MS, retryAfterMs));
}

/** Retry-After as seconds or an HTTP date; 0 when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number {
  if (!value) return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 0 : Math.max(0, date - now);
}
