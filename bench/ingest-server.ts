/**
 * The server half of bench/ingest.ts and bench/abuse.ts, run in its own process so the load
 * generator does not share its event loop: the real app (telemetry on for pool01) on a temp
 * DATA_DIR, plus a bare parse-and-insert route that exists only here, as the floor to compare the
 * real route against. Prints `{"port":N}` once listening; answers `count` on stdin with the rows
 * stored and the database's bytes on disk (file + WAL).
 *
 * With `--throughput` (bench/ingest.ts) the per-address, per-pool and daily limits are lifted: that
 * bench measures how fast one address can store, which the limits exist to stop. Without it
 * (bench/abuse.ts) every limit is the product default. With `--tls` it listens with TLS (HTTP/2 and
 * HTTP/1.1, the test-only certificate), as `npm run serve` does with TLS_CERT_FILE / TLS_KEY_FILE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app';
import { DATABASE_FILE, openDatabase } from '../src/server/db';
import { loadOrCreateSecret } from '../src/server/secret';
import { seedDemoIfEmpty } from '../src/server/seed';
import { sqliteStore } from '../src/server/sql/store';
import { putDocument } from '../src/server/store/config-store';
import { MAX_TELEMETRY_EVENTS_PER_DAY } from '../src/shared/config-page';
import { PRODUCT_DEFAULTS } from '../src/shared/config-schema';

export const BARE_PATH = '/bench/bare';

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-bench-'));
  const db = openDatabase(dataDir);
  const store = sqliteStore(db, dataDir);
  await seedDemoIfEmpty(store.sql);
  const throughput = process.argv.includes('--throughput');
  const tlsDir = path.resolve('test/e2e/tls');
  const tls = process.argv.includes('--tls')
    ? {
        key: fs.readFileSync(path.join(tlsDir, 'test-only.key')),
        cert: fs.readFileSync(path.join(tlsDir, 'test-only.crt')),
      }
    : undefined;
  await putDocument(
    store.sql,
    { kind: 'global' },
    {
      ...PRODUCT_DEFAULTS,
      MeetingUxEnableTelemetry: true,
      ...(throughput ? { TelemetryMaxEventsPerDay: MAX_TELEMETRY_EVENTS_PER_DAY } : {}),
    },
  );
  db.exec(`CREATE TABLE bench_bare (id TEXT PRIMARY KEY, device_id TEXT, type TEXT, data TEXT) WITHOUT ROWID`);
  const insert = db.prepare('INSERT OR IGNORE INTO bench_bare (id, device_id, type, data) VALUES (?, ?, ?, ?)');
  const insertAll = db.transaction((body: { deviceId: string; events: { id: string; type: string }[] }) => {
    for (const event of body.events) insert.run(event.id, body.deviceId, event.type, JSON.stringify(event));
  });

  const unlimited = Number.MAX_SAFE_INTEGER;
  const app = await buildApp({
    store,
    secret: loadOrCreateSecret(dataDir),
    distDir: path.resolve('dist'),
    tls,
    ...(throughput
      ? {
          ingestLimits: {
            batchesPerAddressPerMinute: unlimited,
            eventsPerAddressPerMinute: unlimited,
            eventsPerPoolPerMinute: unlimited,
          },
        }
      : {}),
  });
  // No validation, no hashing, no rate limit, no group commit: one transaction per request.
  app.post(BARE_PATH, async (request) => {
    insertAll(request.body as { deviceId: string; events: { id: string; type: string }[] });
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const file = path.join(dataDir, DATABASE_FILE);
  const size = (name: string) => (fs.existsSync(name) ? fs.statSync(name).size : 0);
  process.stdin.on('data', (chunk) => {
    if (String(chunk).trim() === 'count') {
      const bytes = size(file) + size(`${file}-wal`);
      process.stdout.write(
        `${JSON.stringify({ real: count('telemetry_events'), bare: count('bench_bare'), bytes })}\n`,
      );
    }
  });
  process.stdin.on('end', async () => {
    await app.close();
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
  process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
}

void main();
