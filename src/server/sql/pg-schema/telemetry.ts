/**
 * PostgreSQL schema: the telemetry tables. Append new migrations; never edit one that has shipped.
 *
 * The same tables as SQLite's (../sqlite-schema/telemetry.ts), with these choices:
 * - `data` is TEXT holding the event's JSON, as on SQLite. The ingest writes it once and reads of
 *   its fields are rare (the roll-up, once per event; call figures, only the call types), so the
 *   insert pays no JSONB conversion on the hot path, the reads cast `data::json` for the rows they
 *   touch, and every reader (tests, e2e helpers, scripts) gets the same string on both engines.
 * - Keys compared only for equality (event id, pool and type in the events table) use the "C"
 *   collation: byte comparison, cheaper than the locale's, and the order the ingest sorts ids in.
 * - Pool names in the quota and roll-up tables are CITEXT, as SQLite's NOCASE columns: the admin
 *   may type a pool in any case. No foreign key to `pools` (another area's table): telemetry of a
 *   removed pool stays until retention, as on SQLite.
 * - No index on (pool, type, metric, value): nothing reads it since the report reads roll-ups, and
 *   each index costs every insert. (pool, type, received_at) serves the call figures.
 * - `telemetry_secret`: the key of the UserID HMAC, one for every node (secrets/secret.ts).
 */
import type { Migration } from '../pg-migrations';

export const TELEMETRY_MIGRATIONS: Migration[] = [
  {
    name: 'telemetry-1',
    sql: `
      CREATE EXTENSION IF NOT EXISTS citext;
      CREATE TABLE telemetry_events (
        id TEXT COLLATE "C" PRIMARY KEY,
        pool TEXT COLLATE "C" NOT NULL,
        device_id TEXT NOT NULL,
        type TEXT COLLATE "C" NOT NULL,
        metric TEXT,
        value DOUBLE PRECISION,
        received_at BIGINT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX telemetry_events_received ON telemetry_events (received_at);
      CREATE INDEX telemetry_events_pool ON telemetry_events (pool, type, received_at);
      CREATE TABLE telemetry_daily (
        pool CITEXT NOT NULL,
        day TEXT NOT NULL,
        stored BIGINT NOT NULL DEFAULT 0,
        refused BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (pool, day)
      );
      CREATE TABLE telemetry_rollup (
        pool CITEXT NOT NULL,
        slot BIGINT NOT NULL,
        aggregate TEXT NOT NULL,
        devices BYTEA NOT NULL,
        PRIMARY KEY (pool, slot)
      );
      CREATE TABLE telemetry_rollup_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        rolled_up_to BIGINT NOT NULL
      );
      INSERT INTO telemetry_rollup_state (id, rolled_up_to) VALUES (1, 0);
      CREATE TABLE telemetry_secret (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        secret BYTEA NOT NULL CHECK (length(secret) >= 32),
        created_at TIMESTAMPTZ NOT NULL DEFAULT now()
      );
    `,
  },
  {
    // A fair daily quota (issue 21): refusals over one address's share, and each address's count
    // of the day under the keyed hash of the day and the address (never the address itself).
    name: 'telemetry-address-share',
    sql: `
      ALTER TABLE telemetry_daily ADD COLUMN refused_address BIGINT NOT NULL DEFAULT 0;
      CREATE TABLE telemetry_address_daily (
        pool CITEXT NOT NULL,
        day TEXT NOT NULL,
        address TEXT COLLATE "C" NOT NULL,
        stored BIGINT NOT NULL DEFAULT 0,
        PRIMARY KEY (pool, day, address)
      );
    `,
  },
];
