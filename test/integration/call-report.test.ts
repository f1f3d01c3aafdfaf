/** The call figures of `admin report`: stored through the real ingest, read back per pool, on both engines. */
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createIngest } from '../../src/server/telemetry/ingest';
import { formatReport, telemetryReport } from '../../src/server/telemetry/report';
import { formatCsv } from '../../src/server/telemetry/report/csv';
import { formatHtml } from '../../src/server/telemetry/report/html/page';
import { type TelemetryEvent, telemetryBatch } from '../../src/shared/telemetry-schema';
import { ENGINES, openTelemetryStore, type TelemetryStore } from '../support/telemetry-stores';

let n = 0;
const id = () => `event-${String(++n).padStart(8, '0')}`;
const quality = (rtt: number, rttP95: number, loss: number): TelemetryEvent => ({
  id: id(),
  ts: 1,
  type: 'callQuality',
  samples: 12,
  rttMsMedian: rtt,
  rttMsP95: rttP95,
  jitterMsMedian: 2,
  jitterMsP95: 4,
  lossPctMedian: loss,
  lossPctP95: loss * 2,
});
const devices = (micOn: boolean, cameraOn: boolean, cameras: number): TelemetryEvent => ({
  id: id(),
  ts: 1,
  type: 'deviceConfig',
  microphones: 1,
  cameras,
  speakers: 2,
  micOn,
  cameraOn,
});
const usage = (metric: 'callsMade' | 'callMinutes', value: number): TelemetryEvent => ({
  id: id(),
  ts: 1,
  type: 'usage',
  metric,
  value,
});

describe.each(ENGINES)('call figures in the report (%s)', (engine) => {
  let store: TelemetryStore;
  beforeEach(async () => {
    store = await openTelemetryStore(engine);
  });
  afterEach(() => store.cleanup());

  it('sums calls and minutes, spreads quality over calls, and averages devices', async () => {
    const ingest = createIngest(store.store, Buffer.alloc(32, 7));
    await ingest.storeNow('pool01.contoso.com', {
      v: 1,
      deviceId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      events: [
        usage('callsMade', 1),
        usage('callsMade', 2),
        usage('callMinutes', 4.5),
        quality(10, 20, 0),
        quality(30, 90, 1),
        quality(20, 40, 0.5),
        devices(true, true, 1),
        devices(false, true, 2),
      ],
    });
    const report = await telemetryReport(store.sql, { utc: true });
    const [pool01, pool02] = report.pools;
    expect(pool01?.calls).toEqual({
      callsMade: 3,
      callMinutes: 4.5,
      qualityReports: 3,
      rttMs: { median: 20, p95: 90 },
      jitterMs: { median: 2, p95: 4 },
      packetLossPct: { median: 0.5, p95: 2 },
      deviceReports: 2,
      averageDevices: { microphones: 1, cameras: 1.5, speakers: 2 },
      micOnShare: 0.5,
      cameraOnShare: 1,
    });
    expect(pool02?.calls).toMatchObject({ callsMade: 0, qualityReports: 0, rttMs: { median: null, p95: null } });
    const text = formatReport(report).join('\n');
    expect(text).toContain('calls:            3 made, 4.5 minutes');
    expect(text).toContain('RTT median 20 ms, p95 90 ms');
    expect(text).toContain('microphone on 50%, camera on 100%');

    // The same figures per day, in every form: JSON's days, CSV's columns and the HTML's table.
    const today = report.pools[0]?.days.find((d) => d.calls.callsMade > 0);
    expect(today?.calls).toEqual(pool01?.calls);
    const [header, ...rows] = formatCsv(report).trimEnd().split('\r\n');
    const columns = (header as string).split(',');
    const row = rows.find((r) => r.startsWith(`pool01.contoso.com,${today?.date},`))?.split(',') ?? [];
    const cell = (name: string) => row[columns.indexOf(name)];
    expect([cell('callsMade'), cell('callMinutes'), cell('callRttMsP95'), cell('callPacketLossPctP95')]).toEqual([
      '3',
      '4.5',
      '90',
      '2',
    ]);
    const html = formatHtml(report, new Date(0));
    expect(html).toContain('Audio and video calls per day');
    expect(html).toContain(
      `<th scope="row">${today?.date}</th><td class="num">3</td><td class="num">4.5</td><td class="num">90</td>`,
    );
  });
});

describe('call events', () => {
  it('refuses a device label or id, or a quality figure out of range', () => {
    const batch = (event: Record<string, unknown>) => ({
      v: 1,
      deviceId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      events: [event],
    });
    expect(v.safeParse(telemetryBatch, batch(devices(true, true, 1))).success).toBe(true);
    expect(v.safeParse(telemetryBatch, batch({ ...devices(true, true, 1), label: 'FaceTime HD' })).success).toBe(false);
    expect(v.safeParse(telemetryBatch, batch({ ...devices(true, true, 1), deviceId: 'abc' })).success).toBe(false);
    expect(v.safeParse(telemetryBatch, batch({ ...quality(1, 2, 0), lossPctP95: 101 })).success).toBe(false);
  });
});
