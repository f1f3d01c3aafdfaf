/** The telemetry summary per pool, as `npm run admin -- report` prints it. */
import type { Db } from '../db';
import { listPools } from '../topology';
import { type CallFigures, callFigures, formatCallFigures } from './call-report';

export const VITAL_NAMES = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;
export type VitalName = (typeof VITAL_NAMES)[number];

export interface PoolReport {
  pool: string;
  joinAttempts: number;
  joinSuccesses: number;
  /** joinSuccesses / joinAttempts, 0..1 rounded to 3 places; null before any attempt. */
  joinSuccessRate: number | null;
  meetingMinutes: number;
  imSent: number;
  imReceived: number;
  errorReports: number;
  /** Distinct DeviceIDs. */
  devices: number;
  /** Census events: page sessions with telemetry on. */
  sessions: number;
  /** The most frequent error codes, most frequent first (at most 5). */
  topErrorCodes: { code: string; count: number }[];
  /** The 75th percentile of each web-vital (ms; CLS unitless), null when none was reported. */
  webVitalsP75: Record<VitalName, number | null>;
  /** Meetings' organizer SIP domains with the usage counted against them (at most 5). */
  federationPartners: { domain: string; events: number }[];
  /** Audio/video calls: made, minutes, network quality, devices (call-report.ts). */
  calls: CallFigures;
}

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

export function telemetryReport(db: Db, onlyPool?: string): PoolReport[] {
  const sums = db.prepare(
    `SELECT
       COALESCE(SUM(CASE WHEN metric = 'joinAttempt' THEN value END), 0) AS joinAttempts,
       COALESCE(SUM(CASE WHEN metric = 'joinSuccess' THEN value END), 0) AS joinSuccesses,
       COALESCE(SUM(CASE WHEN metric = 'meetingMinutes' THEN value END), 0) AS meetingMinutes,
       COALESCE(SUM(CASE WHEN metric = 'imSent' THEN value END), 0) AS imSent,
       COALESCE(SUM(CASE WHEN metric = 'imReceived' THEN value END), 0) AS imReceived
     FROM telemetry_events WHERE pool = ? AND type = 'usage'`,
  );
  const countOf = db.prepare('SELECT COUNT(*) AS n FROM telemetry_events WHERE pool = ? AND type = ?');
  const devices = db.prepare('SELECT COUNT(DISTINCT device_id) AS n FROM telemetry_events WHERE pool = ?');
  const topErrors = db.prepare(
    `SELECT metric AS code, COUNT(*) AS count FROM telemetry_events WHERE pool = ? AND type = 'error'
     GROUP BY metric ORDER BY count DESC, code LIMIT 5`,
  );
  const vitalCount = db.prepare(
    `SELECT COUNT(*) AS n FROM telemetry_events WHERE pool = ? AND type = 'vital' AND metric = ?`,
  );
  const vitalAt = db.prepare(
    `SELECT value FROM telemetry_events WHERE pool = ? AND type = 'vital' AND metric = ?
     ORDER BY value LIMIT 1 OFFSET ?`,
  );
  const partners = db.prepare(
    `SELECT json_extract(data, '$.federationPartner') AS domain, COUNT(*) AS events FROM telemetry_events
     WHERE pool = ? AND type = 'usage' AND json_extract(data, '$.federationPartner') IS NOT NULL
     GROUP BY domain ORDER BY events DESC, domain LIMIT 5`,
  );

  /** Nearest-rank 75th percentile. */
  const p75 = (pool: string, name: VitalName): number | null => {
    const n = (vitalCount.get(pool, name) as { n: number }).n;
    if (n === 0) return null;
    const row = vitalAt.get(pool, name, Math.ceil(0.75 * n) - 1) as { value: number };
    return round(row.value, name === 'CLS' ? 3 : 0);
  };

  const pools = listPools(db)
    .map((p) => p.fqdn)
    .filter((fqdn) => onlyPool === undefined || fqdn.toLowerCase() === onlyPool.toLowerCase());
  return pools.map((pool) => {
    const usage = sums.get(pool) as Pick<
      PoolReport,
      'joinAttempts' | 'joinSuccesses' | 'meetingMinutes' | 'imSent' | 'imReceived'
    >;
    const webVitalsP75 = {} as Record<VitalName, number | null>;
    for (const name of VITAL_NAMES) webVitalsP75[name] = p75(pool, name);
    return {
      pool,
      joinAttempts: usage.joinAttempts,
      joinSuccesses: usage.joinSuccesses,
      joinSuccessRate: usage.joinAttempts > 0 ? round(usage.joinSuccesses / usage.joinAttempts, 3) : null,
      meetingMinutes: round(usage.meetingMinutes, 2),
      imSent: usage.imSent,
      imReceived: usage.imReceived,
      errorReports: (countOf.get(pool, 'error') as { n: number }).n,
      devices: (devices.get(pool) as { n: number }).n,
      sessions: (countOf.get(pool, 'census') as { n: number }).n,
      topErrorCodes: topErrors.all(pool) as { code: string; count: number }[],
      webVitalsP75,
      federationPartners: partners.all(pool) as { domain: string; events: number }[],
      calls: callFigures(db, pool),
    };
  });
}

/** The report as an admin reads it in a terminal. */
export function formatReport(pools: PoolReport[]): string[] {
  const lines: string[] = [];
  for (const p of pools) {
    const rate = p.joinSuccessRate === null ? 'n/a' : `${round(p.joinSuccessRate * 100, 1)}%`;
    const vitals = Object.entries(p.webVitalsP75)
      .map(([name, value]) => `${name} ${value === null ? '-' : name === 'CLS' ? value : `${value} ms`}`)
      .join(', ');
    const errors = p.topErrorCodes.map((e) => `${e.code} (${e.count})`).join(', ') || 'none';
    const partners = p.federationPartners.map((f) => `${f.domain} (${f.events})`).join(', ') || 'none';
    lines.push(
      p.pool,
      `  joins:            ${p.joinAttempts} attempts, ${p.joinSuccesses} successes, success rate ${rate}`,
      `  meeting minutes:  ${p.meetingMinutes}`,
      `  IMs:              ${p.imSent} sent, ${p.imReceived} received`,
      `  devices:          ${p.devices} (${p.sessions} page sessions)`,
      `  error reports:    ${p.errorReports}; top codes: ${errors}`,
      `  web-vitals p75:   ${vitals}`,
      `  federation:       ${partners}`,
      ...formatCallFigures(p.calls),
    );
  }
  return lines;
}
