/**
 * Stores validated telemetry batches: every UserID is hashed again with the server's keyed HMAC,
 * events are deduplicated by id, and each request is answered only after the commit that holds
 * its batch returns. Both engines group commits (many batches, one transaction, one fsync):
 * ingest-sqlite.ts on the embedded store, ingest-postgres.ts on a PostgreSQL shared by many nodes.
 *
 * Daily quota: a pool stores at most its TelemetryMaxEventsPerDay events per UTC day, and one
 * sender (client address) at most its share of them; the rest of that day's events are not stored
 * and are counted as refused per cause (telemetry_daily), so the report can say how many. The
 * route answers such a batch 429 until the next UTC day (http/routes/telemetry.ts).
 */
import { engineOf } from '../sql/engine';
import type { Store } from '../sql/store';
import type { Ingest } from './ingest-common';
import type { PostgresIngestOptions } from './ingest-postgres';

export {
  type Ingest,
  IngestOverloadedError,
  type IngestResult,
  StoreBusyError,
  StoreUnavailableError,
  utcDay,
} from './ingest-common';

/**
 * The store's engine makes it (sql/engine.ts). `now` fixes the arrival clock (tests); by default SQLite takes the node's clock and PostgreSQL
 * the database's, one clock for every node.
 */
export function createIngest(
  store: Store,
  secret: Buffer,
  now?: () => number,
  options: PostgresIngestOptions = {},
): Ingest {
  return engineOf(store).createIngest(secret, now, options);
}
