/**
 * SQLite schema migrations: versioned by position (`PRAGMA user_version` is how many have run),
 * applied in order when the database is opened, each in its own transaction. The tables are in
 * sqlite-schema/, in the same parts as PostgreSQL's (pg-schema/, pg-migrations.ts). Append new
 * versions; never reorder.
 */
import type Database from 'better-sqlite3';
import { LIVE_9 } from './sqlite-schema/live';
import { STORE_1, STORE_3, STORE_5, STORE_7 } from './sqlite-schema/store';
import { TELEMETRY_1, TELEMETRY_2, TELEMETRY_4, TELEMETRY_6, TELEMETRY_8 } from './sqlite-schema/telemetry';

/** Migration i is what takes a store from version i to i + 1. */
export const MIGRATIONS: readonly string[] = [
  `${STORE_1}\n   ${TELEMETRY_1}`,
  TELEMETRY_2,
  STORE_3,
  TELEMETRY_4,
  STORE_5,
  TELEMETRY_6,
  STORE_7,
  TELEMETRY_8,
  LIVE_9,
];

/** The schema version a store has once migrated (`PRAGMA user_version`). */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the migrations this database has not seen, then converts it to incremental vacuum once. */
export function migrateSqlite(db: Database.Database): void {
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
