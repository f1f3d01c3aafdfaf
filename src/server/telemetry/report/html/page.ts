/**
 * `report --Html FILE`: one self-contained HTML file. No script, no external stylesheet, font or
 * image: it opens offline from file:// and asks no server for anything. Charts are inline SVG,
 * each followed by its data as a table.
 */
import { CENSUS_DIMENSIONS } from '../aggregate';
import type { PoolReport, TelemetryReport } from '../model';
import { DIMENSION_LABEL, periodLine } from '../text';
import { REPORT_CSS } from './style';
import { escapeHtml, formatNumber, hbarChart } from './svg';
import { dataTable, figure, percentCell } from './table';
import { trendFigures } from './trends';

const DIMENSION_HEADING = { os: 'Operating system', deviceClass: 'Device class', language: 'Language' } as const;

function kpis(p: PoolReport): string {
  const tiles: [string, string][] = [
    ['Join attempts', formatNumber(p.joinAttempts)],
    ['Successful joins', formatNumber(p.joinSuccesses)],
    ['Success rate', percentCell(p.joinSuccessRate) ?? 'n/a'],
    ['Meeting minutes', formatNumber(p.meetingMinutes)],
    ['IMs sent', formatNumber(p.imSent)],
    ['IMs received', formatNumber(p.imReceived)],
    ['Devices', formatNumber(p.devices)],
    ['Page sessions', formatNumber(p.sessions)],
    ['Error reports', formatNumber(p.errorReports)],
    ['Events refused: pool quota', formatNumber(p.eventsRefusedByCause.poolQuota)],
    ["Events refused: one address's share", formatNumber(p.eventsRefusedByCause.addressShare)],
  ];
  return `<dl class="kpis">${tiles.map(([k, v]) => `<div><dt>${k}</dt><dd>${escapeHtml(v)}</dd></div>`).join('')}</dl>`;
}

function census(p: PoolReport, id: string): string {
  const parts = CENSUS_DIMENSIONS.map((dim) => {
    const entries = p.census[dim];
    const heading = DIMENSION_HEADING[dim];
    if (entries.length === 0)
      return `<div class="breakdown"><h4>${heading}</h4><p class="note">No census yet.</p></div>`;
    const sum = entries.reduce((s, e) => s + e.sessions, 0);
    return `<div class="breakdown"><h4>${heading}</h4>${hbarChart(
      {
        id: `${id}-${dim}`,
        title: `Page sessions by ${DIMENSION_LABEL[dim]}`,
        desc: entries.map((e) => `${e.value}: ${formatNumber(e.sessions)}`).join(', '),
      },
      entries.map((e) => ({ label: e.value, value: e.sessions })),
    )}${dataTable(
      p.pool,
      `Page sessions by ${DIMENSION_LABEL[dim]}`,
      [heading, 'Page sessions', 'Share'],
      entries.map((e) => [e.value, e.sessions, percentCell(e.sessions / sum)]),
    )}</div>`;
  }).join('');
  return figure(`${id}-census`, 'Census breakdown (page sessions)', `<div class="breakdowns">${parts}</div>`, true);
}

function partners(p: PoolReport, id: string): string {
  const body = p.federationPartners.length
    ? dataTable(
        p.pool,
        'Organizer domains by meetings joined',
        ['Organizer domain', 'Meetings joined'],
        p.federationPartners.map((f) => [f.domain, f.meetings]),
      )
    : '<p class="note">No meetings joined in this period.</p>';
  return figure(`${id}-partners`, 'Federation partners', body);
}

/** Audio/video calls per day: made, minutes and the network's 95th percentiles (days with calls). */
function calls(p: PoolReport, id: string): string {
  const days = p.days.filter((d) => d.calls.callsMade > 0 || d.calls.qualityReports > 0);
  const body = days.length
    ? dataTable(
        p.pool,
        'Audio and video calls per day',
        ['Day', 'Calls', 'Call minutes', 'RTT p95 (ms)', 'Jitter p95 (ms)', 'Packet loss p95 (%)'],
        days.map((d) => [
          d.date,
          d.calls.callsMade,
          d.calls.callMinutes,
          d.calls.rttMs.p95,
          d.calls.jitterMs.p95,
          d.calls.packetLossPct.p95,
        ]),
      )
    : '<p class="note">No audio or video calls in this period.</p>';
  return figure(`${id}-calls`, 'Calls', body);
}

function poolSection(p: PoolReport, index: number): string {
  const id = `pool-${index + 1}`;
  return `<section class="pool" aria-labelledby="${id}"><h2 id="${id}">${escapeHtml(p.pool)}</h2>${kpis(p)}<div class="grid">${trendFigures(p, id)}${census(p, id)}${partners(p, id)}${calls(p, id)}</div></section>`;
}

export function formatHtml(report: TelemetryReport, generatedAt: Date): string {
  const title = periodLine(report);
  const nav =
    report.pools.length > 1
      ? `<nav aria-label="Pools"><ul>${report.pools.map((p, i) => `<li><a href="#pool-${i + 1}">${escapeHtml(p.pool)}</a></li>`).join('')}</ul></nav>`
      : '';
  const pools = report.pools.length ? report.pools.map(poolSection).join('') : '<p>No pool matches this report.</p>';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header class="top"><h1>Telemetry report</h1><p class="period">${escapeHtml(report.period.since)} to ${escapeHtml(report.period.until)} · ${report.period.days} days · ${escapeHtml(report.period.timeZone)}</p><p class="note">Generated ${escapeHtml(generatedAt.toISOString().slice(0, 16).replace('T', ' '))} UTC by meet-launcher. A join attempt is a join request a page sent to the service; the success rate is successful joins over attempts.</p>${nav}</header>
<main>${pools}</main>
<footer><p class="note">Days are calendar days in ${escapeHtml(report.period.timeZone)}, by the time each event happened (the device's clock, kept within 7 days before and 1 hour after its arrival). Devices are distinct DeviceIDs. Federation partners are counted by distinct meetings joined, on each day someone joined them (a join from a page that could not name its meeting counts as one).</p></footer>
</body>
</html>
`;
}
