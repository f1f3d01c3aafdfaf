/**
 * Every admin write (new, set, remove, purge, the topology and meeting verbs, the scheduling API)
 * goes through `adminWrite`: the read and the write of one command are one transaction that takes
 * the store's write lock first (SQLite `BEGIN IMMEDIATE`; PostgreSQL a transaction-scoped advisory
 * lock), so concurrent admins, on one machine or on many nodes, queue and each one reads what the
 * one before it wrote: all land, or one fails loudly. On SQLite:
 * - when the disk is full, the disk reserve is released and the write tried once more: the switch
 *   always wins;
 * - the server's connection never waits synchronously for the lock (busy_timeout 0, set by http/app.ts through sql/engine-sqlite.ts), so a
 *   write that meets another process's lock is tried again on a timer, for as long as the CLI's
 *   connection would have waited (BUSY_TIMEOUT_MS).
 */
import path from 'node:path';
import { isBusy, isDiskFull, releaseReserve, restoreReserve } from '../disk/disk';
import { engineOf } from '../sql/engine';
import type { Sql } from '../sql/sql';
import { BUSY_TIMEOUT_MS, type Db } from '../sql/sqlite-db';
import type { SqliteStore, Store } from '../sql/store';

const BUSY_RETRY_MS = 25;

export function dataDirOf(db: Db): string {
  return path.dirname(db.name);
}

/**
 * Runs `write` (which reads what it needs, then writes) as one transaction holding the write lock.
 * `maxWaitMs` bounds the wait for another writer's lock (SQLite default BUSY_TIMEOUT_MS; PostgreSQL
 * none): past it SQLite's busy error or PostgreSQL's lock_not_available (isLockTimeout) is thrown
 * and nothing was written.
 */
export async function adminWrite<T>(
  store: Store,
  write: (sql: Sql) => Promise<T>,
  options: { maxWaitMs?: number } = {},
): Promise<T> {
  return engineOf(store).adminWrite(write, options);
}

/** SQLite's admin write: retried on a timer while another process holds the lock, the reserve released once on a full disk. */
export async function sqliteAdminWrite<T>(
  store: SqliteStore,
  write: (sql: Sql) => Promise<T>,
  options: { maxWaitMs?: number } = {},
): Promise<T> {
  const attempt = () => store.sql.transaction(write, { exclusive: true, lockWaitMs: options.maxWaitMs });
  const started = Date.now();
  let reserveReleased = false;
  for (;;) {
    try {
      const result = await attempt();
      // Used now: made again at once if the write left room (else by the next purge or the guard).
      if (reserveReleased) restoreReserve(store.dataDir);
      return result;
    } catch (error) {
      if (isDiskFull(error) && !reserveReleased && releaseReserve(store.dataDir)) {
        reserveReleased = true;
        continue;
      }
      if (!isBusy(error) || Date.now() - started >= (options.maxWaitMs ?? BUSY_TIMEOUT_MS)) throw error;
      await new Promise<void>((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
}

/**
 * The same for SQLite code that is still synchronous (the telemetry purge): one `BEGIN IMMEDIATE`
 * transaction, with the disk reserve released once when the disk is full.
 */
export function adminWriteSync<T>(db: Db, write: () => T): T {
  const transaction = db.transaction(write);
  try {
    return transaction.immediate();
  } catch (error) {
    if (!isDiskFull(error) || !releaseReserve(dataDirOf(db))) throw error;
    const result = transaction.immediate();
    restoreReserve(dataDirOf(db));
    return result;
  }
}
