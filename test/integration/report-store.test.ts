/**
 * The report over a real store, SQLite and PostgreSQL alike: events stored by the real ingest land
 * in the right day of the admin's zone, roll-ups and the not-yet-rolled-up tail give the same
 * figures, retention takes the roll-ups along, and the CSV and CLI forms say the same as the JSON.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fillStore } from '../../bench/report-data';
import { CliUsageError, parseCommandLine } from '../../src/server/admin/args';
import { runCommand } from '../../src/server/admin/commands';
import { sqliteSql } from '../../src/server/sql/sqlite';
import { createIngest } from '../../src/server/telemetry/ingest';
import { runReport, telemetryReport } from '../../src/server/telemetry/report';
import { OTHER } from '../../src/server/telemetry/report/aggregate';
import { CSV_COLUMNS, csvField, formatCsv } from '../../src/server/telemetry/report/csv';
import { ROLLUP_MARGIN_MS, rolledUpTo, scheduleRollUp } from '../../src/server/telemetry/report/rollup';
import { purgeTelemetry } from '../../src/server/telemetry/retention';
import { ENGINES, openTelemetryStore, type TelemetryStore } from '../support/telemetry-stores';
import { tempStore } from '../support/temp-store';

const SECRET = Buffer.alloc(32, 9);
const DEVICE_A = '3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b';
const DEVICE_B = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const POOL = 'pool01.contoso.com';
const HOUR = 3_600_000;
let store: TelemetryStore;
let serial = 0;
let now = Date.parse('2026-11-22T12:00:00Z');

const id = () => `rep-${process.pid}-${serial++}`;
const usage = (metric: string, ts: number, value = 1, federationPartner?: string) => ({
  id: id(),
  type: 'usage',
  ts,
  metric,
  value,
  ...(federationPartner ? { federationPartner } : {}),
});
const census = (ts: number, userLanguage = 'en-US', osName = 'Windows') => ({
  id: id(),
  type: 'census',
  ts,
  appName: 'meet-launcher',
  deviceModel: 'Desktop',
  osName,
  osVersion: '10.0',
  userLanguage,
});
const store_ = (events: unknown[], deviceId = DEVICE_A, pool = POOL) =>
  createIngest(store.store, SECRET, () => now).storeNow(pool, { v: 1, deviceId, events } as never);
const report = (zone: string, extra: Record<string, unknown> = {}) =>
  telemetryReport(store.sql, {
    since: '2026-11-19',
    until: '2026-11-22',
    utc: zone === 'UTC',
    timeZone: zone,
    now,
    ...extra,
  });
const day = (r: Awaited<ReturnType<typeof report>>, date: string, pool = POOL) =>
  r.pools.find((p) => p.pool === pool)?.days.find((d) => d.date === date);

const dataDir = () => store.dataDir as string;
const sqliteDb = () => {
  if (store.store.dialect !== 'sqlite') throw new Error('a SQLite test');
  return store.store.db;
};
const useStore = (engine: (typeof ENGINES)[number]) => {
  beforeEach(async () => {
    store = await openTelemetryStore(engine);
    now = Date.parse('2026-11-22T12:00:00Z');
  });
  afterEach(() => store.cleanup());
};

describe.each(ENGINES)('day buckets (%s)', (engine) => {
  useStore(engine);

  it('file an event by its time in the admin’s zone, and a late one under the day it happened', async () => {
    // 23:30Z on the 20th is the 21st in Paris (UTC+1); it arrives two days later.
    await store_([
      usage('joinAttempt', Date.parse('2026-11-20T23:30:00Z')),
      census(Date.parse('2026-11-20T23:30:00Z')),
    ]);
    const utc = await report('UTC');
    const paris = await report('Europe/Paris');
    expect(day(utc, '2026-11-20')).toMatchObject({ joinAttempts: 1, sessions: 1, devices: 1 });
    expect(day(utc, '2026-11-21')).toMatchObject({ joinAttempts: 0, sessions: 0, devices: 0 });
    expect(day(paris, '2026-11-21')).toMatchObject({ joinAttempts: 1, sessions: 1, devices: 1 });
    expect(paris.period).toMatchObject({ since: '2026-11-19', until: '2026-11-22', timeZone: 'Europe/Paris', days: 4 });
  });

  it('keeps a device whose clock is far off within a week of its arrival', async () => {
    await store_([usage('joinAttempt', 0), usage('joinSuccess', now + 400 * 24 * HOUR)]);
    const r = await report('UTC', { since: '2026-11-01', until: '2026-11-30' });
    // 1970 → arrival minus 7 days (the 15th); year 2027 → arrival plus 1 hour (the 22nd).
    expect(day(r, '2026-11-15')?.joinAttempts).toBe(1);
    expect(day(r, '2026-11-22')?.joinSuccesses).toBe(1);
    expect(r.pools[0]).toMatchObject({ joinAttempts: 1, joinSuccesses: 1 });
  });

  it('counts distinct devices per day and over the period', async () => {
    const d20 = Date.parse('2026-11-20T10:00:00Z');
    const d21 = Date.parse('2026-11-21T10:00:00Z');
    await store_([census(d20), census(d21), census(d21 + HOUR)], DEVICE_A);
    await store_([census(d21)], DEVICE_B);
    const r = await report('UTC');
    expect(day(r, '2026-11-20')).toMatchObject({ devices: 1, sessions: 1 });
    expect(day(r, '2026-11-21')).toMatchObject({ devices: 2, sessions: 3 });
    expect(r.pools[0]).toMatchObject({ devices: 2, sessions: 4 });
  });

  it('rates joins per day and over the period; partners by meetings, not events', async () => {
    const t = Date.parse('2026-11-21T09:00:00Z');
    await store_([
      usage('joinAttempt', t, 1, 'contoso.com'),
      usage('joinAttempt', t, 1, 'contoso.com'),
      usage('joinAttempt', t, 1, 'fabrikam.com'),
      usage('joinSuccess', t, 1, 'contoso.com'),
      usage('joinSuccess', t, 1, 'fabrikam.com'),
      usage('meetingMinutes', t, 12.345, 'contoso.com'),
      usage('imSent', t, 4, 'contoso.com'),
    ]);
    const pool = (await report('UTC')).pools[0];
    expect(pool).toMatchObject({
      joinAttempts: 3,
      joinSuccesses: 2,
      joinSuccessRate: 0.667,
      meetingMinutes: 12.35,
      imSent: 4,
      federationPartners: [
        { domain: 'contoso.com', meetings: 1 },
        { domain: 'fabrikam.com', meetings: 1 },
      ],
    });
    expect(pool?.days.map((d) => d.joinSuccessRate)).toEqual([null, null, 0.667, null]);
  });

  it('counts partners by distinct meetings each day, from the tail and from roll-ups alike', async () => {
    const joined = (ts: number, partner: string, threadId?: string) => ({
      ...usage('joinSuccess', ts, 1, partner),
      ...(threadId && { threadId }),
    });
    const [first, second, third] = ['one', 'two', 'three'].map((n) => `19:meeting_${n}@thread.v2`);
    const t = Date.parse('2026-11-21T09:00:00Z');
    await store_([joined(t, 'contoso.com', first), joined(t, 'contoso.com', second), joined(t, 'contoso.com')]);
    // Another device joins the first meeting an hour later (another slot), and a fabrikam one.
    await store_([joined(t + HOUR, 'contoso.com', first), joined(t, 'fabrikam.com', third)], DEVICE_B);
    // The next day, someone joins the first meeting again: it counts on that day too.
    await store_([joined(Date.parse('2026-11-22T09:00:00Z'), 'contoso.com', first)], DEVICE_B);
    const check = async () => {
      const r = await report('UTC');
      const pool = r.pools[0];
      expect(pool?.joinSuccesses).toBe(6);
      expect(day(r, '2026-11-21')?.federationPartners).toEqual([
        // first, second, and a join that named no meeting
        { domain: 'contoso.com', meetings: 3 },
        { domain: 'fabrikam.com', meetings: 1 },
      ]);
      expect(day(r, '2026-11-22')?.federationPartners).toEqual([{ domain: 'contoso.com', meetings: 1 }]);
      expect(pool?.federationPartners).toEqual([
        { domain: 'contoso.com', meetings: 4 },
        { domain: 'fabrikam.com', meetings: 1 },
      ]);
      return JSON.stringify(r.pools);
    };
    const fromTail = await check();
    now += ROLLUP_MARGIN_MS + 1;
    expect(await check()).toBe(fromTail);
    expect(await store.count('telemetry_rollup')).toBeGreaterThan(0);
  });
});

describe.each(ENGINES)('roll-ups (%s)', (engine) => {
  useStore(engine);

  it('give the same report as the raw events, and move only past the 2-minute margin', async () => {
    const t = Date.parse('2026-11-21T09:00:00Z');
    await store_([usage('joinAttempt', t), usage('joinSuccess', t), census(t), census(t, 'de-DE', 'macOS')]);
    await store_([{ id: id(), type: 'vital', ts: t, name: 'LCP', value: 2501, metricId: 'm1' }], DEVICE_B);
    const fromTail = JSON.stringify(await report('Europe/Paris'));
    // The events arrived "now": inside the margin, so they were counted from the tail, not rolled up.
    expect(await rolledUpTo(store.sql)).toBeLessThanOrEqual(now - ROLLUP_MARGIN_MS);
    expect(await store.count('telemetry_rollup')).toBe(0);
    now += ROLLUP_MARGIN_MS + 1;
    const fromRollups = JSON.stringify(await report('Europe/Paris'));
    // Both devices' events fall in the same 15-minute slot of the pool: one roll-up row.
    expect(await store.count('telemetry_rollup')).toBe(1);
    expect(fromRollups).toBe(fromTail);
    // A later event in the same slot adds to the stored roll-up.
    await store_([usage('joinAttempt', t)]);
    now += ROLLUP_MARGIN_MS + 1;
    expect((await report('Europe/Paris')).pools[0]).toMatchObject({ joinAttempts: 2, devices: 2, sessions: 2 });
    expect((await report('Europe/Paris')).pools[0]?.webVitals.LCP).toEqual({
      p75: 2600,
      rating: 'needs-improvement',
      samples: 1,
    });
  });

  it('are made by the server at start and every minute, up to 2 minutes ago', async () => {
    now = Date.now() - 5 * 60_000;
    await store_([usage('joinAttempt', now)]);
    now = Date.now();
    await store_([usage('joinAttempt', now)]);
    // The first pass runs at once; the test waits for it to end, then stops the minute timer.
    await new Promise<void>((resolve, reject) => {
      const stop = scheduleRollUp(store.sql, {
        onError: reject,
        onPass: () => {
          stop();
          resolve();
        },
      });
    });
    expect(await rolledUpTo(store.sql)).toBeGreaterThan(now - ROLLUP_MARGIN_MS - 5_000);
    expect(await rolledUpTo(store.sql)).toBeLessThanOrEqual(Date.now() - ROLLUP_MARGIN_MS);
    const rows = await store.sql.all<{ aggregate: string }>('SELECT aggregate FROM telemetry_rollup');
    expect(rows.map((r) => JSON.parse(r.aggregate))).toEqual([['u:joinAttempt', 1]]);
  });

  it('fold a flood of made-up values into "(other)" so a slot cannot grow without bound', async () => {
    const t = Date.parse('2026-11-21T09:00:00Z');
    await store_(Array.from({ length: 80 }, (_, i) => census(t, `xx-${String(i).padStart(2, '0')}`)));
    now += ROLLUP_MARGIN_MS + 1;
    const languages = (await report('UTC')).pools[0]?.census.language ?? [];
    expect(languages).toHaveLength(11);
    expect(languages.at(-1)).toEqual({ value: OTHER, sessions: 70 });
    const stored = (await store.sql.get('SELECT aggregate FROM telemetry_rollup')) as { aggregate: string };
    expect((JSON.parse(stored.aggregate) as unknown[]).filter((k) => String(k).startsWith('cl:'))).toHaveLength(51);
  });

  it("keep a slot's meetings as one packed entry per domain, merged across roll-up passes", async () => {
    const t = Date.parse('2026-11-21T09:00:00Z');
    const joined = (threadId: string) => ({ ...usage('joinSuccess', t, 1, 'contoso.com'), threadId });
    await store_([joined('19:meeting_one@thread.v2'), joined('19:meeting_two@thread.v2')]);
    now += ROLLUP_MARGIN_MS + 1;
    expect(day(await report('UTC'), '2026-11-21')?.federationPartners).toEqual([
      { domain: 'contoso.com', meetings: 2 },
    ]);
    // Later arrivals in the same slot: one meeting already stored, one new.
    await store_([joined('19:meeting_one@thread.v2'), joined('19:meeting_three@thread.v2')], DEVICE_B);
    now += ROLLUP_MARGIN_MS + 1;
    expect(day(await report('UTC'), '2026-11-21')?.federationPartners).toEqual([
      { domain: 'contoso.com', meetings: 3 },
    ]);
    expect(await rolledUpTo(store.sql)).toBeGreaterThan(t);
    const stored = (await store.sql.get('SELECT aggregate FROM telemetry_rollup')) as { aggregate: string };
    const keys = (JSON.parse(stored.aggregate) as unknown[]).filter((_, i) => i % 2 === 0).map(String);
    expect(keys.filter((k) => k.includes('contoso.com'))).toEqual(['mh:contoso.com']);
  });

  it('go with the events when retention or purge deletes them', async () => {
    await store_([usage('joinAttempt', now)]);
    now += ROLLUP_MARGIN_MS + 1;
    expect((await report('UTC')).pools[0]?.joinAttempts).toBe(1);
    expect(await purgeTelemetry(store.store, 0, now, 'pool02.fabrikam.com')).toBe(0);
    expect((await report('UTC')).pools[0]?.joinAttempts).toBe(1);
    expect(await purgeTelemetry(store.store, 0, now, 'POOL01.contoso.com')).toBe(1);
    expect((await report('UTC')).pools[0]?.joinAttempts).toBe(0);
    expect(await store.count('telemetry_rollup')).toBe(0);
  });
});

describe('CSV fields', () => {
  it('quotes per RFC 4180 and neutralizes spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    for (const start of ['+', '-', '@', '\t', '\r']) expect(csvField(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(0.667)).toBe('0.667');
    expect(csvField(null)).toBe('');
  });
});

describe.each(ENGINES)('CSV (%s)', (engine) => {
  useStore(engine);

  it('has a header and one CRLF-ended row per pool and day; page-made text cannot become a formula', async () => {
    await store_([census(Date.parse('2026-11-21T09:00:00Z'), '=cmd|"/c calc"!A1', '@SUM(1,2)')]);
    const csv = formatCsv(await report('UTC'));
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = csv.slice(0, -2).split('\r\n');
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows).toHaveLength(1 + 2 * 4);
    const row = rows.find((r) => r.startsWith(`${POOL},2026-11-21,`)) as string;
    expect(row).toContain(`"'@SUM(1,2) 1"`);
    expect(row).toContain(`"'=cmd|""/c calc""!A1 1"`);
    // No cell of any row starts with a formula character once its quotes are taken off.
    for (const r of rows)
      for (const cell of r.match(/("([^"]|"")*"|[^,]*)/g) ?? [])
        expect(cell.replace(/^"/, '')).not.toMatch(/^[=+\-@\t\r]/);
  });
});

describe('admin report verb', () => {
  useStore('sqlite');
  const run = async (...argv: string[]) => runCommand(parseCommandLine(argv), { dataDir: dataDir() }, 8080);

  it('parses the period and the form, and refuses bad combinations in one line', async () => {
    expect(parseCommandLine(['report', '--Since', '2026-11-01', '--until=2026-11-07', '-Utc', '-CSV']).report).toEqual({
      since: '2026-11-01',
      until: '2026-11-07',
      utc: true,
      form: 'csv',
    });
    expect(parseCommandLine(['report', '--Days', '7', '--Html', 'out.html']).report).toMatchObject({
      days: 7,
      form: 'html',
      htmlFile: 'out.html',
    });
    expect(parseCommandLine(['report', '--json']).report?.form).toBe('json');
    for (const argv of [
      ['report', '--Since', 'yesterday'],
      ['report', '--Until', '2026-13-01'],
      ['report', '--Days', '0'],
      ['report', '--Days', '-3'],
      ['report', '--Days', '99999'],
      ['report', '--Json', '--Csv'],
      ['report', '--Csv', '--Html', 'x.html'],
      ['report', '--Html'],
      ['report', '--Since', '2026-11-01', '--Until', '2026-11-02', '--Days', '2'],
    ])
      expect(() => parseCommandLine(argv), argv.join(' ')).toThrow(CliUsageError);
    await expect(run('report', '--Since', '2026-11-09', '--Until', '2026-11-02')).rejects.toThrow(CliUsageError);
  });

  it('prints the period, and the same figures in every form', async () => {
    now = Date.now();
    await store_([usage('joinAttempt', Date.now()), usage('joinSuccess', Date.now()), census(Date.now())]);
    const text = (await run('report', '--Days', '3', '--Utc')).join('\n');
    expect(text).toMatch(/^Telemetry report, \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d \(3 days, UTC\)/);
    expect(text).toContain('1 attempt, 1 successful, success rate 100%');
    expect(text).toContain('1 (1 page session)');
    const json = JSON.parse((await run('report', '--Days', '3', '--Utc', '--Json'))[0] as string);
    expect(json.pools[0]).toMatchObject({ pool: POOL, joinAttempts: 1, joinSuccesses: 1, devices: 1, sessions: 1 });
    expect(json.pools[0].days).toHaveLength(3);
    const csv = `${(await run('report', '--Days', '3', '--Utc', '--Csv'))[0]}\n`;
    expect(csv.split('\r\n')).toHaveLength(1 + 2 * 3 + 1);
    const file = path.join(dataDir(), 'report.html');
    expect((await run('report', '--Days', '3', '--Utc', '--Html', file))[0]).toMatch(
      /^Wrote .*report\.html: 2 pool\(s\)/,
    );
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|@import|url\(|src=/i);
  });

  it('says when a period has no events, and lists only the days that had some', async () => {
    const quiet = await run(
      'report',
      '--Since',
      '2020-01-01',
      '--Until',
      '2020-01-31',
      '--Utc',
      '--Pool',
      'POOL02.fabrikam.com',
    );
    expect(quiet[0]).toBe('Telemetry report, 2020-01-01 to 2020-01-31 (31 days, UTC)');
    expect(quiet.join('\n')).toContain('0 attempts, 0 successful, success rate n/a');
    expect(quiet.join('\n')).toContain('by day:           no events in this period');
    expect(quiet.join('\n')).not.toContain(POOL);
    now = Date.now();
    await store_([usage('joinAttempt', now), usage('joinAttempt', now)]);
    const busy = (await run('report', '--Days', '5', '--Utc', '--Pool', POOL)).join('\n');
    expect(busy).toContain('2 attempts, 0 successful, success rate 0%');
    expect(busy).toContain('by day (1 day with events):');
    expect(busy).toMatch(/\n {4}\d{4}-\d\d-\d\d {2}2 {9}0 {10}0% /);
  });

  it('escapes what pages sent: a census value cannot become markup in the HTML', async () => {
    now = Date.now();
    await store_([census(Date.now(), '<img src=x onerror=alert(1)>', '</svg><script>alert(2)</script>')]);
    const file = path.join(dataDir(), 'escaped.html');
    await run('report', '--Days', '1', '--Html', file);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<img|<script|<\/svg><script/i);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });

  it('says so when the HTML file cannot be written, and leaves nothing behind', async () => {
    const missing = path.join(dataDir(), 'no-such-folder', 'r.html');
    await expect(runReport(store.sql, { utc: true, form: 'html', htmlFile: missing })).rejects.toThrow(
      /folder .* does not exist/,
    );
    await expect(runReport(store.sql, { utc: true, form: 'html', htmlFile: dataDir() })).rejects.toThrow(/is a folder/);
    expect(fs.readdirSync(dataDir()).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('the report bench’s store', () => {
  useStore('sqlite');

  it('holds the same roll-ups when built while loading as when the real roll-up makes them', async () => {
    const fillNow = Date.parse('2026-11-29T10:00:00Z');
    const other = await tempStore();
    try {
      const inline = await fillStore(sqliteDb(), { events: 12_000, days: 30, now: fillNow, rollUpInline: true });
      const real = await fillStore(other.db, { events: 12_000, days: 30, now: fillNow });
      expect(inline.rolledUpEvents).toBeGreaterThan(0);
      expect(inline.rolledUpEvents).toBeLessThan(real.rolledUpEvents);
      const reportOf = (sql: typeof store.sql) =>
        telemetryReport(sql, { days: 30, utc: false, timeZone: 'Europe/Paris', now: fillNow });
      const a = await reportOf(store.sql);
      expect(a.pools[0]?.joinAttempts).toBeGreaterThan(500);
      expect(JSON.stringify(a)).toBe(JSON.stringify(await reportOf(sqliteSql(other.db))));
    } finally {
      other.cleanup();
    }
  }, 60_000);
});
