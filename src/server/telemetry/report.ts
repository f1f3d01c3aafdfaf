/** The telemetry summary per pool, as `npm run admin -- report` prints it. */
import type { Db } from '../db';
import { listPools } from '../topology';

export interface PoolReport {
  pool: string;
  joinAttempts: number;
  joinSuccesses: number;
  meetingMinutes: number;
  imSent: number;
  imReceived: number;
  errorReports: number;
  devices: number;
}

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
  const errors = db.prepare(`SELECT COUNT(*) AS n FROM telemetry_events WHERE pool = ? AND type = 'error'`);
  const devices = db.prepare('SELECT COUNT(DISTINCT device_id) AS n FROM telemetry_events WHERE pool = ?');
  const pools = listPools(db)
    .map((p) => p.fqdn)
    .filter((fqdn) => onlyPool === undefined || fqdn.toLowerCase() === onlyPool.toLowerCase());
  return pools.map((pool) => {
    const usage = sums.get(pool) as Omit<PoolReport, 'pool' | 'errorReports' | 'devices'>;
    return {
      pool,
      ...usage,
      meetingMinutes: Math.round(usage.meetingMinutes * 100) / 100,
      errorReports: (errors.get(pool) as { n: number }).n,
      devices: (devices.get(pool) as { n: number }).n,
    };
  });
}
