/**
 * The admin CLI is another process: when it removes a meeting (or one is marked ended), the server
 * learns it here, by checking its live meetings against the store every few seconds, and ends them
 * for everyone on them. The check costs one indexed query for the meetings live right now.
 */
import type { Sql } from '../sql/sql';
import { goneMeetingKeys } from '../store/meetings';
import type { Live } from './live';

export const SWEEP_INTERVAL_MS = 2_000;

export function sweepRemovedMeetings(sql: Sql, live: Live, intervalMs = SWEEP_INTERVAL_MS): () => void {
  let running = false;
  const timer = setInterval(async () => {
    // A slow store must not stack sweeps on top of each other.
    if (running) return;
    running = true;
    try {
      for (const key of await goneMeetingKeys(sql, await live.meetingKeys())) await live.endMeeting(key);
    } catch {
      // A store that cannot be read now is tried again on the next tick; /readyz reports it.
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
