/**
 * Deleting telemetry in slices. One DELETE of 300,000 rows holds the write lock for seconds, and
 * better-sqlite3 runs it on the event loop; a slice of SLICE_ROWS holds it for milliseconds. After
 * the rows, freed pages go back to the file system (incremental vacuum, then a checkpoint that
 * moves the shrunken pages into the database file and cuts the WAL back).
 */
import type { Db } from '../db';
import { type StepObserver, writeWhenFree } from '../storage/write-when-free';
import { adminWriteSync as adminWrite } from '../store/admin-write';
import { purgeRollups } from './report/rollup';

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

function deleteSlice(db: Db, cutoff: number, rows: number, pool?: string): number {
  const scope = pool === undefined ? '' : ' AND pool = ? COLLATE NOCASE';
  const sql = `DELETE FROM telemetry_events WHERE id IN
    (SELECT id FROM telemetry_events WHERE received_at < ?${scope} ORDER BY received_at LIMIT ?)`;
  const args = pool === undefined ? [cutoff, rows] : [cutoff, pool, rows];
  return db.prepare(sql).run(...args).changes;
}

const freePages = (db: Db) => db.pragma('freelist_count', { simple: true }) as number;

/** Admin CLI: slice by slice, each an admin write (so a full disk releases the reserve). */
export function purgeInSlices(db: Db, days: number, now = Date.now(), pool?: string): number {
  const cutoff = cutoffFor(days, now);
  // The report's roll-ups of those days go with the events.
  adminWrite(db, () => purgeRollups(db, cutoff, pool));
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
  return total;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Server: the same, yielding to the event loop between slices. */
export async function purgeInSlicesAsync(
  db: Db,
  days: number,
  now = Date.now(),
  pool?: string,
  observe?: StepObserver,
): Promise<number> {
  const cutoff = cutoffFor(days, now);
  if (!db.open) return 0;
  await writeWhenFree(db, () => purgeRollups(db, cutoff, pool));
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
  if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
  return total;
}
