/** The daily-trend figures of a pool: joins, minutes, IMs, devices, errors by code, web-vitals. */
import { VITAL_NAMES } from '../aggregate';
import type { PoolReport } from '../model';
import { VITAL_THRESHOLDS } from '../vitals';
import { barChart, formatNumber, geometry, lineChart, type Series } from './svg';
import { dataTable, figure, legend, percentCell } from './table';

const total = (values: (number | null)[]) => values.reduce<number>((sum, v) => sum + (v ?? 0), 0);

function joins(p: PoolReport, id: string, dates: string[]): string {
  const attempts: Series = { name: 'Join attempts', values: p.days.map((d) => d.joinAttempts), tone: 1 };
  const successes: Series = { name: 'Successful joins', values: p.days.map((d) => d.joinSuccesses), tone: 2 };
  const rate: Series = { name: 'Success rate', values: p.days.map((d) => d.joinSuccessRate), tone: 3 };
  const desc = `${formatNumber(p.joinAttempts)} join attempts and ${formatNumber(p.joinSuccesses)} successful joins over ${dates.length} days; success rate ${percentCell(p.joinSuccessRate) ?? 'n/a'}.`;
  return figure(
    `${id}-joins`,
    'Joins and success rate',
    legend([attempts, successes, { ...rate, kind: 'line' }]) +
      barChart({ id: `${id}-joins-c`, title: 'Joins and success rate per day', desc }, dates, [attempts, successes], {
        rate,
        integer: true,
      }) +
      dataTable(
        p.pool,
        'Joins per day',
        ['Date', 'Join attempts', 'Successful joins', 'Success rate'],
        p.days.map((d) => [d.date, d.joinAttempts, d.joinSuccesses, percentCell(d.joinSuccessRate)]),
      ),
  );
}

function simpleBars(
  owner: string,
  id: string,
  heading: string,
  dates: string[],
  series: Series[],
  unit: string,
  rows: (string | number | null)[][],
  integer = true,
): string {
  const desc = series.map((s) => `${s.name}: ${formatNumber(total(s.values))} ${unit}`.trim()).join('; ');
  return figure(
    id,
    heading,
    (series.length > 1 ? legend(series) : '') +
      barChart(
        { id: `${id}-c`, title: `${heading} per day`, desc: `${desc} over ${dates.length} days.` },
        dates,
        series,
        { integer },
      ) +
      dataTable(owner, `${heading} per day`, ['Date', ...series.map((s) => s.name)], rows),
  );
}

function errors(p: PoolReport, id: string, dates: string[]): string {
  const top = p.errorsByCode.slice(0, 5).map((e) => e.code);
  const series: Series[] = top.map((code, k) => ({
    name: code,
    values: p.days.map((d) => d.errorsByCode.find((e) => e.code === code)?.count ?? 0),
    tone: k + 1,
  }));
  if (p.errorsByCode.length > top.length)
    series.push({
      name: 'Other codes',
      values: p.days.map((d) =>
        d.errorsByCode.filter((e) => !top.includes(e.code)).reduce((sum, e) => sum + e.count, 0),
      ),
      tone: 6,
    });
  if (p.errorReports === 0)
    return figure(
      `${id}-errors`,
      'Error reports by code',
      '<p class="note">No error reports in this period.</p>',
      true,
    );
  const desc = `${formatNumber(p.errorReports)} error reports over ${dates.length} days${p.errorsByCode[0] ? `; most frequent: ${p.errorsByCode[0].code} (${formatNumber(p.errorsByCode[0].count)})` : ''}.`;
  return figure(
    `${id}-errors`,
    'Error reports by code',
    (series.length ? legend(series) : '') +
      barChart({ id: `${id}-errors-c`, title: 'Error reports by code per day', desc }, dates, series, {
        stacked: true,
        integer: true,
      }) +
      dataTable(
        p.pool,
        'Error reports per day, by code',
        ['Date', ...series.map((s) => s.name), 'All codes'],
        p.days.map((d, i) => [d.date, ...series.map((s) => s.values[i] ?? 0), d.errorReports]),
      ) +
      dataTable(
        p.pool,
        'What each code means',
        ['Code', 'Meaning', 'Reports'],
        p.errorsByCode.map((e) => [e.code, e.meaning ?? 'Not a code this version knows', e.count]),
        'codes',
      ),
    true,
  );
}

function vitals(p: PoolReport, id: string, dates: string[]): string {
  const charts = VITAL_NAMES.map((name) => {
    const t = VITAL_THRESHOLDS[name];
    const unit = t.unit === 'ms' ? ' ms' : '';
    const format = (n: number) => `${formatNumber(n)}${unit}`;
    const v = p.webVitals[name];
    const summary =
      v.p75 === null
        ? 'no samples'
        : `p75 ${format(v.p75)}, ${v.rating?.replace('-', ' ')} (${formatNumber(v.samples)} samples)`;
    return `<div class="vital"><h4>${name}</h4><p class="rating ${v.rating ?? 'none'}">${summary}</p>${lineChart(
      {
        id: `${id}-${name}`,
        title: `${name} p75 per day`,
        desc: `${name} 75th percentile per day against the good limit ${format(t.good)} and the poor limit ${format(t.poor)}; over the period ${summary}.`,
      },
      dates,
      [{ name: `${name} p75`, values: p.days.map((d) => d.webVitalsP75[name]), tone: 1 }],
      [
        { value: t.good, label: 'good', kind: 'good' },
        { value: t.poor, label: 'poor', kind: 'poor' },
      ],
      format,
      geometry(440, 200),
    )}</div>`;
  }).join('');
  return figure(
    `${id}-vitals`,
    'Web-vitals, 75th percentile',
    `<p class="note">Below the “good” line is good, above the “poor” line is poor (web.dev thresholds). Values are rounded up to two significant digits.</p><div class="vitals">${charts}</div>` +
      dataTable(
        p.pool,
        'Web-vitals p75 per day (ms; CLS has no unit)',
        ['Date', ...VITAL_NAMES],
        p.days.map((d) => [d.date, ...VITAL_NAMES.map((n) => d.webVitalsP75[n])]),
      ),
    true,
  );
}

export function trendFigures(p: PoolReport, id: string): string {
  const dates = p.days.map((d) => d.date);
  const series = (name: string, tone: number, pick: (d: PoolReport['days'][number]) => number): Series => ({
    name,
    values: p.days.map(pick),
    tone,
  });
  const minutes = series('Meeting minutes', 1, (d) => d.meetingMinutes);
  const sent = series('IMs sent', 1, (d) => d.imSent);
  const received = series('IMs received', 2, (d) => d.imReceived);
  const devices = series('Devices', 1, (d) => d.devices);
  const sessions = series('Page sessions', 2, (d) => d.sessions);
  return [
    joins(p, id, dates),
    simpleBars(
      p.pool,
      `${id}-minutes`,
      'Meeting minutes',
      dates,
      [minutes],
      'minutes',
      p.days.map((d) => [d.date, d.meetingMinutes]),
      false,
    ),
    simpleBars(
      p.pool,
      `${id}-ims`,
      'Instant messages',
      dates,
      [sent, received],
      '',
      p.days.map((d) => [d.date, d.imSent, d.imReceived]),
    ),
    simpleBars(
      p.pool,
      `${id}-devices`,
      'Devices and page sessions',
      dates,
      [devices, sessions],
      '',
      p.days.map((d) => [d.date, d.devices, d.sessions]),
    ),
    errors(p, id, dates),
    vitals(p, id, dates),
  ].join('');
}
