/**
 * Retry delays: exponential (1 s doubling to 5 min) with full jitter in the upper half, so a pool
 * that comes back is not hit by every page at once; a server's Retry-After is a floor.
 */
export const MAX_BACKOFF_MS = 300_000;

export function backoffDelay(attempt: number, retryAfterMs = 0, random = Math.random): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempt, 20));
  const jittered = base / 2 + random() * (base / 2);
  return Math.min(MAX_BACKOFF_MS, Math.max(jittered, retryAfterMs));
}

/** Retry-After as seconds or an HTTP date; 0 when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number {
  if (!value) return 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? 0 : Math.max(0, date - now);
}
