/**
 * What the demo server (main.ts) and the production server (serve.ts) share: the app's options
 * that come from the environment, and the store's background jobs. One place, so a setting or a
 * job added for one cannot be forgotten by the other.
 */
import type { FastifyInstance } from 'fastify';
import type { AppOptions } from '../http/app';
import { loadOrCreateSecret } from '../secrets/secret';
import { engineOf } from '../sql/engine';
import type { Store } from '../sql/store';
import { scheduleRollUp } from '../telemetry/report/rollup';
import { scheduleRetention } from '../telemetry/retention';
import type { Settings } from './settings';

/** Opens what the service needs in DATA_DIR beside the store and reads the environment's options. */
export async function serviceOptions(store: Store, settings: Settings): Promise<AppOptions> {
  // Room kept back for the admin: a full disk can still take `set` and `purge` (disk/disk.ts).
  engineOf(store).prepareDataDir(settings.dataDir);
  return {
    store,
    // One secret for the pool service: DATA_DIR's file, or the row every node shares (secrets/secret.ts).
    secret: await loadOrCreateSecret(store),
    distDir: settings.distDir,
    log: { level: settings.logLevel, nodeName: settings.nodeName },
    ingestLimits: { minFreeBytes: settings.minFreeBytes },
    trustProxy: settings.trustProxy,
    turnSecret: settings.turnSecret,
  };
}

/** Telemetry retention and the report's roll-ups, while the server runs; returns their stop. */
export function startBackgroundJobs(store: Store, app: FastifyInstance, settings: Settings): () => void {
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
