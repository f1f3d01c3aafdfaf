/**
 * The disk under DATA_DIR: how much is free (the ingest's guard), and a reserve file that keeps
 * room for the admin. When the disk fills anyway (another process, a huge log), an admin write
 * that fails with "disk full" releases the reserve and tries once more, so `set
 * --MeetingUxEnableTelemetry false` and `purge` still work. The reserve is made again as soon as
 * there is room for it and as much to spare (restoreReserve): at the end of a purge (which is what
 * gives the room back), after an admin write that used it, and by the server's free-space guard
 * (checked at most once a second), so a second full disk before a restart finds it in place.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Enough for many admin writes and a purge's slices (WAL frames, then a checkpoint). */
export const RESERVE_BYTES = 16 * 1024 * 1024;
const RESERVE_FILE = 'disk-reserve';

const reserveFile = (dataDir: string) => path.join(dataDir, RESERVE_FILE);

/** The reserve's size: RESERVE_BYTES when in place, 0 once used (its empty file stays), -1 if never made. */
function reserveSize(dataDir: string): number {
  try {
    return fs.statSync(reserveFile(dataDir)).size;
  } catch {
    return -1;
  }
}

/** Makes the reserve if it is missing or used and there is room; never fails (the reserve is a cushion). */
export function ensureReserve(dataDir: string): void {
  const file = reserveFile(dataDir);
  if (reserveSize(dataDir) >= RESERVE_BYTES) return;
  try {
    // Written, not sparse: a sparse file would hold no blocks back.
    const chunk = Buffer.alloc(1024 * 1024);
    const fd = fs.openSync(file, 'w', 0o600);
    try {
      for (let written = 0; written < RESERVE_BYTES; written += chunk.length) fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // No room after all: give back what was written; the empty file marks a reserve to make again.
    try {
      fs.truncateSync(file, 0);
    } catch {
      // Not even the file could be made: the next start tries again.
    }
  }
}

/**
 * Makes the reserve again after it was used (its empty file is the mark), if the disk has room for
 * it and as much again to spare, so it never takes the last space a write needs. A store that never
 * had a reserve is left alone. True if the reserve is in place afterwards.
 */
export function restoreReserve(dataDir: string): boolean {
  const size = reserveSize(dataDir);
  if (size >= RESERVE_BYTES) return true;
  if (size < 0) return false;
  try {
    if (freeBytes(dataDir) < 2 * RESERVE_BYTES) return false;
  } catch {
    return false;
  }
  ensureReserve(dataDir);
  return reserveSize(dataDir) >= RESERVE_BYTES;
}

/** Frees the reserve's space (its empty file stays, to be made again); true if there was any to free. */
export function releaseReserve(dataDir: string): boolean {
  if (reserveSize(dataDir) <= 0) return false;
  fs.truncateSync(reserveFile(dataDir), 0);
  return true;
}

/** Bytes an unprivileged writer may still use on the file system holding `dir`. */
export function freeBytes(dir: string): number {
  const stats = fs.statfsSync(dir);
  return stats.bavail * stats.bsize;
}

/** SQLite's "database or disk is full" (ENOSPC on the file system, or its page limit). */
export function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_FULL' ||
    (typeof code === 'string' && code.startsWith('SQLITE_IOERR') && /space/i.test(String((error as Error).message)))
  );
}

/** Another connection holds the write lock (defined beside the SQLite connection, sql/sqlite-db.ts). */
export { isBusy } from '../sql/sqlite-db';
