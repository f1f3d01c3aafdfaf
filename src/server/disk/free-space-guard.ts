/**
 * The ingest's free-space guard: below `minFreeBytes` free on DATA_DIR's file system, the ingest
 * stores nothing (507) while pages, joins and every admin verb keep working in the space left.
 * statfs is cheap but not free: the answer is kept for CHECK_EVERY_MS. A check that finds room also
 * makes the admin's disk reserve again if a full disk used it (disk.ts restoreReserve).
 */
import { freeBytes, restoreReserve } from './disk';

const CHECK_EVERY_MS = 1000;

export interface FreeSpaceGuard {
  hasRoom(): boolean;
  /** A write just failed with "disk full": refuse until the next check says otherwise. */
  sawFull(): void;
}

/** No guard: the store has no disk of its own here (PostgreSQL). */
export const NO_GUARD: FreeSpaceGuard = { hasRoom: () => true, sawFull: () => {} };

export function freeSpaceGuard(dir: string, minFreeBytes: number, now: () => number = Date.now): FreeSpaceGuard {
  let checkedAt = Number.NEGATIVE_INFINITY;
  let room = true;
  return {
    hasRoom() {
      const t = now();
      if (t - checkedAt >= CHECK_EVERY_MS) {
        checkedAt = t;
        try {
          room = freeBytes(dir) >= minFreeBytes;
          if (room) restoreReserve(dir);
        } catch {
          room = false;
        }
      }
      return room;
    },
    sawFull() {
      room = false;
      checkedAt = now();
    },
  };
}
