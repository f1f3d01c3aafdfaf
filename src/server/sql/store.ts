/**
 * The store: the embedded SQLite file in DATA_DIR (the default: nothing else to install), or a
 * shared PostgreSQL when DATABASE_URL is set (many nodes, one pool). Both are migrated on open.
 */
import pg from 'pg';
import { type Db, openDatabase } from '../db';
import { migratePostgres } from './pg-migrations';
import { postgresSql } from './postgres';
import type { Sql } from './sql';
import { sqliteSql } from './sqlite';

export type Store =
  | { dialect: 'sqlite'; sql: Sql; db: Db; dataDir: string; close(): Promise<void> }
  | { dialect: 'postgres'; sql: Sql; pool: pg.Pool; url: string; close(): Promise<void> };

export interface StoreLocation {
  dataDir: string;
  /** postgres://…; when set, the whole store is there and DATA_DIR holds no store. */
  databaseUrl?: string;
}

/** A URL safe to log: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

export function sqliteStore(db: Db, dataDir: string): Store {
  return {
    dialect: 'sqlite',
    sql: sqliteSql(db),
    db,
    dataDir,
    async close() {
      db.close();
    },
  };
}

export async function openPostgresStore(url: string, poolSize = 10): Promise<Store> {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(`DATABASE_URL must start with postgres:// (got ${redactUrl(url)})`);
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  // An idle client whose server went away must not crash the process; the next query fails instead.
  pool.on('error', () => {});
  try {
    await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return {
    dialect: 'postgres',
    sql: postgresSql(pool),
    pool,
    url,
    async close() {
      await pool.end();
    },
  };
}

export async function openStore(location: StoreLocation): Promise<Store> {
  if (location.databaseUrl) return openPostgresStore(location.databaseUrl);
  return sqliteStore(openDatabase(location.dataDir), location.dataDir);
}
