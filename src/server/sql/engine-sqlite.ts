/**
 * The embedded engine's pieces (engine.ts): live meetings in the SQLite file (on a connection of
 * their own), heard of through an in-process notifier (this process owns the file), the group
 * commit ingest on the one connection, the secret in DATA_DIR's file, DATA_DIR's disk guard and
 * reserve, and admin writes that retry on a timer rather than block the event loop.
 */
import fs from 'node:fs';
import { ensureReserve } from '../disk/disk';
import { freeSpaceGuard } from '../disk/free-space-guard';
import { inProcessNotifier } from '../live/live-notifier';
import { StoreLiveMeetings } from '../live/live-store';
import { loadOrCreateSecretFile, rotateSecretFile, SECRET_FILE } from '../secrets/secret';
import { sqliteAdminWrite } from '../store/admin-write';
import { createSqliteIngest } from '../telemetry/ingest-sqlite';
import { purgeSqlite, purgeSqliteAsync } from '../telemetry/purge';
import type { Engine } from './engine';
import { sqliteSql } from './sqlite';
import { type Db, openLiveConnection } from './sqlite-db';
import type { SqliteStore } from './store';

/** Open, not read-only, its file writable, and answering. */
function sqliteWritable(db: Db): boolean {
  try {
    if (!db.open || db.readonly) return false;
    fs.accessSync(db.name, fs.constants.W_OK);
    db.prepare('SELECT 1').get();
    return true;
  } catch {
    return false;
  }
}

export function sqliteEngine(store: SqliteStore): Engine {
  const { db, dataDir } = store;
  // One per store: every live-meetings instance on this file hears every change.
  const notifier = inProcessNotifier();
  return {
    // On their own connection (openLiveConnection: no fsync per commit, retried when busy).
    openLive: async (limits, options) => {
      const connection = openLiveConnection(db.name);
      try {
        return await StoreLiveMeetings.open(sqliteSql(connection, { retryWhenBusy: true }), notifier, limits, {
          ...options,
          onClose: () => connection.close(),
        });
      } catch (error) {
        connection.close();
        throw error;
      }
    },
    createIngest: (secret, now) => createSqliteIngest(db, secret, now),
    secret: {
      loadOrCreate: async () => loadOrCreateSecretFile(dataDir),
      rotate: async () => rotateSecretFile(dataDir),
      where: SECRET_FILE,
      rotationTakesEffect: 'Restart the server to hash with it',
    },
    ready: async () => sqliteWritable(db),
    notReadyStatus: 'store-not-writable',
    isOpen: () => db.open,
    diskGuard: (minFreeBytes) => freeSpaceGuard(dataDir, minFreeBytes),
    prepareDataDir: (dir) => ensureReserve(dir),
    serveFromThisProcess: () => {
      db.pragma('busy_timeout = 0');
    },
    // A file made before its kind was recorded is an older demo store: left as it is.
    madeNow: async (existed) => !existed,
    adminWrite: (write, options) => sqliteAdminWrite(store, write, options),
    purgeInSlices: (days, now, pool) => purgeSqlite(store, days, now, pool),
    purgeInSlicesAsync: (days, now, pool, observe) => purgeSqliteAsync(store, days, now, pool, observe),
  };
}
