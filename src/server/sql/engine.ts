/**
 * The engine chosen once. The store (store.ts) is the embedded SQLite file or a shared PostgreSQL;
 * everything that works differently on the two (live meetings, the telemetry ingest, the HMAC
 * secret, readiness, the disk guard and reserve, admin writes, the purge) is one piece of the
 * `Engine` below, made by engine-sqlite.ts or engine-postgres.ts. Callers ask `engineOf(store)`
 * for the pieces they need and never test which engine it is; the SQL that differs is
 * `sql.fragments` (fragments.ts). The choice is made here, once per store, when store.ts opens it;
 * every later engineOf(store) returns the same pieces.
 */

import type { FreeSpaceGuard } from '../disk/free-space-guard';
import type { StepObserver } from '../disk/write-when-free';
import type { LiveNodeOptions } from '../live/live';
import type { Live, LiveLimits } from '../live/live-model';
import type { Ingest } from '../telemetry/ingest-common';
import type { PostgresIngestOptions } from '../telemetry/ingest-postgres';
import { postgresEngine } from './engine-postgres';
import { sqliteEngine } from './engine-sqlite';
import type { Sql } from './sql';
import type { Store } from './store';

export interface Engine {
  /** The live meetings for this store; `close()` stops their background work (not the store). */
  openLive(limits: Partial<LiveLimits>, options: LiveNodeOptions): Promise<Live>;
  /** The telemetry ingest; `now` fixes the arrival clock (tests). */
  createIngest(secret: Buffer, now?: () => number, options?: PostgresIngestOptions): Ingest;
  /** The UserID HMAC's key (secrets/secret.ts). */
  secret: {
    loadOrCreate(): Promise<Buffer>;
    rotate(): Promise<Buffer>;
    /** Where it is kept, for messages. */
    where: string;
    /** When the server starts hashing with a rotated one, for messages. */
    rotationTakesEffect: string;
  };
  /** Whether the store takes writes now (/readyz). */
  ready(): Promise<boolean>;
  /** /readyz's status when `ready()` is false. */
  notReadyStatus: string;
  /** False once the store is closed (background jobs then skip their turn). */
  isOpen(): boolean;
  /** The free-space guard the ingest and /readyz share. */
  diskGuard(minFreeBytes: number): FreeSpaceGuard;
  /** Makes what the service keeps beside the store in DATA_DIR (the disk reserve on SQLite). */
  prepareDataDir(dataDir: string): void;
  /** Sets this server process's connection never to block the event loop waiting for a lock. */
  serveFromThisProcess(): void;
  /** Whether the store was made by this start (`existed`: DATA_DIR's file was there before opening). */
  madeNow(existed: boolean): Promise<boolean>;
  /** One admin write: read, then write, holding the write lock (store/admin-write.ts). */
  adminWrite<T>(write: (sql: Sql) => Promise<T>, options: { maxWaitMs?: number }): Promise<T>;
  /** Deletes events older than `days` (of one pool, if given), slice by slice: the admin CLI's way. */
  purgeInSlices(days: number, now: number, pool?: string): Promise<number>;
  /** The same for the server, yielding between slices. */
  purgeInSlicesAsync(days: number, now: number, pool?: string, observe?: StepObserver): Promise<number>;
}

const engines = new WeakMap<Store, Engine>();

/** The engine-specific pieces for this store, chosen on first use and the same ever after. */
export function engineOf(store: Store): Engine {
  let engine = engines.get(store);
  if (!engine) {
    engine = store.dialect === 'sqlite' ? sqliteEngine(store) : postgresEngine(store);
    engines.set(store, engine);
  }
  return engine;
}
