/**
 * SQLite schema: the store tables (configuration, topology, meetings, dial-in, meta, SIP domains,
 * API keys, configuration history). PostgreSQL's are in ../pg-schema/store.ts. Each constant is
 * this part's share of one SQLite migration, named by its version (`PRAGMA user_version`);
 * ../sqlite-migrations.ts puts them in order. Append new ones; never edit one that has shipped.
 */

/** Version 1 (with telemetry's): topology, configuration documents and meetings. */
export const STORE_1 = `CREATE TABLE sites (name TEXT PRIMARY KEY COLLATE NOCASE);
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
   );`;

/**
 * Version 3: join by phone (issue 3): each pool's dial-in numbers, each meeting's phone conference
 * ID, and when a meeting ended (its lookup then answers 410 meeting-ended).
 */
export const STORE_3 = `CREATE TABLE dialin_numbers (
     pool TEXT NOT NULL REFERENCES pools(fqdn),
     region TEXT NOT NULL,
     number TEXT NOT NULL,
     display TEXT NOT NULL,
     toll_free INTEGER NOT NULL,
     PRIMARY KEY (pool, number)
   );
   ALTER TABLE meetings ADD COLUMN dialin_conference_id TEXT;
   ALTER TABLE meetings ADD COLUMN ended_at INTEGER;`;

/**
 * Version 5: production (issue 12): what kind of store this is (demo or production) and the demo
 * server's port, the SIP domains each pool serves (a domain belongs to one pool), and per-pool API
 * keys of the scheduling API, stored as SHA-256 hashes only.
 */
export const STORE_5 = `CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE sip_domains (domain TEXT PRIMARY KEY COLLATE NOCASE, pool TEXT NOT NULL REFERENCES pools(fqdn));
   CREATE TABLE api_keys (
     pool TEXT NOT NULL REFERENCES pools(fqdn),
     name TEXT NOT NULL COLLATE NOCASE,
     hash TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL,
     last_used_at INTEGER,
     PRIMARY KEY (pool, name)
   );`;

/**
 * Version 7: issue 20: every change to a configuration document, one row per parameter, written in
 * the change's own transaction (config-history.ts). Not telemetry: retention and purge never touch it.
 */
export const STORE_7 = `CREATE TABLE config_history (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     actor TEXT NOT NULL,
     identity TEXT NOT NULL COLLATE NOCASE,
     parameter TEXT NOT NULL,
     old_value TEXT,
     new_value TEXT
   );
   CREATE INDEX config_history_identity ON config_history (identity, seq);`;
