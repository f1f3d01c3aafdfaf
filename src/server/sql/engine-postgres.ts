/**
 * The shared engine's pieces (engine.ts): live meetings in PostgreSQL across the nodes, the ingest
 * on the pool, the secret in the `telemetry_secret` row, readiness from the server's role, and no
 * disk of its own to guard (PostgreSQL's disk-full errors are handled where they arrive).
 */

import { NO_GUARD } from '../disk/free-space-guard';
import { postgresNotifier } from '../live/live-listener';
import { StoreLiveMeetings } from '../live/live-store';
import { loadOrCreateSecretRow, rotateSecretRow } from '../secrets/secret';
import { storeKindRecorded } from '../store/meta';
import { createPostgresIngest } from '../telemetry/ingest-postgres';
import { CLI_SLICE_ROWS, purgePostgres, SERVER_SLICE_ROWS } from '../telemetry/purge';
import type { Engine } from './engine';
import type { PostgresStore } from './store';

export function postgresEngine(store: PostgresStore): Engine {
  return {
    openLive: (limits, options) => StoreLiveMeetings.open(store.sql, postgresNotifier(store.url), limits, options),
    createIngest: (secret, now, options = {}) => createPostgresIngest(store.pool, secret, now, options),
    secret: {
      loadOrCreate: () => loadOrCreateSecretRow(store),
      rotate: () => rotateSecretRow(store),
      where: 'the telemetry_secret table',
      rotationTakesEffect: 'Every node hashes with it from its next commit',
    },
    async ready() {
      try {
        // A standby answers reads but refuses writes: not ready for this service.
        const row = await store.sql.get<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
        return row?.standby === false;
      } catch {
        return false;
      }
    },
    notReadyStatus: 'store-unavailable',
    isOpen: () => true,
    diskGuard: () => NO_GUARD,
    prepareDataDir: () => {},
    // PostgreSQL's waits never block the event loop.
    serveFromThisProcess: () => {},
    madeNow: async (existed) => !existed || !(await storeKindRecorded(store.sql)),
    adminWrite: (write, options) => store.sql.transaction(write, { exclusive: true, lockWaitMs: options.maxWaitMs }),
    purgeInSlices: (days, now, pool) => purgePostgres(store, days, now, pool, CLI_SLICE_ROWS),
    purgeInSlicesAsync: (days, now, pool) => purgePostgres(store, days, now, pool, SERVER_SLICE_ROWS),
  };
}
