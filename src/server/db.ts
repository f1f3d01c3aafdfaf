/** The pool web service's SQLite database: one file in DATA_DIR, WAL, migrated on open. */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type Db = Database.Database;

const MIGRATIONS: string[] = [
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
];

/** The store's file in DATA_DIR. */
export const STORE_FILE = 'meet-launcher.sqlite';

export function storeExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, STORE_FILE));
}

/** Opens the store in DATA_DIR, creating the folder and an empty store if there is none. */
export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, STORE_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  for (let i = version; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i] as string);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
