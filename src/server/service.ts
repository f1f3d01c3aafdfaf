/**
 * What the demo server (main.ts) and the production server (serve.ts) share: the app's options
 * that come from the environment, and the store's background jobs. One place, so a setting or a
 * job added for one cannot be forgotten by the other.
 */
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from './app';
import type { Db } from './db';
import { loadOrCreateSecret } from './secret';
import type { Settings } from './settings';
import { sqliteStore } from './sql/store';
import { ensureReserve } from './storage/disk';
import { scheduleRollUp } from './telemetry/report/rollup';
import { scheduleRetention } from './telemetry/retention';

/** Opens what the service needs in DATA_DIR beside the store and reads the environment's options. */
export function serviceOptions(db: Db, settings: Settings): AppOptions {
  // Room kept back for the admin: a full disk can still take `set` and `purge` (storage/disk.ts).
  ensureReserve(settings.dataDir);
  return {
    db,
    secret: loadOrCreateSecret(settings.dataDir),
    distDir: settings.distDir,
    log: { level: settings.logLevel },
    ingestLimits: { minFreeBytes: settings.minFreeBytes },
    trustProxy: settings.trustProxy,
    turnSecret: settings.turnSecret,
  };
}

/** Telemetry retention and the report's roll-ups, while the server runs; returns their stop. */
export function startBackgroundJobs(db: Db, app: FastifyInstance, settings: Settings): () => void {
  const store = sqliteStore(db, settings.dataDir);
  const stopRetention = scheduleRetention(store, settings.telemetryRetentionDays, (error) =>
    app.log.error({ err: error }, 'telemetry retention purge failed'),
  );
  const stopRollUp = scheduleRollUp(store.sql, {
    onError: (error) => app.log.error({ err: error }, 'telemetry roll-up failed (retried in a minute)'),
  });
  return () => {
    stopRetention();
    stopRollUp();
  };
}
