/**
 * PostgreSQL schema migrations: versioned by name, applied in order on start (and by
 * `admin init`), each in its own transaction, recorded in `schema_migrations`. Nodes starting
 * together queue on an advisory lock, so each migration runs once.
 */
import type pg from 'pg';
import { LIVE_MIGRATIONS } from './pg-schema/live';
import { STORE_MIGRATIONS } from './pg-schema/store';
import { TELEMETRY_MIGRATIONS } from './pg-schema/telemetry';

export interface Migration {
  /** Unique and stable, e.g. `store-1`. */
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [...STORE_MIGRATIONS, ...TELEMETRY_MIGRATIONS, ...LIVE_MIGRATIONS];

const MIGRATION_LOCK = 0x6d6c_0000;

/** Applies the migrations this database has not seen; returns the names applied. */
export async function migratePostgres(pool: pg.Pool, migrations: Migration[] = MIGRATIONS): Promise<string[]> {
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const done = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    for (const migration of migrations) {
      if (done.has(migration.name)) continue;
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (name) VALUES ($1)', [migration.name]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`PostgreSQL migration ${migration.name} failed: ${(error as Error).message}`);
      }
      applied.push(migration.name);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
    client.release();
  }
  return applied;
}
