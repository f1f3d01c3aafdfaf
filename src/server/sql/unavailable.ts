/**
 * When the store cannot be reached (PostgreSQL stopped, restarting, unreachable, out of
 * connections), a request that needs it is answered 503 `store-unavailable` (http/limits.ts), the
 * server refuses to start with one line, and the admin CLI exits non-zero: never a crash, and never
 * a wait past the pool's connection timeout.
 */

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** PostgreSQL SQLSTATEs that mean "not now" rather than "wrong": shutdown, startup, no slots. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '53400']);

/** node-postgres's own words for a connection it could not make or lost. */
const POOL_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|not queryable|Cannot use a pool after calling end|Query read timeout|Client was closed/i;

export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.has(code)) return true;
    // Class 08: connection exceptions.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  // AggregateError (a host name with several addresses, each refused).
  const errors = (error as { errors?: unknown } | null)?.errors;
  if (Array.isArray(errors) && errors.length > 0 && errors.every(isStoreUnavailable)) return true;
  return error instanceof Error && POOL_MESSAGES.test(error.message);
}

/** Thrown where the store is needed and cannot be reached, with words safe to show. */
export class StoreUnavailableError extends Error {
  readonly code = 'store-unavailable';
}

export const STORE_UNAVAILABLE_MESSAGE = 'The store cannot be reached right now: try again in a moment.';
