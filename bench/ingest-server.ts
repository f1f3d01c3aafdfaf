/**
 * The server half of bench/ingest.ts and bench/abuse.ts, run in its own process so the load
 * generator does not share its event loop: the real app (telemetry on for pool01) on a temp
 * DATA_DIR, plus a bare parse-and-insert route that exists only here, as the floor to compare the
 * real route against. Prints `{"port":N}` once listening; answers `count` on stdin with the rows
 * stored and the database's bytes on disk (file + WAL).
 *
 * With `--throughput` (bench/ingest.ts) the per-address, per-pool and daily limits are lifted: that
 * bench measures how fast one address can store, which the limits exist to stop. Without it
 * (bench/abuse.ts) every limit is the product default. With `--database-url URL` the same app runs
 * on that PostgreSQL database (the ingest bench's PostgreSQL figures), the bare route beside it.
 * With `--tls` it listens with TLS (HTTP/2 and HTTP/1.1, the test-only certificate), as `npm run serve`
 * does with TLS_CERT_FILE / TLS_KEY_FILE.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { seedDemoIfEmpty } from '../src/server/demo/seed';
import { buildApp } from '../src/server/http/app';
import { loadOrCreateSecret } from '../src/server/secrets/secret';
import { DATABASE_FILE } from '../src/server/sql/sqlite-db';
import { openStore } from '../src/server/sql/store';
import { putDocument } from '../src/server/store/config-store';
import { MAX_TELEMETRY_EVENTS_PER_DAY } from '../src/shared/config-page';
import { PRODUCT_DEFAULTS } from '../src/shared/config-schema';
import { BARE_PATH, type BareBody, bareRoute } from '../test/support/bare-route';

export { BARE_PATH };

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'meet-launcher-bench-'));
  const urlAt = process.argv.indexOf('--database-url');
  const databaseUrl = urlAt < 0 ? undefined : process.argv[urlAt + 1];
  const store = await openStore({ dataDir, databaseUrl });
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
  const bare = await bareRoute(store);

  const unlimited = Number.MAX_SAFE_INTEGER;
  const app = await buildApp({
    store,
    secret: await loadOrCreateSecret(store),
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
    await bare(request.body as BareBody);
    return { ok: true };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const count = async (table: string) =>
    Number((await store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0);
  const file = path.join(dataDir, DATABASE_FILE);
  const size = (name: string) => (fs.existsSync(name) ? fs.statSync(name).size : 0);
  process.stdin.on('data', (chunk) => {
    if (String(chunk).trim() !== 'count') return;
    // Bytes on disk: the SQLite file and its WAL (the abuse bench's growth figure; 0 on PostgreSQL).
    const bytes = size(file) + size(`${file}-wal`);
    void Promise.all([count('telemetry_events'), count('bench_bare')]).then(([real, bareRows]) =>
      process.stdout.write(`${JSON.stringify({ real, bare: bareRows, bytes })}\n`),
    );
  });
  process.stdin.on('end', async () => {
    await app.close();
    await store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
  process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
}

void main();
