/**
 * Live meetings: the one async interface (live-model.ts) and the factory that gives the store's
 * implementation, as its engine chose it (sql/engine.ts): in memory beside the embedded SQLite store (one process, as
 * `npm start` runs), in PostgreSQL beside a DATABASE_URL store (any number of nodes; a node's
 * death or restart ends no meeting).
 */
import { engineOf } from '../sql/engine';
import type { Store } from '../sql/store';
import type { Live, LiveLimits, LiveLog } from './live-model';
import type { PostgresLiveOptions } from './live-postgres';

export { MemoryLiveMeetings } from './live-memory';
export * from './live-model';
export { PostgresLiveMeetings } from './live-postgres';

export interface LiveNodeOptions extends Partial<Omit<PostgresLiveOptions, 'nodeName' | 'log'>> {
  /** NODE_NAME: unique among the nodes sharing a PostgreSQL (host name and port by default). */
  nodeName: string;
  log?: LiveLog;
}

/** The live meetings for this store; `close()` stops their background work (not the store). */
export async function createLiveMeetings(
  store: Store,
  limits: Partial<LiveLimits>,
  options: LiveNodeOptions,
): Promise<Live> {
  return engineOf(store).openLive(limits, options);
}
