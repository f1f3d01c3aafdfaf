/**
 * Live meetings: the one async interface (live-model.ts) and the factory that opens them on the
 * store (live-store.ts), with the notifier its engine chose (sql/engine.ts): in-process beside the
 * embedded SQLite file (one process, as `npm start` runs), NOTIFY beside a DATABASE_URL store (any
 * number of nodes). Either way a restart ends no meeting.
 */
import { engineOf } from '../sql/engine';
import type { Store } from '../sql/store';
import type { Live, LiveLimits, LiveLog } from './live-model';
import type { StoreLiveOptions } from './live-store';

export * from './live-model';
export { StoreLiveMeetings } from './live-store';

export interface LiveNodeOptions extends Partial<Omit<StoreLiveOptions, 'nodeName' | 'log'>> {
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
