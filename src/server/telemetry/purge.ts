/**
 * Deleting telemetry in slices. One DELETE of 300,000 rows holds the write lock for seconds (and
 * on SQLite better-sqlite3 runs it on the event loop); a slice of SLICE_ROWS holds it for
 * milliseconds.
 * - SQLite: after the rows, freed pages go back to the file system (incremental vacuum, then a
 *   checkpoint that moves the shrunken pages into the database file and cuts the WAL back).
 * - PostgreSQL: each slice is its own statement; the slice skips rows another node's purge has
 *   locked (SKIP LOCKED), so nodes purging at once share the work instead of queueing. The space
 *   is PostgreSQL's to reuse (autovacuum): no vacuum is run from here.
 */

import { restoreReserve } from '../disk/disk';
import { type StepObserver, writeWhenFree } from '../disk/write-when-free';
import { engineOf } from '../sql/engine';
import { POSTGRES_FRAGMENTS, SQLITE_FRAGMENTS, type SqlFragments } from '../sql/fragments';
import type { Db } from '../sql/sqlite-db';
import type { SqliteStore, Store } from '../sql/store';
import { adminWriteSync as adminWrite } from '../store/admin-write';
import { rollupPurge } from './report/rollup';

const DAY_MS = 86_400_000;
/** Rows per slice for the admin CLI (its own process: a slice may take a little longer). */
export const CLI_SLICE_ROWS = 2000;
/** Rows per slice on the server, where every slice runs on the event loop. */
export const SERVER_SLICE_ROWS = 500;
/** Freed pages handed back per step (4 MB of 4 KB pages). */
const VACUUM_PAGES = 1024;

export function cutoffFor(days: number, now: number): number {
  return days === 0 ? Number.MAX_SAFE_INTEGER : now - days * DAY_MS;
}

/** One slice: the oldest `rows` events received before the cutoff (of one pool, if given). */
function slice(fragments: SqlFragments, cutoff: number, rows: number, pool?: string): [string, (string | number)[]] {
  const scope = pool === undefined ? '' : ` AND ${fragments.eventPoolIs}`;
  const skip = fragments.forUpdateSkipLocked;
  const text = `DELETE FROM telemetry_events WHERE id IN
    (SELECT id FROM telemetry_events WHERE received_at < ?${scope} ORDER BY received_at LIMIT ?${skip})`;
  return [text, pool === undefined ? [cutoff, rows] : [cutoff, pool, rows]];
}

function deleteSlice(db: Db, cutoff: number, rows: number, pool?: string): number {
  const [text, params] = slice(SQLITE_FRAGMENTS, cutoff, rows, pool);
  return db.prepare(text).run(...params).changes;
}

function purgeRollupsNow(db: Db, cutoff: number, pool?: string): void {
  const [text, params] = rollupPurge(cutoff, pool);
  db.prepare(text).run(...params);
}

const freePages = (db: Db) => db.pragma('freelist_count', { simple: true }) as number;

/** PostgreSQL: the roll-ups, then slice after slice until one comes back short. */
export async function purgePostgres(store: Store, days: number, now: number, pool: string | undefined, rows: number) {
  const cutoff = cutoffFor(days, now);
  const [rollups, rollupParams] = rollupPurge(cutoff, pool);
  await store.sql.run(rollups, rollupParams);
  let total = 0;
  for (;;) {
    const [text, params] = slice(POSTGRES_FRAGMENTS, cutoff, rows, pool);
    const { changes } = await store.sql.run(text, params);
    total += changes;
    if (changes < rows) return total;
  }
}

/**
 * Admin CLI: slice by slice; on SQLite each is an admin write (so a full disk releases the
 * reserve) and the freed space goes back to the disk.
 */
export function purgeInSlices(store: Store, days: number, now = Date.now(), pool?: string): Promise<number> {
  return engineOf(store).purgeInSlices(days, now, pool);
}

/** purgeInSlices on SQLite. */
export async function purgeSqlite(store: SqliteStore, days: number, now: number, pool?: string): Promise<number> {
  const { db } = store;
  const cutoff = cutoffFor(days, now);
  // The report's roll-ups of those days go with the events.
  adminWrite(db, () => purgeRollupsNow(db, cutoff, pool));
  let total = 0;
  for (;;) {
    const deleted = adminWrite(db, () => deleteSlice(db, cutoff, CLI_SLICE_ROWS, pool));
    total += deleted;
    // Keeps the WAL small while a full disk has only the reserve to spare.
    db.pragma('wal_checkpoint(TRUNCATE)');
    if (deleted < CLI_SLICE_ROWS) break;
  }
  while (freePages(db) > 0) {
    adminWrite(db, () => db.pragma(`incremental_vacuum(${VACUUM_PAGES})`));
    db.pragma('wal_checkpoint(TRUNCATE)');
  }
  // The room a full disk's purge gave back first makes the reserve again, for the next full disk.
  restoreReserve(store.dataDir);
  return total;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Server: the same, yielding to the event loop between slices (SQLite: never waiting for a lock). */
export async function purgeInSlicesAsync(
  store: Store,
  days: number,
  now = Date.now(),
  pool?: string,
  observe?: StepObserver,
): Promise<number> {
  return engineOf(store).purgeInSlicesAsync(days, now, pool, observe);
}

/** purgeInSlicesAsync on SQLite. */
export async function purgeSqliteAsync(
  store: SqliteStore,
  days: number,
  now: number,
  pool?: string,
  observe?: StepObserver,
): Promise<number> {
  const { db } = store;
  const cutoff = cutoffFor(days, now);
  if (!db.open) return 0;
  await writeWhenFree(db, () => purgeRollupsNow(db, cutoff, pool));
  let total = 0;
  for (;;) {
    if (!db.open) return total;
    const deleted = await writeWhenFree(db, () => deleteSlice(db, cutoff, SERVER_SLICE_ROWS, pool), observe);
    total += deleted;
    if (deleted < SERVER_SLICE_ROWS) break;
    await nextTurn();
  }
  while (db.open && freePages(db) > 0) {
    await writeWhenFree(db, () => db.pragma(`incremental_vacuum(${VACUUM_PAGES / 4})`), observe);
    await nextTurn();
  }
  // PASSIVE: never waits for readers or writers.
  if (db.open) {
    db.pragma('wal_checkpoint(PASSIVE)');
    restoreReserve(store.dataDir);
  }
  return total;
}
