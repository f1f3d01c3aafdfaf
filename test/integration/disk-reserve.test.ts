/**
 * The admin's 16 MB disk reserve is made again after a full disk used it (issue 21, finding 7), so
 * a second full disk before a restart does not make `purge` fail: on a real small tmpfs (mounting
 * needs root, as in disk-full.test.ts), and through the server's free-space guard.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { runCommand } from '../../src/server/admin/commands';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import {
  ensureReserve,
  freeBytes,
  isDiskFull,
  RESERVE_BYTES,
  releaseReserve,
  restoreReserve,
} from '../../src/server/storage/disk';
import { freeSpaceGuard } from '../../src/server/storage/free-space-guard';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-reserve-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
};
const reserveSize = (dataDir: string) =>
  fs.statSync(path.join(dataDir, 'disk-reserve'), { throwIfNoEntry: false })?.size;

let serial = 0;
/** Telemetry rows of ~100 KB until SQLite says the disk is full. */
function fillStore(db: Db): void {
  const insert = db.prepare(
    `INSERT INTO telemetry_events (id, pool, device_id, type, metric, value, received_at, data)
     VALUES (?, 'pool01.contoso.com', 'd', 'error', NULL, NULL, ?, ?)`,
  );
  const padding = 'x'.repeat(100_000);
  for (;;) {
    try {
      db.transaction(() => {
        for (let i = 0; i < 20; i++) insert.run(`fill-${serial++}`, Date.now(), padding);
      })();
    } catch (error) {
      if (isDiskFull(error)) return;
      throw error;
    }
  }
}

/** A file that takes whatever is left, so nothing at all is free. */
function fillDisk(dir: string, name: string): void {
  const fd = fs.openSync(path.join(dir, name), 'a');
  try {
    const chunk = Buffer.alloc(4096);
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    fs.closeSync(fd);
  }
}

const purge = (dataDir: string) =>
  runCommand(
    { verb: 'purge', olderThanDays: 0, whatIf: false, json: false, changes: {}, options: {} },
    { dataDir },
    8080,
  );

it('a second full disk before a restart: the reserve is back, and purge works again', {
  timeout: 120_000,
}, async () => {
  const mount = tempDir();
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m', 'tmpfs', mount]);
  cleanups.push(() => execFileSync('umount', [mount]));
  const dataDir = path.join(mount, 'data');
  const db = openDatabase(dataDir);
  cleanups.push(() => db.close());
  ensureReserve(dataDir); // as npm start does
  expect(reserveSize(dataDir)).toBe(RESERVE_BYTES);

  for (const round of [1, 2]) {
    fillStore(db);
    fillDisk(mount, `filler-${round}`);
    expect(freeBytes(mount)).toBeLessThan(64 * 1024);
    // The purge releases the reserve to get going, frees the store's pages, and makes it again.
    expect((await purge(dataDir))[0]).toMatch(/^Deleted \d+ telemetry events/);
    expect(reserveSize(dataDir)).toBe(RESERVE_BYTES);
  }
});

it("the server's free-space guard makes a used reserve again once there is room", () => {
  const dataDir = tempDir();
  ensureReserve(dataDir);
  expect(releaseReserve(dataDir)).toBe(true);
  expect(reserveSize(dataDir)).toBe(0);
  expect(releaseReserve(dataDir)).toBe(false);
  let now = 0;
  const guard = freeSpaceGuard(dataDir, 0, () => now);
  expect(guard.hasRoom()).toBe(true);
  expect(reserveSize(dataDir)).toBe(RESERVE_BYTES);
  // A store that never had a reserve is not given one.
  const other = tempDir();
  now += 5000;
  expect(freeSpaceGuard(other, 0, () => now).hasRoom()).toBe(true);
  expect(restoreReserve(other)).toBe(false);
  expect(reserveSize(other)).toBeUndefined();
});
