/**
 * One ingest node in its own process: the real telemetry route (telemetry-app.ts) over a store,
 * the embedded SQLite in a DATA_DIR or a shared PostgreSQL. The fault test kills it with SIGKILL
 * mid-burst; the ingest bench measures it beside the full app.
 *
 *   node --import tsx test/support/telemetry-node.ts (--database-url URL | --data-dir DIR)
 *        [--unlimited] [--bare]
 *
 * `--unlimited` lifts the per-address and per-pool limits and the daily quota (all load comes from
 * one address). `--bare` adds POST /bench/bare: parse and insert, one transaction per request, no
 * validation, hashing or group commit (the bench's floor). Prints `{"port":N}` once listening;
 * answers `count` on stdin with the rows each route stored. SIGTERM closes it (waiting batches are
 * committed first); the end of stdin does too.
 */

import { loadOrCreateSecret } from '../../src/server/secrets/secret';
import { openStore } from '../../src/server/sql/store';
import { MAX_TELEMETRY_EVENTS_PER_DAY } from '../../src/shared/config-page';
import { BARE_PATH, type BareBody, bareRoute } from './bare-route';
import { buildTelemetryApp } from './telemetry-app';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
};

async function main(): Promise<void> {
  const databaseUrl = arg('--database-url');
  const dataDir = arg('--data-dir') ?? '';
  if (!databaseUrl && !dataDir) throw new Error('give --database-url or --data-dir');
  const store = await openStore({ dataDir, databaseUrl });
  const unlimited = process.argv.includes('--unlimited');
  const lifted = Number.MAX_SAFE_INTEGER;
  const { app } = buildTelemetryApp({
    store,
    secret: await loadOrCreateSecret(store),
    ...(unlimited
      ? {
          maxEventsPerDay: MAX_TELEMETRY_EVENTS_PER_DAY,
          limits: {
            batchesPerAddressPerMinute: lifted,
            eventsPerAddressPerMinute: lifted,
            eventsPerPoolPerMinute: lifted,
            minFreeBytes: 0,
          },
        }
      : {}),
  });
  const bare = process.argv.includes('--bare') ? await bareRoute(store) : undefined;
  if (bare)
    app.post(BARE_PATH, async (request) => {
      await bare(request.body as BareBody);
      return { ok: true };
    });
  await app.listen({ port: 0, host: '127.0.0.1' });

  const count = async (table: string) => {
    try {
      return Number((await store.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`))?.n ?? 0);
    } catch {
      return 0;
    }
  };
  let closing = false;
  const close = async () => {
    if (closing) return;
    closing = true;
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.stdin.on('data', (chunk) => {
    if (String(chunk).trim() !== 'count') return;
    void Promise.all([count('telemetry_events'), count('bench_bare')]).then(([real, bareRows]) =>
      process.stdout.write(`${JSON.stringify({ real, bare: bareRows })}\n`),
    );
  });
  process.stdin.on('end', () => void close());
  process.on('SIGTERM', () => void close());
  process.stdout.write(`${JSON.stringify({ port: (app.server.address() as { port: number }).port })}\n`);
}

main().catch((error: unknown) => {
  console.error(`telemetry node could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
