/**
 * Stores validated telemetry batches: every UserID is hashed again with the server's keyed HMAC,
 * events are deduplicated by id, and each request is answered only after the commit that holds
 * its batch returns. Both engines group commits (many batches, one transaction, one fsync):
 * ingest-sqlite.ts on the embedded store, ingest-postgres.ts on a PostgreSQL shared by many nodes.
 *
 * Daily quota: a pool stores at most its TelemetryMaxEventsPerDay events per UTC day; the rest of
 * that day's events are acknowledged, not stored, and counted as refused (telemetry_daily), so the
 * report can say how many.
 */
import type { Store } from '../sql/store';
import type { Ingest } from './ingest-common';
import { createPostgresIngest, type PostgresIngestOptions } from './ingest-postgres';
import { createSqliteIngest } from './ingest-sqlite';

export {
  type Ingest,
  IngestOverloadedError,
  type IngestResult,
  StoreBusyError,
  StoreUnavailableError,
  utcDay,
} from './ingest-common';

/**
 * `now` fixes the arrival clock (tests); by default SQLite takes the node's clock and PostgreSQL
 * the database's, one clock for every node.
 */
export function createIngest(
  store: Store,
  secret: Buffer,
  now?: () => number,
  options: PostgresIngestOptions = {},
): Ingest {
  return store.dialect === 'sqlite'
    ? createSqliteIngest(store.db, secret, now)
    : createPostgresIngest(store.pool, secret, now, options);
}
