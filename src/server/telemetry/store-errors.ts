/**
 * Which PostgreSQL failures mean "the store cannot be reached" (the request may be tried again
 * later, here or on another node) rather than a fault in the request or the code.
 */

/** The store cannot be reached: one definition for the whole service (sql/unavailable.ts). */
export { isStoreUnavailable as isStoreUnreachable } from '../sql/unavailable';

/** PostgreSQL's disk_full (SQLSTATE 53100). */
export function isPostgresDiskFull(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '53100';
}

/** A transaction that lost a deadlock or a serialization race: safe to run again. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
