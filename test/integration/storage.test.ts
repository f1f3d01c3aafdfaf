/**
 * The store on disk: private files, durable commits, space handed back after a purge, purges in
 * slices that leave the event loop free (meeting lookups p99 < 100 ms while 300,000 rows go), and
 * a write lock held by another process (the admin CLI) that never blocks the event loop.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/server/sql/sqlite-db';
import { sqliteStore } from '../../src/server/sql/store';
import { putDocument } from '../../src/server/store/config-store';
import { purgeInSlicesAsync } from '../../src/server/telemetry/purge';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import { startTestApp, type TestApp } from '../support/security-app';

let t: TestApp;
let dataDir: string;
beforeEach(async () => {
  // Lookups as fast as the loop allows: the per-address rate limit is not what is measured here.
  t = await startTestApp({ rateLimitPerMinute: 1_000_000 });
  dataDir = path.dirname(t.db.name);
});
afterEach(() => t.close());

const mode = (file: string) => fs.statSync(file).mode & 0o777;

function insertEvents(count: number, receivedAt = 1): void {
  const insert = t.db.prepare(
    `INSERT INTO telemetry_events (id, pool, device_id, type, metric, value, received_at, data)
     VALUES (?, 'pool01.contoso.com', 'device', 'usage', 'imSent', 1, ?, ?)`,
  );
  const data = JSON.stringify({ filler: 'x'.repeat(200) });
  t.db.transaction(() => {
    for (let i = 0; i < count; i++)
      insert.run(`evt-${i.toString(36)}-${Math.random().toString(36).slice(2)}`, receivedAt, data);
  })();
}

it('keeps DATA_DIR 0700 and the database, -wal and -shm 0600', () => {
  insertEvents(10);
  expect(mode(dataDir)).toBe(0o700);
  for (const suffix of ['', '-wal', '-shm']) expect(mode(path.join(dataDir, DATABASE_FILE + suffix))).toBe(0o600);
});

it('commits durably (WAL, synchronous=FULL) and can hand freed pages back (incremental vacuum)', () => {
  expect(t.db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(t.db.pragma('synchronous', { simple: true })).toBe(2);
  expect(t.db.pragma('auto_vacuum', { simple: true })).toBe(2);
  // The server's own connection never waits synchronously for a lock.
  expect(t.db.pragma('busy_timeout', { simple: true })).toBe(0);
});

it('purges 300,000 rows in slices: lookups stay fast and the file shrinks', { timeout: 120_000 }, async () => {
  insertEvents(300_000);
  t.db.pragma('wal_checkpoint(TRUNCATE)');
  const file = path.join(dataDir, DATABASE_FILE);
  const before = fs.statSync(file).size;
  // Real HTTP requests, so each arrives through the event loop like a page's.
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}/api/v1/meetings/alice/7Q3DSSYV`;
  let done = false;
  const latencies: number[] = [];
  const lookups = (async () => {
    while (!done) {
      const started = performance.now();
      const answer = await fetch(url);
      await answer.arrayBuffer();
      latencies.push(performance.now() - started);
      expect(answer.status).toBe(200);
    }
  })();
  // A reference on this machine at this moment (the test box is shared and busy).
  await expect.poll(() => latencies.length, { timeout: 30_000 }).toBeGreaterThan(40);
  const baseline = [...latencies].sort((a, b) => a - b);
  const baselineP99 = baseline[Math.ceil(baseline.length * 0.99) - 1] as number;
  latencies.length = 0;
  // The purge starts while lookups are in flight, as the hourly retention would.
  const steps: number[] = [];
  const purge = purgeInSlicesAsync(sqliteStore(t.db, dataDir), 30, Date.now(), undefined, (cpuMs) =>
    steps.push(cpuMs),
  ).finally(() => {
    done = true;
  });
  await lookups;
  expect(await purge).toBe(300_000);
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1] as number;
  expect(latencies.length).toBeGreaterThan(20);
  // No step holds the loop: each costs milliseconds of CPU (one DELETE of every row costs about a
  // second), measured in CPU time so that a busy machine does not decide the verdict.
  expect(Math.max(...steps)).toBeLessThan(50);
  // Lookups stay within the budget (100 ms) above what this machine gives right now; the purge's
  // own CPU competes with them on a 2-core box, hence the reference counted twice.
  expect(p99).toBeLessThan(100 + 2 * baselineP99);
  t.db.pragma('wal_checkpoint(TRUNCATE)');
  expect(fs.statSync(file).size).toBeLessThan(before / 10);
});

it('waits for another process’s write lock on a timer: the event loop stays free, the batch lands', async () => {
  await putDocument(t.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true });
  const other = new Database(path.join(dataDir, DATABASE_FILE));
  other.prepare('BEGIN IMMEDIATE').run();
  const batch = t.app.inject({
    method: 'POST',
    url: TELEMETRY_PATH,
    headers: { host: '127.0.0.1', 'content-type': 'application/json' },
    payload: JSON.stringify({
      v: 1,
      deviceId: '3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b',
      events: [{ id: 'locked-evt-1', type: 'usage', ts: 1, metric: 'joinAttempt', value: 1 }],
    }),
  });
  let settled = false;
  void batch.then(() => {
    settled = true;
  });
  // While the lock is held, other requests are answered at once.
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    const lookup = await t.app.inject({ url: '/api/v1/meetings/alice/7Q3DSSYV', headers: { host: '127.0.0.1' } });
    expect(lookup.statusCode).toBe(200);
    expect(performance.now() - started).toBeLessThan(100);
  }
  expect(settled).toBe(false);
  other.prepare('COMMIT').run();
  other.close();
  expect((await batch).json()).toEqual({ stored: 1, duplicates: 0, refused: 0 });
});
