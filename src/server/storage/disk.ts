/**
 * The disk under DATA_DIR: how much is free (the ingest's guard), and a reserve file that keeps
 * room for the admin. When the disk fills anyway (another process, a huge log), an admin write
 * that fails with "disk full" releases the reserve and tries once more, so `set
 * --MeetingUxEnableTelemetry false` and `purge` still work; the reserve is made again at the next
 * open once there is room.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Enough for many admin writes and a purge's slices (WAL frames, then a checkpoint). */
export const RESERVE_BYTES = 16 * 1024 * 1024;
const RESERVE_FILE = 'disk-reserve';

/** Makes the reserve if it is missing and there is room; never fails (the reserve is a cushion). */
export function ensureReserve(dataDir: string): void {
  const file = path.join(dataDir, RESERVE_FILE);
  if (fs.existsSync(file)) return;
  try {
    // Written, not sparse: a sparse file would hold no blocks back.
    const chunk = Buffer.alloc(1024 * 1024);
    const fd = fs.openSync(file, 'wx', 0o600);
    try {
      for (let written = 0; written < RESERVE_BYTES; written += chunk.length) fs.writeSync(fd, chunk);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    fs.rmSync(file, { force: true });
  }
}

/** Frees the reserve; true if there was one to free. */
export function releaseReserve(dataDir: string): boolean {
  const file = path.join(dataDir, RESERVE_FILE);
  if (!fs.existsSync(file)) return false;
  fs.rmSync(file, { force: true });
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

/** Another connection holds the write lock. */
export function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_') || code === 'SQLITE_LOCKED')
  );
}
