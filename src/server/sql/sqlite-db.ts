/**
 * The pool web service's SQLite database: one file in DATA_DIR, WAL, migrated on open (the schema:
 * sqlite-migrations.ts and sqlite-schema/).
 * - Durable: `synchronous=FULL`, so an acknowledged commit survives an OS crash or power cut (the
 *   ingest's group commit pays one fsync for many batches).
 * - Private: DATA_DIR is 0700, the database 0600 (SQLite gives its -wal and -shm the same mode).
 * - Bounded: `auto_vacuum=INCREMENTAL`, so a purge can hand freed pages back to the file system,
 *   and the WAL is cut back to JOURNAL_SIZE_LIMIT after a checkpoint.
 * - Waiting: this connection waits up to BUSY_TIMEOUT_MS for another writer, which suits the admin
 *   CLI; the server sets its own connection to never wait (http/app.ts), because better-sqlite3 waits
 *   synchronously and would freeze the event loop: its writers retry on a timer instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { migrateSqlite } from './sqlite-migrations';

export type Db = Database.Database;

export const DATABASE_FILE = 'meet-launcher.sqlite';
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
  // Only takes effect before the first table exists; older stores are converted in migrateSqlite().
  if ((db.pragma('user_version', { simple: true }) as number) === 0) db.pragma('auto_vacuum = INCREMENTAL');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  db.pragma('foreign_keys = ON');
  try {
    migrateSqlite(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * A second connection to the store's file, for live meetings (engine-sqlite.ts). Their writes
 * (joins, chat, streams, heartbeats) must survive the process being killed or restarted, not a
 * power cut: with WAL, `synchronous=NORMAL` gives exactly that without an fsync per commit (a
 * committed transaction is in the WAL, which the OS keeps when the process dies). The WAL mode
 * itself is the file's, set by openDatabase. It never waits inside SQLite (busy_timeout 0): its
 * `Sql` retries on a timer (sqlite.ts `retryWhenBusy`).
 */
export function openLiveConnection(file: string): Db {
  const db = new Database(file);
  db.pragma('busy_timeout = 0');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** Another connection holds the write lock. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
  );
}
