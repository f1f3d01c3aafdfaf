/**
 * The ingest under abuse, against the real app: limits keyed on the client address and the pool
 * (never the DeviceID a client picks), the daily quota and its refused count in the report, the
 * free-space guard, bounded values and timestamps, and answers that never echo client input.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppOptions } from '../../src/server/app';
import { sqliteSql } from '../../src/server/sql/sqlite';
import { putDocument } from '../../src/server/store/config-store';
import { formatReport, telemetryReport } from '../../src/server/telemetry/report';
import { PRODUCT_DEFAULTS } from '../../src/shared/config-schema';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import { startTestApp, type TestApp } from '../support/security-app';

let t: TestApp | undefined;
let serial = 0;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(
  options: Partial<AppOptions>,
  config: Partial<typeof PRODUCT_DEFAULTS> = {},
): Promise<FastifyInstance> {
  t = await startTestApp(options);
  await putDocument(t.sql, { kind: 'global' }, { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true, ...config });
  return t.app;
}

const usage = (extra: Record<string, unknown> = {}) => ({
  id: `lim-${serial++}-abcdefgh`,
  type: 'usage',
  ts: Date.now(),
  metric: 'joinAttempt',
  value: 1,
  ...extra,
});
/** A fresh DeviceID every time, as the flood did. */
const batch = (events: unknown[]) => ({ v: 1, deviceId: randomUUID(), events });
const many = (n: number) => Array.from({ length: n }, () => usage());
const post = (app: FastifyInstance, body: unknown, remoteAddress = '127.0.0.1', host = '127.0.0.1') =>
  app.inject({
    method: 'POST',
    url: TELEMETRY_PATH,
    remoteAddress,
    headers: { host, 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
/** The running app's store (each test starts one). */
const db = () => {
  if (!t) throw new Error('no app started');
  return t.db;
};
const stored = () => (db().prepare('SELECT COUNT(*) AS n FROM telemetry_events').get() as { n: number }).n;

describe('limits on what the client cannot choose', () => {
  it('counts batches per address, whatever DeviceID each carries; another address is not affected', async () => {
    const app = await start({ ingestLimits: { batchesPerAddressPerMinute: 5 } });
    for (let i = 0; i < 5; i++) expect((await post(app, batch([usage()]))).statusCode).toBe(200);
    const limited = await post(app, batch([usage()]));
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post(app, batch([usage()]), '127.0.0.2')).statusCode).toBe(200);
    expect(stored()).toBe(6);
  });

  it('counts events per address and per pool', async () => {
    const app = await start({ ingestLimits: { eventsPerAddressPerMinute: 100, eventsPerPoolPerMinute: 150 } });
    expect((await post(app, batch(many(60)))).statusCode).toBe(200);
    const perAddress = await post(app, batch(many(60)));
    expect(perAddress.statusCode).toBe(429);
    expect(perAddress.json()).toMatchObject({ code: 'rate-limited' });
    expect(Number(perAddress.headers['retry-after'])).toBeGreaterThan(0);
    expect((await post(app, batch(many(60)), '127.0.0.2')).statusCode).toBe(200);
    // A third address is within its own limit, but the pool has had 120 of its 150.
    expect((await post(app, batch(many(60)), '127.0.0.3')).statusCode).toBe(429);
    // The other pool has its own budget.
    await putDocument(
      (t as TestApp).sql,
      { kind: 'service', pool: 'pool02.fabrikam.com' },
      { ...PRODUCT_DEFAULTS, MeetingUxEnableTelemetry: true },
    );
    expect((await post(app, batch(many(60)), '127.0.0.3', 'meet.fabrikam.test')).statusCode).toBe(200);
    expect(stored()).toBe(180);
  });

  it('stores at most TelemetryMaxEventsPerDay a day, answers 429 past it, and reports the refused count', async () => {
    const app = await start({ ingestLimits: { addressShareOfDailyQuota: 1 } }, { TelemetryMaxEventsPerDay: 30 });
    expect((await post(app, batch(many(20)))).json()).toEqual({ stored: 20, duplicates: 0, refused: 0 });
    const partly = await post(app, batch(many(20)));
    expect(partly.statusCode).toBe(429);
    expect(Number(partly.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(partly.headers['retry-after'])).toBeLessThanOrEqual(86_400);
    expect(partly.json()).toMatchObject({ code: 'daily-quota-exceeded', stored: 10, duplicates: 0, refused: 10 });
    expect((await post(app, batch(many(5)))).json()).toMatchObject({ stored: 0, duplicates: 0, refused: 5 });
    expect(stored()).toBe(30);
    const report = await telemetryReport(sqliteSql(db()), { pool: 'pool01.contoso.com', utc: true });
    expect(report.pools[0]?.eventsRefused).toBe(15);
    expect(formatReport(report)).toContain(
      "  over daily quota: 15 events refused (pool quota 15, one address's share 0)",
    );
  });

  it("one address behind a trusted proxy spends only its share; the proxy's other clients keep sending", async () => {
    const app = await start({ trustProxy: ['127.0.0.1'] }, { TelemetryMaxEventsPerDay: 100 });
    const via = (client: string, n: number) =>
      app.inject({
        method: 'POST',
        url: TELEMETRY_PATH,
        remoteAddress: '127.0.0.1',
        headers: { host: '127.0.0.1', 'content-type': 'application/json', 'x-forwarded-for': client },
        payload: JSON.stringify(batch(many(n))),
      });
    // The default share is a tenth: 10 of the pool's 100.
    expect((await via('198.51.100.1', 10)).statusCode).toBe(200);
    const over = await via('198.51.100.1', 1);
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ code: 'address-quota-exceeded' });
    expect((await via('198.51.100.2', 10)).statusCode).toBe(200);
    expect(stored()).toBe(20);
  });

  it('answers 507 below the free-space floor and stores nothing, while pages, config and joins work', async () => {
    const app = await start({ ingestLimits: { minFreeBytes: Number.MAX_SAFE_INTEGER } });
    const refused = await post(app, batch([usage()]));
    expect(refused.statusCode).toBe(507);
    expect(refused.json()).toMatchObject({ code: 'storage-full' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(stored()).toBe(0);
    const host = { host: '127.0.0.1' };
    expect((await app.inject({ url: '/alice/7Q3DSSYV', headers: host })).statusCode).toBe(200);
    expect((await app.inject({ url: '/config/webservice.json', headers: host })).statusCode).toBe(200);
    const join = await app.inject({
      method: 'POST',
      url: '/api/v1/meetings/alice/7Q3DSSYV/participants',
      headers: { ...host, 'content-type': 'application/json' },
      payload: { displayName: 'Dana' },
    });
    expect(join.statusCode).toBe(201);
  });
});

describe('what a real page can produce', () => {
  it.each([
    ['a count no page makes', { value: 100_000, metric: 'imSent' }],
    ['more join attempts than a flush holds', { value: 101 }],
    ['more than a day of meeting minutes', { value: 1441, metric: 'meetingMinutes' }],
    ['a timestamp of 1e300', { ts: 1e300 }],
    ['a timestamp after 2100', { ts: Date.UTC(2100, 0, 2) }],
  ])('refuses %s', async (_name, extra) => {
    const app = await start({});
    const response = await post(app, batch([usage(extra)]));
    expect(response.statusCode).toBe(400);
    expect(stored()).toBe(0);
  });

  it('takes the largest real values', async () => {
    const app = await start({});
    const events = [usage({ value: 10_000, metric: 'imReceived' }), usage({ value: 1440, metric: 'meetingMinutes' })];
    expect((await post(app, batch(events))).statusCode).toBe(200);
  });

  it('never echoes a client-chosen key in the error', async () => {
    const app = await start({});
    const response = await post(app, batch([usage({ '<img src=x onerror=alert(1)>': 1 })]));
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('img');
    expect(response.json()).toEqual({ code: 'invalid-batch', message: 'Invalid telemetry batch at an unknown field.' });
    // The schema's own names are still named, to help a developer.
    const wrong = await post(app, batch([usage({ value: 'x' })]));
    expect(wrong.json()).toEqual({ code: 'invalid-batch', message: 'Invalid telemetry batch at events.0.value.' });
  });
});
