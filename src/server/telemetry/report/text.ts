/** The report as an admin reads it in a terminal. */

import { formatCallFigures } from '../call-report';
import { refusedLine } from '../refused';
import { CENSUS_DIMENSIONS, VITAL_NAMES } from './aggregate';
import type { DayReport, Figures, TelemetryReport } from './model';
import { VITAL_THRESHOLDS } from './vitals';

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const fmt = (n: number) => number.format(n);
const plural = (n: number, one: string, many: string) => `${fmt(n)} ${n === 1 ? one : many}`;
const percent = (rate: number | null) => (rate === null ? 'n/a' : `${fmt(Math.round(rate * 1000) / 10)}%`);

export const RATING_LABEL = { good: 'good', 'needs-improvement': 'needs improvement', poor: 'poor' } as const;
export const DIMENSION_LABEL = { os: 'OS', deviceClass: 'device class', language: 'language' } as const;

export function periodLine(report: TelemetryReport): string {
  const p = report.period;
  return `Telemetry report, ${p.since} to ${p.until} (${plural(p.days, 'day', 'days')}, ${p.timeZone})`;
}

export function vitalText(name: keyof typeof VITAL_THRESHOLDS, figures: Figures): string {
  const v = figures.webVitals[name];
  if (v.p75 === null) return `${name} -`;
  const unit = VITAL_THRESHOLDS[name].unit === 'ms' ? ' ms' : '';
  return `${name} ${fmt(v.p75)}${unit} (${RATING_LABEL[v.rating ?? 'good']})`;
}

function dayRow(d: DayReport): string[] {
  return [
    d.date,
    fmt(d.joinAttempts),
    fmt(d.joinSuccesses),
    percent(d.joinSuccessRate),
    fmt(d.meetingMinutes),
    fmt(d.imSent),
    fmt(d.imReceived),
    fmt(d.devices),
    fmt(d.sessions),
    fmt(d.errorReports),
  ];
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

const isActive = (d: DayReport) =>
  d.joinAttempts + d.joinSuccesses + d.meetingMinutes + d.imSent + d.imReceived + d.sessions + d.errorReports > 0 ||
  VITAL_NAMES.some((n) => d.webVitals[n].samples > 0);

export function formatReport(report: TelemetryReport): string[] {
  const lines = [periodLine(report)];
  for (const p of report.pools) {
    const partners =
      p.federationPartners.map((f) => `${f.domain} (${plural(f.meetings, 'meeting', 'meetings')})`).join(', ') ||
      'none';
    lines.push(
      '',
      p.pool,
      `  joins:            ${plural(p.joinAttempts, 'attempt', 'attempts')}, ${fmt(p.joinSuccesses)} successful, success rate ${percent(p.joinSuccessRate)}`,
      `  meeting minutes:  ${fmt(p.meetingMinutes)}`,
      `  IMs:              ${fmt(p.imSent)} sent, ${fmt(p.imReceived)} received`,
      `  devices:          ${fmt(p.devices)} (${plural(p.sessions, 'page session', 'page sessions')})`,
      `  error reports:    ${fmt(p.errorReports)}`,
      ...p.errorsByCode.map((e) => `    ${fmt(e.count).padStart(6)}  ${e.code}${e.meaning ? `: ${e.meaning}` : ''}`),
      `  web-vitals p75:   ${VITAL_NAMES.map((n) => vitalText(n, p)).join(', ')}`,
      `  federation:       ${partners}`,
      refusedLine(p.eventsRefusedByCause),
      ...formatCallFigures(p.calls),
      ...CENSUS_DIMENSIONS.map(
        (dim) =>
          `  ${`${DIMENSION_LABEL[dim]}:`.padEnd(18)}${p.census[dim].map((e) => `${e.value} ${fmt(e.sessions)}`).join(', ') || 'none'}`,
      ),
    );
    const active = p.days.filter(isActive);
    if (active.length === 0) {
      lines.push('  by day:           no events in this period');
      continue;
    }
    lines.push(
      `  by day (${plural(active.length, 'day', 'days')} with events):`,
      ...table([
        [
          'date',
          'attempts',
          'successes',
          'rate',
          'minutes',
          'IMs sent',
          'IMs received',
          'devices',
          'sessions',
          'errors',
        ],
        ...active.map(dayRow),
      ]).map((line) => `    ${line}`),
    );
  }
  return lines;
}
