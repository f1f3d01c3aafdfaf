/**
 * The ingest route against the real app on a temp DATA_DIR: 403 per request, strict schema,
 * limits, HMAC, dedupe, rate limit, group commit; fuzzed inputs leave the database unchanged.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { seedDemoIfEmpty } from '../../src/server/seed';
import { type Db, openDatabase } from '../../src/server/sql/sqlite-db';
import { putDocument } from '../../src/server/store/config-store';
import { createIngest } from '../../src/server/telemetry/ingest';
import { formatReport, telemetryReport } from '../../src/server/telemetry/report';
import { countOlderThan, purgeTelemetry } from '../../src/server/telemetry/retention';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import { ENGINES, openTelemetryStore, type TelemetryStore } from '../support/telemetry-stores';
import { storeOf } from '../support/temp-store';

const SECRET = Buffer.alloc(32, 7);
const DEVICE = '3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b';
let dir: string;
let db: Db;
let app: FastifyInstance;
let serial = 0;

const uid = () => `evt-${process.pid}-${serial++}`;
const usage = (metric = 'joinAttempt', value = 1, extra = {}) => ({
  id: uid(),
  type: 'usage',
  ts: 1,
  metric,
  value,
  ...extra,
});
const batch = (events: unknown[], deviceId = DEVICE) => ({ v: 1, deviceId, events });
const telemetryOn = (on: boolean) =>
  putDocument(storeOf(db).sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: on });
const post = (payload: unknown, headers: Record<string, string> = {}, host = '127.0.0.1') =>
  app.inject({
    method: 'POST',
    url: TELEMETRY_PATH,
    headers: { host, 'content-type': 'application/json', ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
const stored = () => (db.prepare('SELECT COUNT(*) AS n FROM telemetry_events').get() as { n: number }).n;
const dump = () => db.prepare('SELECT * FROM telemetry_events ORDER BY id').all();

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ml-telemetry-'));
  db = openDatabase(dir);
  await seedDemoIfEmpty(storeOf(db).sql);
  app = await buildApp({ store: storeOf(db), secret: SECRET, distDir: dir });
});

afterEach(async () => {
  await app.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('POST /telemetry/v1/batch', () => {
  it('answers 403 while the flag is off, judged on every request, and stores nothing', async () => {
    const first = await post(batch([usage()]));
    expect(first.statusCode).toBe(403);
    expect(first.json()).toMatchObject({ code: 'telemetry-disabled' });
    await telemetryOn(true);
    expect((await post(batch([usage()]))).statusCode).toBe(200);
    await telemetryOn(false);
    expect((await post(batch([usage()]))).statusCode).toBe(403);
    expect(stored()).toBe(1);
  });

  it('judges the flag per pool: a pool02 service document does not turn pool01 on', async () => {
    await putDocument(
      storeOf(db).sql,
      { kind: 'service', pool: 'pool02.fabrikam.com' },
      { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true },
    );
    expect((await post(batch([usage()]), {}, 'meet.fabrikam.test')).statusCode).toBe(200);
    expect((await post(batch([usage()]), {}, '127.0.0.1')).statusCode).toBe(403);
  });

  it('stores every field, HMACs every UserID, and keeps no IP or raw id', async () => {
    await telemetryOn(true);
    const clientHash = createHash('sha256').update('meet-launcher/user-id/v1:participant-42').digest('hex');
    const census = {
      id: uid(),
      type: 'census',
      ts: 2,
      appName: 'meet-launcher',
      deviceModel: 'Desktop',
      osName: 'Linux',
      osVersion: '6.1',
      userLanguage: 'en-US',
      userId: clientHash,
    };
    const error = {
      id: uid(),
      type: 'error',
      ts: 3,
      code: 'join:lobby-denied',
      message: 'm',
      userId: 'participant-42',
    };
    const response = await post(batch([census, error]), { 'x-forwarded-for': '203.0.113.9' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ stored: 2, duplicates: 0, refused: 0 });
    const text = JSON.stringify(dump());
    expect(text).not.toContain('participant-42');
    expect(text).not.toContain(clientHash);
    expect(text).not.toContain('127.0.0.1');
    expect(text).not.toContain('203.0.113.9');
    const rows = dump() as { data: string; device_id: string; pool: string }[];
    expect(rows.every((r) => r.device_id === DEVICE && r.pool === 'pool01.contoso.com')).toBe(true);
    const userIds = rows.map((r) => (JSON.parse(r.data) as { userId: string }).userId);
    for (const id of userIds) expect(id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('stores an event once however often it is sent (dedupe by event id)', async () => {
    await telemetryOn(true);
    const events = [usage(), usage('imSent', 4)];
    expect((await post(batch(events))).json()).toEqual({ stored: 2, duplicates: 0, refused: 0 });
    expect((await post(batch(events))).json()).toEqual({ stored: 0, duplicates: 2, refused: 0 });
    expect((await post(batch([events[0], events[0]]))).json()).toEqual({ stored: 0, duplicates: 2, refused: 0 });
    expect(stored()).toBe(2);
  });

  it('takes a beacon (text/plain) body', async () => {
    await telemetryOn(true);
    const response = await post(JSON.stringify(batch([usage()])), { 'content-type': 'text/plain;charset=UTF-8' });
    expect(response.statusCode).toBe(200);
  });

  it('coalesces concurrent batches into one commit and answers each after it', async () => {
    await telemetryOn(true);
    const answers = await Promise.all(Array.from({ length: 40 }, () => post(batch([usage(), usage()]))));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(40).fill(200));
    expect(stored()).toBe(80);
  });
});

describe('ingest fuzz: every bad input is a 4xx, the server stays up, the database unchanged', () => {
  const big = (n: number) => batch(Array.from({ length: n }, () => usage()));
  const cases: [string, unknown, number][] = [
    ['malformed JSON', '{"v":1,"deviceId":', 400],
    ['not an object', '[1,2,3]', 400],
    ['null', 'null', 400],
    ['an empty batch', batch([]), 400],
    ['a wrong version', { ...batch([usage()]), v: 2 }, 400],
    ['a deviceId that is no UUID', batch([usage()], 'device-1'), 400],
    ['an unknown field on the batch', { ...batch([usage()]), ip: '1.2.3.4' }, 400],
    ['an unknown field on an event (e.g. a display name)', batch([{ ...usage(), displayName: 'Zoë' }]), 400],
    ['a string where a number belongs', batch([{ ...usage(), value: '1' }]), 400],
    ['a negative count', batch([usage('imSent', -5)]), 400],
    ['an unknown metric', batch([usage('coffees')]), 400],
    ['an unknown event type', batch([{ id: uid(), type: 'chat', ts: 1, text: 'hi' }]), 400],
    [
      'a clear UserID in the census',
      batch([
        {
          id: uid(),
          type: 'census',
          ts: 1,
          appName: 'a',
          deviceModel: 'd',
          osName: 'o',
          osVersion: '1',
          userLanguage: 'en',
          userId: 'alice@contoso.com',
        },
      ]),
      400,
    ],
    ['a bad event id', batch([{ ...usage(), id: 'a b' }]), 400],
    ['a federation partner with a path', batch([usage('imSent', 1, { federationPartner: 'x.com/alice?q=1' })]), 400],
    ['a 10,000-event batch', big(10_000), 413],
    [
      'a 501-event batch under the byte limit',
      {
        v: 1,
        deviceId: DEVICE,
        events: Array.from({ length: 501 }, (_, i) => ({
          id: `e${String(i).padStart(8, '0')}`,
          type: 'usage',
          ts: 1,
          metric: 'imSent',
          value: 1,
        })),
      },
      400,
    ],
    ['a huge body', `{"v":1,"pad":"${'x'.repeat(2_000_000)}"}`, 413],
  ];
  for (const [name, payload, status] of cases) {
    it(name, async () => {
      await telemetryOn(true);
      const before = stored();
      const response = await post(payload);
      expect(response.statusCode).toBe(status);
      expect(response.json()).toHaveProperty('code');
      expect(stored()).toBe(before);
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    });
  }

  it('refuses other content types', async () => {
    await telemetryOn(true);
    const response = await post(JSON.stringify(batch([usage()])), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(response.statusCode).toBe(415);
    expect(stored()).toBe(0);
  });
});

describe.each(ENGINES)('report and retention (%s)', (engine) => {
  let t: TelemetryStore;
  beforeEach(async () => {
    t = await openTelemetryStore(engine);
  });
  afterEach(() => t.cleanup());

  it('sums usage per pool, rates joins, ranks errors and takes the p75 of each vital', async () => {
    const ingest = createIngest(t.store, SECRET);
    const vital = (name: string, value: number) => ({
      id: uid(),
      type: 'vital' as const,
      ts: 1,
      name,
      value,
      metricId: uid(),
    });
    const err = (code: string) => ({ id: uid(), type: 'error' as const, ts: 1, code, message: 'm' });
    await ingest.storeNow('pool01.contoso.com', {
      v: 1,
      deviceId: DEVICE,
      events: [
        { id: uid(), type: 'usage', ts: 1, metric: 'joinAttempt', value: 4, federationPartner: 'contoso.com' },
        { id: uid(), type: 'usage', ts: 1, metric: 'joinSuccess', value: 3, federationPartner: 'contoso.com' },
        { id: uid(), type: 'usage', ts: 1, metric: 'meetingMinutes', value: 12.345 },
        { id: uid(), type: 'usage', ts: 1, metric: 'imSent', value: 7 },
        { id: uid(), type: 'usage', ts: 1, metric: 'imReceived', value: 9 },
        ...[100, 200, 300, 400].map((v) => vital('LCP', v)),
        vital('CLS', 0.1234),
        err('join:lobby-denied'),
        err('join:lobby-denied'),
        err('uncaught-error'),
      ] as never,
    });
    await ingest.storeNow('pool01.contoso.com', {
      v: 1,
      deviceId: '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b',
      events: [vital('LCP', 50)] as never,
    });
    const report = await telemetryReport(t.sql);
    const [pool01, pool02] = report.pools;
    expect(pool01).toMatchObject({
      pool: 'pool01.contoso.com',
      joinAttempts: 4,
      joinSuccesses: 3,
      joinSuccessRate: 0.75,
      meetingMinutes: 12.35,
      imSent: 7,
      imReceived: 9,
      errorReports: 3,
      devices: 2,
      topErrorCodes: [
        { code: 'join:lobby-denied', count: 2 },
        { code: 'uncaught-error', count: 1 },
      ],
      // Vitals are kept rounded up to 2 significant digits.
      webVitalsP75: { LCP: 300, CLS: 0.13, INP: null, FCP: null, TTFB: null },
      federationPartners: [{ domain: 'contoso.com', meetings: 3 }],
    });
    expect(pool02).toMatchObject({ pool: 'pool02.fabrikam.com', joinAttempts: 0, joinSuccessRate: null, devices: 0 });
    const text = formatReport(report).join('\n');
    expect(text).toContain('success rate 75%');
    expect(text).toContain('LCP 300 ms (good)');
    expect(text).toContain('2  join:lobby-denied: Joining failed: the organizer denied entry');
  });

  it('purges events older than the retention period, and only those', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const ingest = createIngest(t.store, SECRET, () => now);
    await ingest.storeNow('pool01.contoso.com', batch([usage()]) as never);
    now += 31 * 86_400_000;
    await ingest.storeNow('pool01.contoso.com', batch([usage(), usage()]) as never);
    expect(await countOlderThan(t.store, 30, now)).toBe(1);
    expect(await countOlderThan(t.store, 0, now, 'POOL01.contoso.com')).toBe(3);
    expect(await countOlderThan(t.store, 0, now, 'pool02.fabrikam.com')).toBe(0);
    expect(await purgeTelemetry(t.store, 30, now)).toBe(1);
    expect(await t.count('telemetry_events')).toBe(2);
    expect(await purgeTelemetry(t.store, 0, now, 'pool02.fabrikam.com')).toBe(0);
    expect(await purgeTelemetry(t.store, 0, now)).toBe(2);
  });
});

describe('admin verbs: report and purge', () => {
  it('purge --WhatIf counts and keeps; purge deletes; bad values are refused', async () => {
    const { parseCommandLine, CliUsageError } = await import('../../src/server/admin/args');
    const { runCommand } = await import('../../src/server/admin/commands');
    await createIngest(storeOf(db), SECRET).storeNow('pool01.contoso.com', batch([usage(), usage()]) as never);
    const run = async (...argv: string[]) => runCommand(parseCommandLine(argv), { dataDir: dir }, 8080, 30);
    expect(await run('purge', '--OlderThanDays', '0', '--WhatIf')).toEqual([
      'What if: would delete 2 telemetry events (all of it)',
    ]);
    expect(stored()).toBe(2);
    expect(await run('purge')).toEqual([
      'Deleted 0 telemetry events received more than 30 days ago; the freed space is back on the disk',
    ]);
    expect(await run('purge', '-OlderThanDays:0', '-Pool', 'POOL01.contoso.com')).toEqual([
      'Deleted 2 telemetry events of pool01.contoso.com (all of it); the freed space is back on the disk',
    ]);
    expect(stored()).toBe(0);
    expect(() => parseCommandLine(['purge', '--OlderThanDays', '-3'])).toThrow(CliUsageError);
    expect(() => parseCommandLine(['purge', '--OlderThanDays', 'soon'])).toThrow(CliUsageError);
    await expect(run('purge', '--Pool', 'nope.example.com')).rejects.toThrow(/no pool named/);
  });

  it('report --json keeps the promised shape', async () => {
    const { parseCommandLine } = await import('../../src/server/admin/args');
    const { runCommand } = await import('../../src/server/admin/commands');
    const out = JSON.parse(
      (await runCommand(parseCommandLine(['report', '--json']), { dataDir: dir }, 8080)).join('\n'),
    ) as {
      pools: Record<string, unknown>[];
    };
    expect(out.pools.map((p) => p.pool)).toEqual(['pool01.contoso.com', 'pool02.fabrikam.com']);
    for (const key of [
      'joinAttempts',
      'joinSuccesses',
      'meetingMinutes',
      'imSent',
      'imReceived',
      'errorReports',
      'devices',
    ]) {
      expect(out.pools[0]?.[key]).toBe(0);
    }
  });
});

describe('a TelemetryEndpoint on another host (CORS)', () => {
  const FABRIKAM_PAGE = 'https://meet.fabrikam.test';
  const poolOf = () =>
    (db.prepare('SELECT DISTINCT pool FROM telemetry_events').all() as { pool: string }[]).map((r) => r.pool);
  const poolOn = (pool: string) =>
    putDocument(storeOf(db).sql, { kind: 'service', pool }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true });

  it('answers the preflight for exactly the calling pool page’s origin, without credentials', async () => {
    const response = await app.inject({
      method: 'OPTIONS',
      url: TELEMETRY_PATH,
      headers: {
        host: 'telemetry.contoso.example',
        origin: FABRIKAM_PAGE,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(FABRIKAM_PAGE);
    expect(response.headers['access-control-allow-methods']).toBe('POST');
    expect(response.headers['access-control-allow-headers']).toBe('content-type');
    expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    expect(response.headers.vary).toMatch(/origin/i);
  });

  it('files the events under the page’s pool, judged by that pool’s flag, and lets the page read the answer', async () => {
    await poolOn('pool01.contoso.com'); // the host's pool; pool02, the page's, is still off
    const refused = await post(batch([usage()]), { origin: FABRIKAM_PAGE }, 'meet.contoso.test');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'telemetry-disabled' });
    expect(stored()).toBe(0);
    await poolOn('pool02.fabrikam.com');
    const taken = await post(batch([usage()]), { origin: FABRIKAM_PAGE }, 'telemetry.contoso.example');
    expect(taken.statusCode).toBe(200);
    expect(taken.headers['access-control-allow-origin']).toBe(FABRIKAM_PAGE);
    expect(poolOf()).toEqual(['pool02.fabrikam.com']);
  });

  it('refuses a page no pool serves, or an Origin that is not one, and stores nothing', async () => {
    await telemetryOn(true);
    for (const origin of [
      'https://evil.example',
      'null',
      'https://meet.fabrikam.test/path',
      'file://meet.fabrikam.test',
    ]) {
      const response = await post(batch([usage()]), { origin });
      expect(response.statusCode, origin).toBe(403);
      expect(response.json()).toMatchObject({ code: 'unknown-origin' });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await app.inject({ method: 'OPTIONS', url: TELEMETRY_PATH, headers: { origin } });
      expect(preflight.statusCode, origin).toBe(403);
    }
    expect(stored()).toBe(0);
  });

  it('same-origin pages are unchanged: the Origin names the page’s own pool', async () => {
    await telemetryOn(true);
    const response = await post(batch([usage()]), { origin: 'http://127.0.0.1:8080' });
    expect(response.statusCode).toBe(200);
    expect(poolOf()).toEqual(['pool01.contoso.com']);
  });
});
