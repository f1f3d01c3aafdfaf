/**
 * The call figures of `admin report` (issue 14), apart from the rest of the report so each can
 * change without the other: calls made, call minutes, network quality per call (RTT, jitter, packet
 * loss) and device configuration at the start of calls.
 */
import type { Sql } from '../sql/sql';

export interface Spread {
  /** The median over calls of each call's median. */
  median: number | null;
  /** The 95th percentile over calls of each call's 95th percentile. */
  p95: number | null;
}

export interface CallFigures {
  callsMade: number;
  callMinutes: number;
  /** Calls that reported quality figures (a call too short to sample reports none). */
  qualityReports: number;
  rttMs: Spread;
  jitterMs: Spread;
  packetLossPct: Spread;
  /** Calls that reported their devices. */
  deviceReports: number;
  /** Average number of each kind of device on the reporting devices. */
  averageDevices: { microphones: number | null; cameras: number | null; speakers: number | null };
  /** Share of calls (0..1) that started with the microphone / camera on. */
  micOnShare: number | null;
  cameraOnShare: number | null;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** Nearest-rank percentile; null for no values. */
function percentile(values: number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] as number, 1);
}

/** `range`: arrival times [start, end) in ms (the report's period); all of them by default. */
export async function callFigures(
  sql: Sql,
  pool: string,
  range = { start: 0, end: Number.MAX_SAFE_INTEGER },
): Promise<CallFigures> {
  const within = 'AND received_at >= ? AND received_at < ?';
  const params = [pool, range.start, range.end];
  const num = (field: string) => sql.fragments.jsonNumber(field);
  const flag = (field: string) => sql.fragments.jsonFlag(field);
  const usage = (await sql.get(
    `SELECT COALESCE(SUM(CASE WHEN metric = 'callsMade' THEN value END), 0) AS "callsMade",
            COALESCE(SUM(CASE WHEN metric = 'callMinutes' THEN value END), 0) AS "callMinutes"
     FROM telemetry_events
     WHERE pool = ? AND type = 'usage' AND metric IN ('callsMade', 'callMinutes') ${within}`,
    params,
  )) as { callsMade: number; callMinutes: number };
  const quality = await sql.all<
    Record<'rttMedian' | 'rttP95' | 'jitterMedian' | 'jitterP95' | 'lossMedian' | 'lossP95', number>
  >(
    `SELECT ${num('rttMsMedian')} AS "rttMedian", ${num('rttMsP95')} AS "rttP95",
            ${num('jitterMsMedian')} AS "jitterMedian", ${num('jitterMsP95')} AS "jitterP95",
            ${num('lossPctMedian')} AS "lossMedian", ${num('lossPctP95')} AS "lossP95"
     FROM telemetry_events WHERE pool = ? AND type = 'callQuality' ${within}`,
    params,
  );
  const devices = (await sql.get(
    `SELECT COUNT(*) AS n,
            AVG(${num('microphones')}) AS microphones,
            AVG(${num('cameras')}) AS cameras,
            AVG(${num('speakers')}) AS speakers,
            AVG(${flag('micOn')}) AS "micOn",
            AVG(${flag('cameraOn')}) AS "cameraOn"
     FROM telemetry_events WHERE pool = ? AND type = 'deviceConfig' ${within}`,
    params,
  )) as Record<'n' | 'microphones' | 'cameras' | 'speakers' | 'micOn' | 'cameraOn', number | null>;
  const spread = (median: keyof (typeof quality)[number], p95: keyof (typeof quality)[number]): Spread => ({
    median: percentile(
      quality.map((q) => q[median]),
      50,
    ),
    p95: percentile(
      quality.map((q) => q[p95]),
      95,
    ),
  });
  const avg = (x: number | null, places: number) => (x === null ? null : round(x, places));
  return {
    callsMade: usage.callsMade,
    callMinutes: round(usage.callMinutes, 2),
    qualityReports: quality.length,
    rttMs: spread('rttMedian', 'rttP95'),
    jitterMs: spread('jitterMedian', 'jitterP95'),
    packetLossPct: spread('lossMedian', 'lossP95'),
    deviceReports: devices.n ?? 0,
    averageDevices: {
      microphones: avg(devices.microphones, 1),
      cameras: avg(devices.cameras, 1),
      speakers: avg(devices.speakers, 1),
    },
    micOnShare: avg(devices.micOn, 3),
    cameraOnShare: avg(devices.cameraOn, 3),
  };
}

/** The call lines of the terminal report. */
export function formatCallFigures(calls: CallFigures): string[] {
  const spread = (s: Spread, unit: string) =>
    s.median === null ? '-' : `median ${s.median}${unit}, p95 ${s.p95}${unit}`;
  const share = (x: number | null) => (x === null ? '-' : `${round(x * 100, 1)}%`);
  const d = calls.averageDevices;
  return [
    `  calls:            ${calls.callsMade} made, ${calls.callMinutes} minutes`,
    `  call quality:     ${calls.qualityReports} calls; RTT ${spread(calls.rttMs, ' ms')}; jitter ${spread(calls.jitterMs, ' ms')}; loss ${spread(calls.packetLossPct, '%')}`,
    `  call devices:     ${calls.deviceReports} calls; average ${d.microphones ?? '-'} microphones, ${d.cameras ?? '-'} cameras, ${d.speakers ?? '-'} speakers; microphone on ${share(calls.micOnShare)}, camera on ${share(calls.cameraOnShare)}`,
  ];
}
