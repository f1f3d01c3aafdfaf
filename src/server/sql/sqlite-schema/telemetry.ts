/**
 * SQLite schema: the telemetry tables. PostgreSQL's are in ../pg-schema/telemetry.ts (its
 * `telemetry_secret` table is DATA_DIR's secret file here). Each constant is this part's share of
 * one SQLite migration, named by its version; ../sqlite-migrations.ts puts them in order. Append
 * new ones; never edit one that has shipped.
 */

/** Version 1 (with the store's): the events. */
export const TELEMETRY_1 = `CREATE TABLE telemetry_events (
     id TEXT PRIMARY KEY,
     pool TEXT NOT NULL,
     device_id TEXT NOT NULL,
     type TEXT NOT NULL,
     metric TEXT,
     value REAL,
     received_at INTEGER NOT NULL,
     data TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX telemetry_events_pool ON telemetry_events (pool, type);`;

/** Version 2: retention purges by arrival time; the report's per-metric percentiles read (pool, type, metric). */
export const TELEMETRY_2 = `CREATE INDEX telemetry_events_received ON telemetry_events (received_at);
   CREATE INDEX telemetry_events_metric ON telemetry_events (pool, type, metric, value);`;

/**
 * Version 4: the daily quota of stored telemetry events per pool (TelemetryMaxEventsPerDay): what
 * was stored and what was refused each UTC day, so the report can say how much was refused.
 */
export const TELEMETRY_4 = `CREATE TABLE telemetry_daily (
     pool TEXT NOT NULL COLLATE NOCASE,
     day TEXT NOT NULL,
     stored INTEGER NOT NULL DEFAULT 0,
     refused INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (pool, day)
   ) WITHOUT ROWID;`;

/**
 * Version 6: the report (issue 15) reads roll-ups, one row per pool and 15-minute slot of event
 * time, made from the events that arrived before the watermark (telemetry/report/rollup.ts).
 */
export const TELEMETRY_6 = `CREATE TABLE telemetry_rollup (
     pool TEXT NOT NULL COLLATE NOCASE,
     slot INTEGER NOT NULL,
     aggregate TEXT NOT NULL,
     devices BLOB NOT NULL,
     PRIMARY KEY (pool, slot)
   ) WITHOUT ROWID;
   CREATE TABLE telemetry_rollup_state (id INTEGER PRIMARY KEY CHECK (id = 1), rolled_up_to INTEGER NOT NULL);
   INSERT INTO telemetry_rollup_state (id, rolled_up_to) VALUES (1, 0);`;

/**
 * Version 8: a fair daily quota (issue 21): events refused because one address had used its share
 * of the pool's quota (`refused` keeps those over the pool's own quota), and what each address
 * stored today, keyed by the keyed hash of the day and the address (never the address), kept for
 * the day only (telemetry/ingest-sqlite.ts, retention.ts).
 */
export const TELEMETRY_8 = `ALTER TABLE telemetry_daily ADD COLUMN refused_address INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE telemetry_address_daily (
     pool TEXT NOT NULL COLLATE NOCASE,
     day TEXT NOT NULL,
     address TEXT NOT NULL,
     stored INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (pool, day, address)
   ) WITHOUT ROWID;`;
