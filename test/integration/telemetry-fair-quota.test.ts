/**
 * A fair daily quota (issue 21, finding 5), on both engines through the real ingest route: one
 * client address stores at most its share of the pool's TelemetryMaxEventsPerDay, the others keep
 * sending; past the pool's quota or the address's share the answer is 429 with Retry-After until
 * the next UTC day (the clock is handed in, across 23:59:59 → 00:00 UTC); refusals are counted per
 * cause in the report; the per-address counts are stored under a keyed hash of the day and the
 * address (never the address) and are gone after the day.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatReport, telemetryReport } from '../../src/server/telemetry/report';
import { formatCsv } from '../../src/server/telemetry/report/csv';
import { formatHtml } from '../../src/server/telemetry/report/html/page';
import { forgetPastAddressCounts } from '../../src/server/telemetry/retention';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import { buildTelemetryApp, TELEMETRY_APP_POOL as POOL } from '../support/telemetry-app';
import { ENGINES, openTelemetryStore, type TelemetryStore } from '../support/telemetry-stores';

const SECRET = Buffer.alloc(32, 7);
const EVENING = Date.UTC(2026, 11, 7, 23, 59, 59);
const MIDNIGHT = Date.UTC(2026, 11, 8, 0, 0, 0);
let serial = 0;

const usage = () => ({
  id: `fair-${serial++}-abcdefgh`,
  type: 'usage',
  ts: EVENING - 1000,
  metric: 'joinAttempt',
  value: 1,
});
const batch = (n: number) => ({
  v: 1,
  deviceId: '5b2f7c1e-8d44-4b7a-9a53-1f0e2d3c4b5a',
  events: Array.from({ length: n }, usage),
});

describe.each(ENGINES)('the daily quota is shared fairly between addresses (%s)', (engine) => {
  let t: TelemetryStore;
  let now = EVENING;
  beforeEach(async () => {
    t = await openTelemetryStore(engine);
    now = EVENING;
  });
  afterEach(async () => {
    await t.cleanup();
  });

  /** The route over the store: 100 events a day for the pool, a tenth of it per address. */
  const app = () =>
    buildTelemetryApp({
      store: t.store,
      secret: SECRET,
      maxEventsPerDay: 100,
      limits: { addressShareOfDailyQuota: 0.1 },
      now: () => now,
    }).app;
  const post = (a: ReturnType<typeof app>, n: number, remoteAddress: string) =>
    a.inject({
      method: 'POST',
      url: TELEMETRY_PATH,
      remoteAddress,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(batch(n)),
    });

  it('one address stores its share, then gets 429 until midnight UTC while others keep sending', async () => {
    const a = app();
    try {
      expect((await post(a, 6, '198.51.100.7')).json()).toEqual({ stored: 6, duplicates: 0, refused: 0 });
      const over = await post(a, 6, '198.51.100.7');
      expect(over.statusCode).toBe(429);
      expect(over.headers['retry-after']).toBe('1');
      expect(over.json()).toMatchObject({ code: 'address-quota-exceeded', stored: 4, refused: 2 });
      // Spent: nothing more from that address today, whatever the batch.
      expect((await post(a, 1, '198.51.100.7')).statusCode).toBe(429);
      // Another address has its own share.
      expect((await post(a, 10, '198.51.100.8')).json()).toEqual({ stored: 10, duplicates: 0, refused: 0 });
      expect(await t.count('telemetry_events')).toBe(20);

      // 00:00 UTC: a new day, a new share.
      now = MIDNIGHT;
      expect((await post(a, 10, '198.51.100.7')).json()).toEqual({ stored: 10, duplicates: 0, refused: 0 });
      const again = await post(a, 1, '198.51.100.7');
      expect(again.statusCode).toBe(429);
      expect(again.headers['retry-after']).toBe('86400');
    } finally {
      await a.close();
    }
  });

  it("past the pool's own quota every address gets 429, and the report counts each cause", async () => {
    const a = app();
    try {
      // Ten addresses at their share fill the pool's 100.
      for (let i = 1; i <= 10; i++) expect((await post(a, 10, `203.0.113.${i}`)).statusCode).toBe(200);
      const pool = await post(a, 5, '203.0.113.50');
      expect(pool.statusCode).toBe(429);
      expect(pool.json()).toMatchObject({ code: 'daily-quota-exceeded', stored: 0, refused: 5 });
      expect(Number(pool.headers['retry-after'])).toBe(1);
      const share = await post(a, 3, '203.0.113.1');
      expect(share.statusCode).toBe(429);
      // The pool's quota is checked first: once it is spent, that is the cause for everyone.
      expect(share.json()).toMatchObject({ code: 'daily-quota-exceeded', refused: 3 });
      now = MIDNIGHT;
      await post(a, 10, '203.0.113.60');
      const over = await post(a, 4, '203.0.113.60');
      expect(over.json()).toMatchObject({ code: 'address-quota-exceeded', refused: 4 });
      expect(await t.count('telemetry_events')).toBe(110);

      const report = await telemetryReport(t.sql, {
        pool: POOL,
        utc: true,
        since: '2026-12-07',
        until: '2026-12-08',
        now: MIDNIGHT + 3_600_000,
      });
      const p = report.pools[0];
      expect(p?.eventsRefused).toBe(12);
      expect(p?.eventsRefusedByCause).toEqual({ poolQuota: 8, addressShare: 4 });
      expect(p?.days.map((d) => [d.date, d.eventsRefusedByCause])).toEqual([
        ['2026-12-07', { poolQuota: 8, addressShare: 0 }],
        ['2026-12-08', { poolQuota: 0, addressShare: 4 }],
      ]);
      expect(formatReport(report)).toContain(
        "  over daily quota: 12 events refused (pool quota 8, one address's share 4)",
      );
      const csv = formatCsv(report).split('\r\n');
      expect(csv[0]).toMatch(/,eventsRefusedPoolQuota,eventsRefusedAddressShare$/);
      expect(csv[1]).toMatch(/^pool01\.contoso\.com,2026-12-07,.*,8,0$/);
      expect(csv[2]).toMatch(/^pool01\.contoso\.com,2026-12-08,.*,0,4$/);
      const html = formatHtml(report, new Date(MIDNIGHT));
      expect(html).toContain('<dt>Events refused: pool quota</dt><dd>8</dd>');
      expect(html).toContain("<dt>Events refused: one address's share</dt><dd>4</dd>");
    } finally {
      await a.close();
    }
  });

  it('stores no address: a keyed hash of the day and the address, deleted after the day', async () => {
    const a = app();
    try {
      await post(a, 3, '198.51.100.7');
      await post(a, 2, '2001:db8::7');
      const rows = await t.sql.all<Record<string, unknown>>('SELECT * FROM telemetry_address_daily ORDER BY stored');
      const text = JSON.stringify(rows);
      expect(text).not.toContain('198.51.100.7');
      expect(text).not.toContain('2001:db8');
      const key = (address: string, day: string) =>
        createHmac('sha256', SECRET).update(`telemetry-address|${day}|${address}`).digest('hex');
      expect(rows.map((r) => [r.day, r.address, Number(r.stored)])).toEqual([
        ['2026-12-07', key('2001:db8::7', '2026-12-07'), 2],
        ['2026-12-07', key('198.51.100.7', '2026-12-07'), 3],
      ]);
      // Nothing else about a sender reaches the store.
      expect(JSON.stringify(await t.sql.all('SELECT * FROM telemetry_events'))).not.toContain('198.51.100.7');

      // The first batch of the next day deletes the day before's counts (the ingest)...
      now = MIDNIGHT;
      await post(a, 1, '198.51.100.9');
      await expect.poll(() => t.count('telemetry_address_daily', "WHERE day = '2026-12-07'")).toBe(0);
      expect(await t.count('telemetry_address_daily')).toBe(1);
      // ...and the hourly sweep does it for a pool that received nothing since midnight.
      expect(await forgetPastAddressCounts(t.store, MIDNIGHT + 86_400_000)).toBe(1);
      expect(await t.count('telemetry_address_daily')).toBe(0);
    } finally {
      await a.close();
    }
  });
});
