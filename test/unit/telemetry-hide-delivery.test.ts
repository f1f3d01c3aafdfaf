/**
 * The one delivery path the timer's flush and the hiding page share (delivery.ts): a batch the
 * service calls too large (413) is split until it goes through, and every event is settled once.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { batchSender } from '../../src/client/telemetry/delivery';
import { EventQueue } from '../../src/client/telemetry/queue';
import type { TelemetryEvent } from '../../src/shared/telemetry-schema';

const DEVICE = '00000000-0000-4000-8000-000000000000';
const usage = (n: number): TelemetryEvent => ({
  id: `event-${String(n).padStart(4, '0')}`,
  type: 'usage',
  ts: 1,
  metric: 'imSent',
  value: 1,
});

afterEach(() => vi.unstubAllGlobals());

describe('batchSender', () => {
  it('splits a batch the service refuses as too large and settles every event once', async () => {
    const bodies: number[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: { body: string }) => {
        const { events } = JSON.parse(init.body) as { events: unknown[] };
        bodies.push(events.length);
        return new Response(null, { status: events.length > 2 ? 413 : 200 });
      }),
    );
    const queue = new EventQueue('tab-hide-test', () => []);
    await queue.ready;
    const events = Array.from({ length: 8 }, (_, i) => usage(i));
    for (const event of events) queue.add(event);
    const sender = batchSender('/telemetry/v1/batch', DEVICE);
    const outcome = await sender.send(queue, queue.waiting(), () => true);
    expect(outcome).toEqual({ kind: 'done' });
    expect(bodies).toEqual([8, 4, 2, 2, 4, 2, 2]);
    expect(queue.size).toBe(0);
    expect(queue.inFlightBytes).toBe(0);
    queue.close(true);
  });
});
