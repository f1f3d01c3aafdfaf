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
];

export function openDatabase(dataDir: string): Db {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, 'meet-launcher.sqlite'));
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
