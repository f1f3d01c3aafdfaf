/**
 * `npm run admin -- report`: the telemetry per pool and day over a period, as text, JSON, CSV or a
 * self-contained HTML file. The figures are computed once (report/model.ts) and every form prints
 * them, so the forms agree. The parts live in report/ (one concern per file).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Sql } from '../sql/sql';
import { formatCsv } from './report/csv';
import { formatHtml } from './report/html/page';
import { buildReport, type TelemetryReport } from './report/model';
import type { ReportOptions } from './report/options';
import { resolvePeriod, systemTimeZone } from './report/period';
import { formatReport } from './report/text';

export { VITAL_NAMES, type VitalName } from './report/aggregate';
export type { DayReport, Figures, PoolReport, TelemetryReport } from './report/model';
export { formatReport };

/** Builds the report for the options (now and the zone can be fixed for tests). */
export async function telemetryReport(
  sql: Sql,
  options: Pick<ReportOptions, 'since' | 'until' | 'days' | 'utc'> & {
    pool?: string;
    timeZone?: string;
    now?: number;
  } = {
    utc: false,
  },
): Promise<TelemetryReport> {
  const timeZone = options.utc ? 'UTC' : (options.timeZone ?? systemTimeZone());
  const period = resolvePeriod(options, timeZone, options.now ?? Date.now());
  // Without a fixed `now`, the roll-up takes the store's clock (one clock for every node).
  return buildReport(sql, period, { pool: options.pool, now: options.now });
}

/**
 * Writes through a temporary file and a rename, so a reader never sees half a report. The file is
 * the organisation's usage data: 0600, a new file each time (an existing one with wider bits is
 * replaced, not rewritten in place).
 */
function writeAtomically(file: string, text: string): void {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory())
    throw new Error(`Cannot write ${file}: the folder ${dir} does not exist.`);
  if (fs.existsSync(target) && fs.statSync(target).isDirectory())
    throw new Error(`Cannot write ${file}: it is a folder; give a file name such as report.html.`);
  const temp = `${target}.${process.pid}.tmp`;
  try {
    fs.rmSync(temp, { force: true });
    // `wx`: never through a file or link someone placed at the temporary name.
    fs.writeFileSync(temp, text, { mode: 0o600, flag: 'wx' });
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, target);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw new Error(`Cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

/** The lines the CLI prints for `report` in the chosen form. */
export async function runReport(
  sql: Sql,
  options: ReportOptions,
  pool?: string,
  extra: { now?: number; timeZone?: string } = {},
): Promise<string[]> {
  const report = await telemetryReport(sql, { ...options, pool, now: extra.now, timeZone: extra.timeZone });
  const now = extra.now ?? Date.now();
  switch (options.form) {
    case 'json':
      return [JSON.stringify(report, null, 2)];
    case 'csv':
      // The CLI ends the last line with "\n"; the "\r" before it completes that row's CRLF.
      return [formatCsv(report).slice(0, -1)];
    case 'html': {
      const file = options.htmlFile as string;
      writeAtomically(file, formatHtml(report, new Date(now)));
      return [
        `Wrote ${file}: ${report.pools.length} pool(s), ${report.period.since} to ${report.period.until} (${report.period.timeZone})`,
      ];
    }
    default:
      return formatReport(report);
  }
}
