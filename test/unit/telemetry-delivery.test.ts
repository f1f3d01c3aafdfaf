/** Batching, 413 splitting, backoff with jitter and Retry-After, usage aggregation, error scrubbing. */
import { describe, expect, it } from 'vitest';
import { backoffDelay, MAX_BACKOFF_MS, MAX_RETRY_AFTER_MS, parseRetryAfter } from '../../src/client/telemetry/backoff';
import { deliver, type SendResult, takeBatch } from '../../src/client/telemetry/batches';
import { errorEvent, MAX_STACK, scrubUrls } from '../../src/client/telemetry/errors';
import { UsageCounters, type UsageEvent } from '../../src/client/telemetry/usage';
import type { TelemetryEvent } from '../../src/shared/telemetry-schema';

const usage = (n: number, metric: 'imSent' | 'joinAttempt' = 'imSent'): TelemetryEvent => ({
  id: `event-${String(n).padStart(4, '0')}`,
  type: 'usage',
  ts: 1,
  metric,
  value: 1,
});
const events = (count: number) => Array.from({ length: count }, (_, i) => usage(i));

describe('takeBatch', () => {
  it('stops at the event limit', () => {
    expect(takeBatch(events(120), 50, 1_000_000).length).toBe(50);
  });
  it('stops before the byte limit', () => {
    const batch = takeBatch(events(120), 500, 2000);
    const body = JSON.stringify({ v: 1, deviceId: '00000000-0000-4000-8000-000000000000', events: batch });
    expect(body.length).toBeLessThanOrEqual(2000);
    expect(takeBatch(events(120), 500, 2000 + 200).length).toBeGreaterThan(batch.length);
  });
  it('always takes at least one event, so an oversized one can be tried (and dropped on 413)', () => {
    expect(takeBatch(events(3), 50, 10)).toHaveLength(1);
  });
  it('keeps the queue order', () => {
    expect(takeBatch(events(5), 3, 100_000).map((e) => e.id)).toEqual(['event-0000', 'event-0001', 'event-0002']);
  });
});

describe('deliver', () => {
  const recorder = (answer: (events: TelemetryEvent[]) => SendResult) => {
    const calls: number[] = [];
    const send = async (batch: TelemetryEvent[]) => {
      calls.push(batch.length);
      return answer(batch);
    };
    return { calls, send };
  };

  it('settles a batch the service took', async () => {
    const { send } = recorder(() => ({ kind: 'sent' }));
    expect(await deliver(events(4), send)).toEqual({
      settled: ['event-0000', 'event-0001', 'event-0002', 'event-0003'],
      outcome: { kind: 'done' },
    });
  });

  it('splits on 413 until the halves fit, and sends every event exactly once', async () => {
    const sent: string[] = [];
    const { calls, send } = recorder((batch) => {
      if (batch.length > 3) return { kind: 'too-large' };
      sent.push(...batch.map((e) => e.id));
      return { kind: 'sent' };
    });
    const all = events(10);
    const result = await deliver(all, send);
    expect(calls).toEqual([10, 5, 3, 2, 5, 3, 2]);
    expect(sent.sort()).toEqual(all.map((e) => e.id).sort());
    expect(result.settled.sort()).toEqual(sent);
    expect(result.outcome).toEqual({ kind: 'done' });
  });

  it('drops a single event that is still too large, and keeps going', async () => {
    const { send } = recorder((batch) =>
      batch.some((e) => e.id === 'event-0001') ? { kind: 'too-large' } : { kind: 'sent' },
    );
    const result = await deliver(events(2), send);
    expect(result.settled.sort()).toEqual(['event-0000', 'event-0001']);
  });

  it('drops on other 4xx: settled, never retried', async () => {
    const { send } = recorder(() => ({ kind: 'drop' }));
    expect((await deliver(events(2), send)).settled).toHaveLength(2);
  });

  it('keeps everything for a retry on 429/5xx/network errors, with the server Retry-After', async () => {
    const { send } = recorder(() => ({ kind: 'retry', retryAfterMs: 7000 }));
    expect(await deliver(events(2), send)).toEqual({ settled: [], outcome: { kind: 'retry', retryAfterMs: 7000 } });
  });

  it('stops on 403 with what was already stored settled', async () => {
    let n = 0;
    const { send } = recorder((batch) => {
      if (batch.length > 2) return { kind: 'too-large' };
      return n++ === 0 ? { kind: 'sent' } : { kind: 'disabled' };
    });
    const result = await deliver(events(4), send);
    expect(result.settled).toEqual(['event-0000', 'event-0001']);
    expect(result.outcome).toEqual({ kind: 'disabled' });
  });
});

describe('backoff', () => {
  it('doubles from 1 s, jittered within the upper half, capped at 5 minutes', () => {
    expect(backoffDelay(0, 0, () => 0)).toBe(500);
    expect(backoffDelay(0, 0, () => 1)).toBe(1000);
    expect(backoffDelay(3, 0, () => 0)).toBe(4000);
    expect(backoffDelay(3, 0, () => 1)).toBe(8000);
    expect(backoffDelay(50, 0, () => 1)).toBe(MAX_BACKOFF_MS);
  });
  it('jitter spreads clients out', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    expect(delays.size).toBeGreaterThan(40);
    for (const d of delays) expect(d).toBeGreaterThanOrEqual(8000);
  });
  it('never retries before Retry-After, up to a day (the daily quota asks until the next UTC day)', () => {
    expect(backoffDelay(0, 30_000, () => 0)).toBe(30_000);
    expect(backoffDelay(0, 10 * MAX_BACKOFF_MS, () => 0)).toBe(10 * MAX_BACKOFF_MS);
    expect(backoffDelay(0, 8 * 3_600_000, () => 0)).toBe(8 * 3_600_000);
    expect(backoffDelay(50, 3 * MAX_RETRY_AFTER_MS, () => 1)).toBe(MAX_RETRY_AFTER_MS);
  });
  it('reads Retry-After as seconds or a date', () => {
    expect(parseRetryAfter('120')).toBe(120_000);
    expect(parseRetryAfter(null)).toBe(0);
    expect(parseRetryAfter('soon')).toBe(0);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
  });
});

describe('usage counters', () => {
  const bodies = (events: UsageEvent[]) => events.map(({ id, ts, ...body }) => body);

  it('aggregate per metric and meeting, and start from zero after a seal', () => {
    const counters = new UsageCounters();
    for (let i = 0; i < 300; i++) counters.add('imSent', 1, { federationPartner: 'contoso.com' });
    counters.add('imReceived', 2, { federationPartner: 'contoso.com' });
    counters.add('imSent', 1, { federationPartner: 'fabrikam.com' });
    counters.add('meetingMinutes', 1 / 3);
    expect(counters.add('imSent', Number.NaN)).toBeUndefined();
    expect(counters.add('imSent', -1)).toBeUndefined();
    expect(bodies(counters.seal())).toEqual([
      { type: 'usage', metric: 'imSent', value: 300, federationPartner: 'contoso.com' },
      { type: 'usage', metric: 'imReceived', value: 2, federationPartner: 'contoso.com' },
      { type: 'usage', metric: 'imSent', value: 1, federationPartner: 'fabrikam.com' },
      { type: 'usage', metric: 'meetingMinutes', value: 1 / 3 },
    ]);
    expect(counters.seal()).toEqual([]);
    expect(counters.open()).toEqual([]);
  });

  it('one event per meeting: the same metric in two meetings of one partner is two, each naming its meeting', () => {
    const counters = new UsageCounters();
    const first = { federationPartner: 'contoso.com', threadId: '19:meeting_one@thread.v2' };
    const second = { federationPartner: 'contoso.com', threadId: '19:meeting_two@thread.v2' };
    counters.add('joinSuccess', 1, first);
    counters.add('imSent', 2, first);
    counters.add('imSent', 3, first);
    counters.add('joinSuccess', 1, second);
    expect(bodies(counters.seal())).toEqual([
      { type: 'usage', metric: 'joinSuccess', value: 1, ...first },
      { type: 'usage', metric: 'imSent', value: 5, ...first },
      { type: 'usage', metric: 'joinSuccess', value: 1, ...second },
    ]);
  });

  it('an open counter is one event as it grows: same id, the latest value; a new one after the seal', () => {
    const counters = new UsageCounters();
    const first = counters.add('imSent', 1, { federationPartner: 'contoso.com' });
    const second = counters.add('imSent', 1, { federationPartner: 'contoso.com' });
    expect(first).toMatchObject({ type: 'usage', metric: 'imSent', value: 1 });
    expect(second).toEqual({ ...first, value: 2 });
    // Each answer is a copy: what the caller stores is not changed by later counts.
    counters.add('imSent', 5, { federationPartner: 'contoso.com' });
    expect(second?.value).toBe(2);
    expect(counters.open()).toEqual([{ ...first, value: 7 }]);
    const [sealed] = counters.seal();
    expect(sealed).toEqual({ ...first, value: 7 });
    const next = counters.add('imSent', 1, { federationPartner: 'contoso.com' });
    expect(next?.id).not.toBe(first?.id);
  });
});

describe('error reports', () => {
  it('keep only the script file of a URL and drop hosts, meeting paths and queries', () => {
    expect(scrubUrls('at f (https://meet.contoso.com/assets/index-AbC12.js?v=2:3:17)')).toBe(
      'at f (/assets/index-AbC12.js:3:17)',
    );
    expect(scrubUrls('GET http://meet.contoso.com/alice/7Q3DSSYV?sl=1 failed')).toBe('GET <url> failed');
  });
  it('cut the stack short, default the UserID to the session one, and refuse odd codes', () => {
    const stack = Array.from({ length: 400 }, (_, i) => `    at frame${i} (https://h/assets/a.js:${i}:1)`).join('\n');
    const event = errorEvent({ code: 'bad code!', message: 'x'.repeat(1000), stack }, 'participant-1');
    expect(event.code).toBe('unknown');
    expect(event.message.length).toBe(300);
    expect(event.stack?.length).toBeLessThanOrEqual(MAX_STACK);
    expect(event.stack?.split('\n').length).toBeLessThanOrEqual(10);
    expect(event.stack).not.toContain('https://');
    expect(event.userId).toBe('participant-1');
    expect(errorEvent({ code: 'join:x', message: 'm', userId: 'p-2' }, 'participant-1').userId).toBe('p-2');
  });
});
