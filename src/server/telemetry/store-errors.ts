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

/** What a request body's stream fails with when the client goes away mid-upload. */
const ABORT_CODES = new Set(['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE']);

/**
 * The client aborted its request (closed the connection or reset the stream mid-body): not a
 * store error, not a fault of the service. Node reports it as `ECONNRESET` "aborted", the very
 * code a lost PostgreSQL connection has, so the request's own state decides: its stream was
 * aborted or destroyed, or the error is Node's own "aborted" of a body being read.
 */
export function isClientAbort(error: unknown, raw?: { aborted?: boolean; destroyed?: boolean }): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !ABORT_CODES.has(code)) return false;
  return (error as Error).message === 'aborted' || raw?.aborted === true || raw?.destroyed === true;
}

/** A transaction that lost a deadlock or a serialization race: safe to run again. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
