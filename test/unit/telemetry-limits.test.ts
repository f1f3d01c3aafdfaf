/** One set of limits on both sides, byte budgets in UTF-8 bytes, and counts that stay valid. */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { takeBatch } from '../../src/client/telemetry/batches';
import { jsonBytes } from '../../src/client/telemetry/bytes';
import { errorEvent } from '../../src/client/telemetry/errors';
import { UsageCounters } from '../../src/client/telemetry/usage';
import { TELEMETRY_LIMITS } from '../../src/shared/telemetry-limits';
import { type TelemetryEvent, telemetryBatch } from '../../src/shared/telemetry-schema';

const DEVICE = '00000000-0000-4000-8000-000000000000';
const japanese = (n: number): TelemetryEvent => ({
  id: `event-${String(n).padStart(4, '0')}`,
  type: 'error',
  ts: 1,
  code: 'uncaught-error',
  // 100 characters, 300 bytes in UTF-8.
  message: 'エラーが発生しました'.repeat(10),
});

describe('byte budgets count UTF-8 bytes', () => {
  it('a batch of multi-byte messages stays within its byte budget on the wire', () => {
    const all = Array.from({ length: 40 }, (_, i) => japanese(i));
    const batch = takeBatch(all, 500, 4000);
    expect(jsonBytes({ v: 1, deviceId: DEVICE, events: batch })).toBeLessThanOrEqual(4000);
    expect(new TextEncoder().encode(JSON.stringify({ v: 1, deviceId: DEVICE, events: batch })).length).toBe(
      jsonBytes({ v: 1, deviceId: DEVICE, events: batch }),
    );
  });
});

describe('the page cuts to the limits the ingest enforces', () => {
  it('an error report at every limit is a valid batch', () => {
    const event = errorEvent(
      {
        code: 'x'.repeat(200),
        message: 'm'.repeat(5000),
        stack: Array.from({ length: 50 }, () => 's'.repeat(300)).join('\n'),
        conversationState: 'c'.repeat(100),
        threadId: 't'.repeat(100),
        userId: 'u'.repeat(500),
        direction: 'none',
      },
      undefined,
    );
    expect(event.message).toHaveLength(TELEMETRY_LIMITS.errorMessage);
    expect(event.stack?.length).toBeLessThanOrEqual(TELEMETRY_LIMITS.errorStack);
    const batch = { v: 1, deviceId: DEVICE, events: [{ ...event, id: 'event-0001', ts: 1 }] };
    expect(v.safeParse(telemetryBatch, batch).issues).toBeUndefined();
  });

  it('a usage count past the ingest’s limit stops at it instead of getting its batch refused', () => {
    const counters = new UsageCounters();
    const { meetingMinutes, imSent } = TELEMETRY_LIMITS.usageValue;
    counters.add('meetingMinutes', meetingMinutes - 1, { federationPartner: 'contoso.com' });
    const open = counters.add('meetingMinutes', 50, { federationPartner: 'contoso.com' });
    expect(open?.value).toBe(meetingMinutes);
    const huge = new UsageCounters().add('imSent', 10 * imSent);
    expect(huge?.value).toBe(imSent);
    const batch = { v: 1, deviceId: DEVICE, events: counters.seal() };
    expect(v.safeParse(telemetryBatch, batch).issues).toBeUndefined();
  });
});
