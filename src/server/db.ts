/**
 * The pool web service's SQLite database: one file in DATA_DIR, WAL, migrated on open.
 * - Durable: `synchronous=FULL`, so an acknowledged commit survives an OS crash or power cut (the
 *   ingest's group commit pays one fsync for many batches).
 * - Private: DATA_DIR is 0700, the database 0600 (SQLite gives its -wal and -shm the same mode).
 * - Bounded: `auto_vacuum=INCREMENTAL`, so a purge can hand freed pages back to the file system,
 *   and the WAL is cut back to JOURNAL_SIZE_LIMIT after a checkpoint.
 * - Waiting: this connection waits up to BUSY_TIMEOUT_MS for another writer, which suits the admin
 *   CLI; the server sets its own connection to never wait (app.ts), because better-sqlite3 waits
 *   synchronously and would freeze the event loop: its writers retry on a timer instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE sites (name TEXT PRIMARY KEY COLLATE NOCASE);
   CREATE TABLE pools (fqdn TEXT PRIMARY KEY COLLATE NOCASE, site TEXT NOT NULL REFERENCES sites(name));
   CREATE TABLE hosts (hostname TEXT PRIMARY KEY COLLATE NOCASE, pool TEXT NOT NULL REFERENCES pools(fqdn));
   CREATE TABLE config_documents (identity TEXT PRIMARY KEY COLLATE NOCASE, document TEXT NOT NULL);
   CREATE TABLE meetings (
     key TEXT PRIMARY KEY,
     organizer TEXT NOT NULL,
     conference_id TEXT NOT NULL,
     pool TEXT NOT NULL REFERENCES pools(fqdn),
     organizer_uri TEXT NOT NULL,
     subject TEXT NOT NULL,
     lobby INTEGER NOT NULL,
     organizer_key TEXT NOT NULL
   );
   CREATE TABLE telemetry_events (
     id TEXT PRIMARY KEY,
     pool TEXT NOT NULL,
     device_id TEXT NOT NULL,
     type TEXT NOT NULL,
     metric TEXT,
     value REAL,
     received_at INTEGER NOT NULL,
     data TEXT NOT NULL
   ) WITHOUT ROWID;
   CREATE INDEX telemetry_events_pool ON telemetry_events (pool, type);`,
  // Retention purges by arrival time; the report's per-metric percentiles read (pool, type, metric).
  `CREATE INDEX telemetry_events_received ON telemetry_events (received_at);
   CREATE INDEX telemetry_events_metric ON telemetry_events (pool, type, metric, value);`,
  // Join by phone (issue 3): each pool's dial-in numbers, each meeting's phone conference ID, and
  // when a meeting ended (its lookup then answers 410 meeting-ended).
  `CREATE TABLE dialin_numbers (
     pool TEXT NOT NULL REFERENCES pools(fqdn),
     region TEXT NOT NULL,
     number TEXT NOT NULL,
     display TEXT NOT NULL,
     toll_free INTEGER NOT NULL,
     PRIMARY KEY (pool, number)
   );
   ALTER TABLE meetings ADD COLUMN dialin_conference_id TEXT;
   ALTER TABLE meetings ADD COLUMN ended_at INTEGER;`,
  // The daily quota of stored telemetry events per pool (TelemetryMaxEventsPerDay): what was
  // stored and what was refused each UTC day, so the report can say how much was refused.
  `CREATE TABLE telemetry_daily (
     pool TEXT NOT NULL COLLATE NOCASE,
     day TEXT NOT NULL,
     stored INTEGER NOT NULL DEFAULT 0,
     refused INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (pool, day)
   ) WITHOUT ROWID;`,
  // Production (issue 12): what kind of store this is (demo or production) and the demo server's
  // port, the SIP domains each pool serves (a domain belongs to one pool), and per-pool API keys of
  // the scheduling API, stored as SHA-256 hashes only.
  `CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE sip_domains (domain TEXT PRIMARY KEY COLLATE NOCASE, pool TEXT NOT NULL REFERENCES pools(fqdn));
   CREATE TABLE api_keys (
     pool TEXT NOT NULL REFERENCES pools(fqdn),
     name TEXT NOT NULL COLLATE NOCASE,
     hash TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER,
     PRIMARY KEY (pool, name)
   );`,
  // The report (issue 15) reads roll-ups, one row per pool and 15-minute slot of event time, made
  // from the events that arrived before the watermark (src/server/telemetry/report/rollup.ts).
  `CREATE TABLE telemetry_rollup (
     pool TEXT NOT NULL COLLATE NOCASE,
     slot INTEGER NOT NULL,
     aggregate TEXT NOT NULL,
     devices BLOB NOT NULL,
     PRIMARY KEY (pool, slot)
   ) WITHOUT ROWID;
   CREATE TABLE telemetry_rollup_state (id INTEGER PRIMARY KEY CHECK (id = 1), rolled_up_to INTEGER NOT NULL);
   INSERT INTO telemetry_rollup_state (id, rolled_up_to) VALUES (1, 0);`,
  // Issue 20: every change to a configuration document, one row per parameter, written in the
  // change's own transaction (config-history.ts). Not telemetry: retention and purge never touch it.
  `CREATE TABLE config_history (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     actor TEXT NOT NULL,
     identity TEXT NOT NULL COLLATE NOCASE,
     parameter TEXT NOT NULL,
     old_value TEXT,
     new_value TEXT
   );
   CREATE INDEX config_history_identity ON config_history (identity, seq);`,
  // A fair daily quota (issue 21): events refused because one address had used its share of the
  // pool's quota (`refused` keeps those over the pool's own quota), and what each address stored
  // today, keyed by the keyed hash of the day and the address (never the address), kept for the
  // day only (telemetry/ingest-sqlite.ts, retention.ts).
  `ALTER TABLE telemetry_daily ADD COLUMN refused_address INTEGER NOT NULL DEFAULT 0;
   CREATE TABLE telemetry_address_daily (
     pool TEXT NOT NULL COLLATE NOCASE,
     day TEXT NOT NULL,
     address TEXT NOT NULL,
     stored INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (pool, day, address)
   ) WITHOUT ROWID;`,
];

export const DATABASE_FILE = 'meet-launcher.sqlite';
/** The schema version a store has once migrated (`PRAGMA user_version`). */
export const SCHEMA_VERSION = MIGRATIONS.length;
export const BUSY_TIMEOUT_MS = 30_000;
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

export function storeExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, DATABASE_FILE));
}

/** Makes DATA_DIR private (0700) and the database file 0600 before SQLite opens it. */
function privateFiles(dataDir: string): string {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dataDir, 0o700);
  const file = path.join(dataDir, DATABASE_FILE);
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const suffix of ['', '-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.chmodSync(file + suffix, 0o600);
  }
  return file;
}

export interface OpenOptions {
  /** Called with every statement SQLite runs (tests count reads with it). */
  verbose?: (sql: unknown) => void;
}

/** Opens the store in DATA_DIR, creating the folder (0700) and an empty store if there is none. */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  const db = new Database(privateFiles(dataDir), options.verbose ? { verbose: options.verbose } : {});
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // Only takes effect before the first table exists; older stores are converted in migrate().
  if ((db.pragma('user_version', { simple: true }) as number) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  db.pragma('foreign_keys = ON');
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  // Migrations only go forward: an older release must not write to a store it does not understand.
  if (version > MIGRATIONS.length)
    throw new Error(
      `the store in ${db.name} has schema ${version}, newer than this release's ${MIGRATIONS.length}: run the release that made it, or restore a backup made before the upgrade`,
    );
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i] as string);
      db.pragma(`user_version = ${i + 1}`);
    }).immediate();
  }
  // A store made before incremental vacuum: converting it takes one full VACUUM, once.
  if ((db.pragma('auto_vacuum', { simple: true }) as number) !== 2) {
    db.pragma('auto_vacuum = INCREMENTAL');
    db.exec('VACUUM');
  }
}
