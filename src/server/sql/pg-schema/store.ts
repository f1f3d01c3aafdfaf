/** PostgreSQL schema: the store tables. Append new migrations; never edit one that has shipped. */
import type { Migration } from '../pg-migrations';

/**
 * The tables of SQLite's store migrations 1, 3 and 5 (../sqlite-schema/store.ts) (configuration, topology, meetings, dial-in,
 * meta, SIP domains, API keys), as they stand now. Differences, so the same queries work on both:
 * - keys compared case-insensitively in SQLite (`COLLATE NOCASE`) are `citext` here, and so are the
 *   columns that refer to them;
 * - times are ms since the epoch in BIGINT; SQLite's 0/1 INTEGER flags are SMALLINT 0/1;
 * - hosts and sip_domains list a pool's entries in the order they were given (the first web host is
 *   the one links use): SQLite reads its implicit `rowid`, so here an identity column has that name.
 */
const STORE_1 = `
CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE sites (name CITEXT PRIMARY KEY);

CREATE TABLE pools (
  fqdn CITEXT PRIMARY KEY,
  site CITEXT NOT NULL REFERENCES sites (name)
);
CREATE INDEX pools_site ON pools (site);

CREATE TABLE hosts (
  hostname CITEXT PRIMARY KEY,
  pool CITEXT NOT NULL REFERENCES pools (fqdn),
  rowid BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX hosts_pool ON hosts (pool, rowid);

CREATE TABLE config_documents (
  identity CITEXT PRIMARY KEY,
  document TEXT NOT NULL
);

CREATE TABLE meetings (
  key TEXT PRIMARY KEY,
  organizer TEXT NOT NULL,
  conference_id TEXT NOT NULL,
  pool CITEXT NOT NULL REFERENCES pools (fqdn),
  organizer_uri TEXT NOT NULL,
  subject TEXT NOT NULL,
  lobby SMALLINT NOT NULL CHECK (lobby IN (0, 1)),
  organizer_key TEXT NOT NULL,
  dialin_conference_id TEXT,
  ended_at BIGINT
);
CREATE INDEX meetings_pool ON meetings (pool, key);
CREATE INDEX meetings_phone ON meetings (pool, dialin_conference_id);

CREATE TABLE dialin_numbers (
  pool CITEXT NOT NULL REFERENCES pools (fqdn),
  region TEXT NOT NULL,
  number TEXT NOT NULL,
  display TEXT NOT NULL,
  toll_free SMALLINT NOT NULL CHECK (toll_free IN (0, 1)),
  PRIMARY KEY (pool, number)
);
CREATE INDEX dialin_numbers_number ON dialin_numbers (number);

CREATE TABLE meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE sip_domains (
  domain CITEXT PRIMARY KEY,
  pool CITEXT NOT NULL REFERENCES pools (fqdn),
  rowid BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX sip_domains_pool ON sip_domains (pool, rowid);

CREATE TABLE api_keys (
  pool CITEXT NOT NULL REFERENCES pools (fqdn),
  name CITEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  PRIMARY KEY (pool, name)
);
`;

/**
 * Issue 20: SQLite's config_history (../sqlite-schema/store.ts), every change to a configuration document, one row per
 * parameter. `seq` keeps the order the changes committed in (admin writes queue on one lock).
 */
const CONFIG_HISTORY = `
CREATE TABLE config_history (
  seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  identity CITEXT NOT NULL,
  parameter TEXT NOT NULL,
  old_value TEXT,
  new_value TEXT
);
CREATE INDEX config_history_identity ON config_history (identity, seq);
`;

export const STORE_MIGRATIONS: Migration[] = [
  { name: 'store-1', sql: STORE_1 },
  { name: 'store-config-history', sql: CONFIG_HISTORY },
];
