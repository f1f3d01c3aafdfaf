/**
 * A really full disk: DATA_DIR on a small tmpfs, filled by the ingest until SQLite says "database
 * or disk is full". Then the ingest answers 507 and stores nothing, pages still load, the admin's
 * `set --MeetingUxEnableTelemetry false` succeeds (the next batch gets 403), and `purge` gives the
 * space back to the file system. Mounting needs root, as in this project's test sandbox.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { runCommand } from '../../src/server/admin/commands';
import { buildApp } from '../../src/server/app';
import { seedDemoIfEmpty } from '../../src/server/seed';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import { ensureReserve, freeBytes, isDiskFull } from '../../src/server/storage/disk';
import { putDocument } from '../../src/server/store/config-store';
import { createIngest } from '../../src/server/telemetry/ingest';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import { TELEMETRY_LIMITS } from '../../src/shared/telemetry-limits';
import type { TelemetryBatch } from '../../src/shared/telemetry-schema';
import { storeOf } from '../support/temp-store';

const MOUNT_MB = 48;
let mount: string;
let db: Db;
let app: FastifyInstance;
let serial = 0;

function bigBatch(count = 200): TelemetryBatch {
  const events = Array.from({ length: count }, () => ({
    id: `full-${serial++}-padding`,
    type: 'error' as const,
    ts: Date.now(),
    code: 'js:error',
    message: 'x'.repeat(TELEMETRY_LIMITS.errorMessage),
    stack: 'y'.repeat(600),
  }));
  return { v: 1, deviceId: '3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b', events };
}

beforeEach(() => {
  mount = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-full-'));
  // Fails loudly where mounting is not allowed: this test needs a file system that can fill up.
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${MOUNT_MB}m`, 'tmpfs', mount]);
});

afterEach(async () => {
  await app?.close();
  if (db?.open) db.close();
  execFileSync('umount', [mount]);
  fs.rmSync(mount, { recursive: true, force: true });
});

it('with the disk full: 507 for telemetry, pages load, the switch wins, purge frees the disk', {
  timeout: 120_000,
}, async () => {
  const dataDir = path.join(mount, 'data');
  db = openDatabase(dataDir);
  ensureReserve(dataDir); // as npm start does
  await seedDemoIfEmpty(storeOf(db).sql);
  await putDocument(storeOf(db).sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true });
  // The guard is off here (0 bytes), so the disk really fills; the guard has its own test.
  app = await buildApp({
    store: storeOf(db),
    secret: Buffer.alloc(32, 1),
    distDir: mount,
    ingestLimits: { minFreeBytes: 0 },
  });
  const ingest = createIngest(storeOf(db), Buffer.alloc(32, 1));
  let full = false;
  while (!full) {
    try {
      await ingest.storeNow('pool01.contoso.com', bigBatch());
    } catch (error) {
      if (!isDiskFull(error)) throw error;
      full = true;
    }
  }
  // Whatever SQLite left, a file takes: nothing is free now.
  const fd = fs.openSync(path.join(mount, 'filler'), 'a');
  try {
    const chunk = Buffer.alloc(4096);
    for (;;) fs.writeSync(fd, chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    fs.closeSync(fd);
  }
  expect(freeBytes(mount)).toBeLessThan(64 * 1024);

  const post = () =>
    app.inject({
      method: 'POST',
      url: TELEMETRY_PATH,
      headers: { host: '127.0.0.1', 'content-type': 'application/json' },
      payload: JSON.stringify(bigBatch(50)),
    });
  // The WAL can still take a batch or two in the frames of the write that failed; then nothing.
  let refused = await post();
  for (let tries = 0; refused.statusCode === 200 && tries < 50; tries++) refused = await post();
  expect(refused.statusCode).toBe(507);
  expect((await post()).statusCode).toBe(507);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect((await app.inject({ url: '/config/webservice.json', headers: { host: '127.0.0.1' } })).statusCode).toBe(200);

  // The admin CLI's own connection, as `npm run admin -- set ...` opens it.
  expect(
    await runCommand(
      { verb: 'set', changes: { MeetingUxEnableTelemetry: false }, whatIf: false, json: false, options: {} },
      { dataDir },
      8080,
    ),
  ).toEqual(['Set Global: MeetingUxEnableTelemetry: true -> false']);
  expect((await post()).statusCode).toBe(403);

  const dbFile = path.join(dataDir, 'meet-launcher.sqlite');
  const sizeBefore = fs.statSync(dbFile).size;
  const freeBefore = freeBytes(mount);
  const purged = await runCommand(
    { verb: 'purge', olderThanDays: 0, whatIf: false, json: false, changes: {}, options: {} },
    { dataDir },
    8080,
  );
  expect(purged[0]).toMatch(/^Deleted \d+ telemetry events \(all of it\)/);
  expect(fs.statSync(dbFile).size).toBeLessThan(sizeBefore / 4);
  expect(freeBytes(mount) - freeBefore).toBeGreaterThan(16 * 1024 * 1024);
  // After the purge there is room again: the next admin write lands.
  await expect(
    runCommand(
      { verb: 'set', changes: { AllowAnonymousJoin: false }, whatIf: false, json: false, options: {} },
      { dataDir },
      8080,
    ),
  ).resolves.toEqual(['Set Global: AllowAnonymousJoin: true -> false']);
});
