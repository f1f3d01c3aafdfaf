/**
 * The store: the embedded SQLite file in DATA_DIR (the default: nothing else to install), or a
 * shared PostgreSQL when DATABASE_URL is set (many nodes, one pool). Both are migrated on open.
 */
import pg from 'pg';
import { engineOf } from './engine';
import { migratePostgres } from './pg-migrations';
import { postgresSql } from './postgres';
import type { Sql } from './sql';
import { sqliteSql } from './sqlite';
import { type Db, openDatabase } from './sqlite-db';
import { isStoreUnavailable, StoreUnavailableError } from './unavailable';

export type SqliteStore = { dialect: 'sqlite'; sql: Sql; db: Db; dataDir: string; close(): Promise<void> };
export type PostgresStore = { dialect: 'postgres'; sql: Sql; pool: pg.Pool; url: string; close(): Promise<void> };
/** `dialect` is read only under sql/: everything else asks engine.ts for the pieces it needs. */
export type Store = SqliteStore | PostgresStore;

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

/** The engine is chosen here, as the store opens (engine.ts): every later engineOf(store) gets the same pieces. */
function wired(store: Store): Store {
  engineOf(store);
  return store;
}

export function sqliteStore(db: Db, dataDir: string): Store {
  return wired({
    dialect: 'sqlite',
    sql: sqliteSql(db),
    db,
    dataDir,
    async close() {
      db.close();
    },
  });
}

export interface PostgresOptions {
  /** Connections this process may hold (default 10; the admin CLI needs 2). */
  poolSize?: number;
  /** Apply pending migrations on open (default true; the admin CLI checks for a store first). */
  migrate?: boolean;
}

/** How long a request waits for a connection before it is answered 503 store-unavailable. */
export const CONNECT_TIMEOUT_MS = 5000;

/** The error's message with the URL's password taken out, whatever the driver put in it. */
function scrubbed(url: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {}
  return password ? message.split(password).join('***') : message;
}

/** Opening failed: one line that says where, without the password. */
function openError(url: string, error: unknown): Error {
  const where = redactUrl(url);
  if (isStoreUnavailable(error))
    return new StoreUnavailableError(`cannot reach the PostgreSQL store at ${where}: ${scrubbed(url, error)}`);
  return new Error(`the PostgreSQL store at ${where} refused to open: ${scrubbed(url, error)}`);
}

export async function openPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new Error(`DATABASE_URL must start with postgres:// (got ${redactUrl(url)})`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    // A connection whose peer vanished (a node's network cut) is found by TCP, not by a query hanging.
    keepAlive: true,
  });
  // An idle client whose server went away must not crash the process; the next query fails instead.
  pool.on('error', () => {});
  try {
    if (options.migrate === false) (await pool.connect()).release();
    else await migratePostgres(pool);
  } catch (error) {
    await pool.end();
    throw openError(url, error);
  }
  return wired({
    dialect: 'postgres',
    sql: postgresSql(pool),
    pool,
    url,
    async close() {
      await pool.end();
    },
  });
}

export async function openStore(location: StoreLocation, options: PostgresOptions = {}): Promise<Store> {
  if (location.databaseUrl) return openPostgresStore(location.databaseUrl, options);
  return sqliteStore(openDatabase(location.dataDir), location.dataDir);
}

/** Applies pending migrations (SQLite's are applied by openDatabase itself). */
export async function migrateStore(store: Store): Promise<string[]> {
  if (store.dialect === 'sqlite') return [];
  try {
    return await migratePostgres(store.pool);
  } catch (error) {
    throw openError(store.url, error);
  }
}

/** Where the store is, for messages: DATA_DIR's folder, or the URL without its password. */
export function storeWhere(store: Store): string {
  return store.dialect === 'sqlite' ? store.dataDir : redactUrl(store.url);
}
