/** The live-meeting gauges: one read per scrape, and a store that cannot be read fails no scrape. */
import { afterEach, expect, it, vi } from 'vitest';
import { createMetrics } from '../../src/server/http/metrics';

afterEach(() => {
  vi.useRealTimers();
});

it('reads the live counts once per scrape and keeps the last figures while the store is down', async () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const metrics = createMetrics({ nodeName: 'node-a' });
  let reads = 0;
  let down = false;
  metrics.watchLive(async () => {
    reads++;
    if (down) throw new Error('Connection terminated unexpectedly');
    return { meetings: 2, inMeeting: 5, inLobby: 1, streams: 6 };
  });
  const first = await metrics.registry.metrics();
  expect(reads).toBe(1);
  expect(first).toContain('meet_live_meetings{node="node-a"} 2');
  expect(first).toContain('meet_live_participants{state="lobby",node="node-a"} 1');
  expect(first).toContain('meet_event_streams_open{node="node-a"} 6');

  down = true;
  vi.setSystemTime(Date.now() + 1500);
  const second = await metrics.registry.metrics();
  expect(reads).toBe(2);
  expect(second).toContain('meet_live_meetings{node="node-a"} 2');
  const errors = await metrics.registry.getSingleMetric('meet_store_errors_total')?.get();
  expect(errors?.values[0]?.value).toBe(1);
});
