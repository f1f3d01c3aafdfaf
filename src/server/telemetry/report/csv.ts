/**
 * `report --Csv`: one row per pool and day under a header row, RFC 4180 (comma separated, CRLF line
 * ends, a field quoted when it holds a comma, quote, CR or LF, quotes doubled).
 *
 * Census values and error codes come from pages, so a cell could start like a spreadsheet formula
 * (`=HYPERLINK(...)`). Every text cell starting with = + - @ tab or CR gets a leading apostrophe
 * (OWASP's advice), which spreadsheets show as text and never evaluate. Numbers are written as is.
 */
import { CENSUS_DIMENSIONS, VITAL_NAMES } from './aggregate';
import type { DayReport, TelemetryReport } from './model';

type Cell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field: formula-safe, then quoted if it needs to be. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  const text = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvRow = (cells: Cell[]): string => cells.map(csvField).join(',');

export const CSV_COLUMNS = [
  'pool',
  'date',
  'joinAttempts',
  'joinSuccesses',
  'joinSuccessRate',
  'meetingMinutes',
  'imSent',
  'imReceived',
  'devices',
  'sessions',
  'errorReports',
  ...VITAL_NAMES.map((n) => `${n.toLowerCase()}P75`),
  'errorsByCode',
  'federationPartners',
  ...CENSUS_DIMENSIONS,
  'callsMade',
  'callMinutes',
  'callRttMsP95',
  'callJitterMsP95',
  'callPacketLossPctP95',
  'callMicOnShare',
  'callCameraOnShare',
  // Quota days are UTC days: each row shows the UTC day of its date.
  'eventsRefusedPoolQuota',
  'eventsRefusedAddressShare',
] as const;

const list = (entries: { name: string; n: number }[]) => entries.map((e) => `${e.name} ${e.n}`).join('; ');

function cellsOf(pool: string, d: DayReport): Cell[] {
  return [
    pool,
    d.date,
    d.joinAttempts,
    d.joinSuccesses,
    d.joinSuccessRate,
    d.meetingMinutes,
    d.imSent,
    d.imReceived,
    d.devices,
    d.sessions,
    d.errorReports,
    ...VITAL_NAMES.map((n) => d.webVitalsP75[n]),
    list(d.errorsByCode.map((e) => ({ name: e.code, n: e.count }))),
    list(d.federationPartners.map((f) => ({ name: f.domain, n: f.meetings }))),
    ...CENSUS_DIMENSIONS.map((dim) => list(d.census[dim].map((e) => ({ name: e.value, n: e.sessions })))),
    d.calls.callsMade,
    d.calls.callMinutes,
    d.calls.rttMs.p95,
    d.calls.jitterMs.p95,
    d.calls.packetLossPct.p95,
    d.calls.micOnShare,
    d.calls.cameraOnShare,
    d.eventsRefusedByCause.poolQuota,
    d.eventsRefusedByCause.addressShare,
  ];
}

export function formatCsv(report: TelemetryReport): string {
  const rows = [csvRow([...CSV_COLUMNS])];
  for (const pool of report.pools) for (const day of pool.days) rows.push(csvRow(cellsOf(pool.pool, day)));
  return `${rows.join('\r\n')}\r\n`;
}
