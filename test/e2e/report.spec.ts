/**
 * What was collected, in every form: with telemetry on, real joins and chats in Chromium; then
 * `report --Json`, `--Csv` and `--Html` over the same days agree to the unit. The HTML file, opened
 * from file://, asks nothing of any server, has no axe violation in light or dark, and its
 * screenshots are kept with the test's results.
 */
import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { DayReport, PoolReport, TelemetryReport } from '../../src/server/telemetry/report';
import { openMeeting } from './fixtures';
import { ALICE, chatLog, expect, organizerLink, say, test } from './shell-helpers';

const POOL = 'pool01.contoso.com';
const PERIOD = ['--Days', '3'];
const VITALS = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB'] as const;

/** RFC 4180: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[i++];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

const num = (cell: string | undefined) =>
  cell === undefined || cell === '' || cell === '–' ? null : Number(cell.replaceAll(',', '').replace('%', ''));
const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/** The rows of a report table (by caption) in a pool's section: first cell → the other cells. */
async function tableRows(page: Page, section: string, caption: string): Promise<Map<string, string[]>> {
  const table = page.locator(`section[aria-labelledby="${section}"] table`, {
    has: page.locator('caption', { hasText: new RegExp(`^${caption}$`) }),
  });
  await expect(table).toHaveCount(1);
  const rows = await table
    .locator('tbody tr')
    .evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent?.trim() ?? '')),
    );
  return new Map(rows.map(([first, ...rest]) => [first as string, rest]));
}

async function joinAfterAnEmptyPress(page: Page, url: string, name: string) {
  await openMeeting(page, url);
  await page.getByTestId('join-web').click();
  await page.getByTestId('display-name').fill('');
  await page.getByTestId('join-submit').click();
  // Refused in the page: not a join request, so not a join attempt.
  await expect(page.getByTestId('join-problem')).toBeVisible();
  await page.getByTestId('display-name').fill(name);
  await page.getByTestId('join-submit').click();
  await expect(page.getByTestId('in-meeting')).toBeVisible();
}

test('report --Json, --Csv and --Html agree; the HTML is self-contained and accessible', async ({
  people,
  pool,
}, testInfo) => {
  expect((await pool.admin('set', '--MeetingUxEnableTelemetry', 'true')).code).toBe(0);
  // A link to no meeting: the page reports the failed lookup, so the report has an error code.
  const lost = await people.newPage();
  await openMeeting(lost, pool.url('/alice/NOPE9999?sl=1'));
  await expect(lost.getByTestId('error')).toHaveAttribute('data-error-code', 'meeting-not-found');
  await lost.close({ runBeforeUnload: true });
  const organizer = await people.newPage();
  await joinAfterAnEmptyPress(organizer, await organizerLink(pool, ALICE), 'Alice Organizer');
  const guest = await people.newPage();
  await joinAfterAnEmptyPress(guest, pool.url(`${ALICE}?sl=1`), 'Report Guest');
  await say(guest, 'one');
  await say(organizer, 'two');
  await say(guest, 'three');
  await expect.poll(() => chatLog(organizer)).toHaveLength(3);
  await expect.poll(() => chatLog(guest)).toHaveLength(3);
  for (const page of [guest, organizer]) {
    await page.waitForFunction(() => performance.now() > 1500);
    await page.getByTestId('leave').click();
    await expect(page.getByTestId('meeting-ended')).toBeVisible();
    await page.close({ runBeforeUnload: true });
  }

  const json = async () => {
    const result = await pool.admin('report', ...PERIOD, '--Json');
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as TelemetryReport;
  };
  await expect
    .poll(
      async () => {
        const p = (await json()).pools.find((x) => x.pool === POOL) as PoolReport;
        return {
          attempts: p.joinAttempts,
          successes: p.joinSuccesses,
          sent: p.imSent,
          received: p.imReceived,
          minutes: p.meetingMinutes > 0,
          devices: p.devices,
          lookupError: p.errorsByCode.some((e) => e.code === 'lookup:meeting-not-found'),
        };
      },
      { timeout: 45_000 },
    )
    .toEqual({ attempts: 2, successes: 2, sent: 3, received: 3, minutes: true, devices: 3, lookupError: true });
  // Nothing more is on its way once two reports in a row are the same.
  let report = await json();
  await expect
    .poll(async () => {
      const previous = JSON.stringify(report);
      report = await json();
      return JSON.stringify(report) === previous;
    })
    .toBe(true);

  const csvResult = await pool.admin('report', ...PERIOD, '--Csv');
  expect(csvResult.code, csvResult.stderr).toBe(0);
  const htmlFile = testInfo.outputPath('report.html');
  const htmlResult = await pool.admin('report', ...PERIOD, '--Html', htmlFile);
  expect(htmlResult.code, htmlResult.stderr).toBe(0);
  expect(htmlResult.stdout).toContain(`${report.period.since} to ${report.period.until}`);

  // CSV: a header, one row per pool and day, the same numbers as the JSON's days.
  const [header, ...rows] = parseCsv(csvResult.stdout);
  expect(rows).toHaveLength(report.pools.length * report.period.days);
  const column = (row: string[], name: string) => row[(header as string[]).indexOf(name)];
  for (const pool of report.pools)
    for (const day of pool.days) {
      const row = rows.find((r) => r[0] === pool.pool && r[1] === day.date) as string[];
      expect(row, `${pool.pool} ${day.date}`).toBeDefined();
      for (const key of [
        'joinAttempts',
        'joinSuccesses',
        'joinSuccessRate',
        'meetingMinutes',
        'imSent',
        'imReceived',
        'devices',
        'sessions',
        'errorReports',
      ] as const)
        expect(num(column(row, key)), `${day.date} ${key}`).toBe(day[key]);
      for (const name of VITALS) expect(num(column(row, `${name.toLowerCase()}P75`))).toBe(day.webVitalsP75[name]);
    }

  // HTML: opened from disk, it makes no request beyond the file itself.
  const page = await people.newPage();
  const requested: string[] = [];
  page.context().on('request', (r) => requested.push(r.url()));
  await page.goto(`file://${htmlFile}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Telemetry report' })).toBeVisible();
  expect(requested).toEqual([`file://${htmlFile}`]);
  expect(fs.readFileSync(htmlFile, 'utf8')).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|https?:\/\//i);

  const p01 = report.pools.find((x) => x.pool === POOL) as PoolReport;
  const section = `pool-${report.pools.indexOf(p01) + 1}`;
  const kpis = await page
    .locator(`section[aria-labelledby="${section}"] .kpis div`)
    .evaluateAll((tiles) =>
      Object.fromEntries(tiles.map((t) => [t.querySelector('dt')?.textContent, t.querySelector('dd')?.textContent])),
    );
  expect({
    attempts: num(kpis['Join attempts']),
    successes: num(kpis['Successful joins']),
    rate: num(kpis['Success rate']),
    minutes: num(kpis['Meeting minutes']),
    devices: num(kpis.Devices),
    sessions: num(kpis['Page sessions']),
    errors: num(kpis['Error reports']),
  }).toEqual({
    attempts: p01.joinAttempts,
    successes: p01.joinSuccesses,
    rate: percent(p01.joinSuccessRate),
    minutes: p01.meetingMinutes,
    devices: p01.devices,
    sessions: p01.sessions,
    errors: p01.errorReports,
  });
  const tables = {
    joins: await tableRows(page, section, 'Joins per day'),
    minutes: await tableRows(page, section, 'Meeting minutes per day'),
    ims: await tableRows(page, section, 'Instant messages per day'),
    devices: await tableRows(page, section, 'Devices and page sessions per day'),
    errors: await tableRows(page, section, 'Error reports per day, by code'),
    vitals: await tableRows(page, section, 'Web-vitals p75 per day \\(ms; CLS has no unit\\)'),
  };
  const inHtml = (d: DayReport) => {
    const [attempts, successes, rate] = tables.joins.get(d.date) ?? [];
    const [sent, received] = tables.ims.get(d.date) ?? [];
    const [devices, sessions] = tables.devices.get(d.date) ?? [];
    return {
      attempts: num(attempts),
      successes: num(successes),
      rate: num(rate),
      minutes: num(tables.minutes.get(d.date)?.[0]),
      sent: num(sent),
      received: num(received),
      devices: num(devices),
      sessions: num(sessions),
      errors: num(tables.errors.get(d.date)?.at(-1)),
      vitals: (tables.vitals.get(d.date) ?? []).map(num),
    };
  };
  for (const d of p01.days)
    expect(inHtml(d), d.date).toEqual({
      attempts: d.joinAttempts,
      successes: d.joinSuccesses,
      rate: percent(d.joinSuccessRate),
      minutes: d.meetingMinutes,
      sent: d.imSent,
      received: d.imReceived,
      devices: d.devices,
      sessions: d.sessions,
      errors: d.errorReports,
      vitals: VITALS.map((n) => d.webVitalsP75[n]),
    });
  // Every chart has a name for screen readers and a table after it.
  const charts = page.locator('svg.chart');
  expect(await charts.count()).toBeGreaterThan(10);
  for (const name of await charts.evaluateAll((svgs) => svgs.map((s) => s.getAttribute('aria-labelledby'))))
    expect(name).toMatch(/-t .*-d$/);

  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme, media: 'screen' });
    const axe = await new AxeBuilder({ page }).analyze();
    // AxeBuilder ends in a blank page of its own; the flow's page is in front again (see media-a11y).
    await page.bringToFront();
    expect(
      axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      colorScheme,
    ).toEqual([]);
    const shot = await page.screenshot({ fullPage: true, path: testInfo.outputPath(`report-${colorScheme}.png`) });
    await testInfo.attach(`report-${colorScheme}.png`, { body: shot, contentType: 'image/png' });
  }
  await page.emulateMedia({ media: 'print', colorScheme: 'light' });
  const printed = await page.pdf({ path: testInfo.outputPath('report-print.pdf') });
  await testInfo.attach('report-print.pdf', { body: printed, contentType: 'application/pdf' });
  expect(requested).toEqual([`file://${htmlFile}`]);
});
