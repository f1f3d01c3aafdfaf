/**
 * Telemetry on one PostgreSQL shared by several nodes (each "node" here is its own store: its own
 * connection pool and ingest, as a separate process would have): a batch sent to two nodes is
 * stored once, the daily quota holds exactly however the nodes race, two roll-ups at once count
 * each event once, the report counts every node's events, every node hashes with the one secret
 * (rotation included), and a store too slow to keep up refuses instead of queueing without bound.
 */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadOrCreateSecret, rotateSecret } from '../../src/server/secret';
import { openPostgresStore, type Store } from '../../src/server/sql/store';
import { createIngest, IngestOverloadedError, type IngestResult } from '../../src/server/telemetry/ingest';
import { telemetryReport } from '../../src/server/telemetry/report';
import { rolledUpTo, rollUpTelemetry } from '../../src/server/telemetry/report/rollup';
import { TELEMETRY_PATH } from '../../src/shared/constants';
import type { TelemetryBatch } from '../../src/shared/telemetry-schema';
import { freshDatabase } from '../support/postgres';
import { buildTelemetryApp } from '../support/telemetry-app';
import { seedPools } from '../support/telemetry-stores';

const SECRET = Buffer.alloc(32, 3);
const POOL = 'pool01.contoso.com';
const DEVICE_A = '3f1c2a9e-6b7d-4e8f-9a0b-1c2d3e4f5a6b';
const DEVICE_B = '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b';
const HOUR = 3_600_000;

let serial = 0;
const usage = (ts: number) => ({
  id: `pg-${process.pid}-${serial++}`,
  type: 'usage' as const,
  ts,
  metric: 'joinAttempt',
  value: 1,
});
const batch = (n: number, deviceId = DEVICE_A, ts = Date.parse('2026-11-21T09:00:00Z')): TelemetryBatch =>
  ({ v: 1, deviceId, events: Array.from({ length: n }, () => usage(ts)) }) as TelemetryBatch;
const sum = (results: IngestResult[], key: keyof IngestResult) => results.reduce((s, r) => s + r[key], 0);

let drop: () => Promise<void>;
let url: string;
type PostgresStore = Extract<Store, { dialect: 'postgres' }>;
let nodes: PostgresStore[];
/** A node: its own pool of connections to the shared database. */
const node = async () => {
  const store = (await openPostgresStore(url)) as PostgresStore;
  nodes.push(store);
  return store;
};
const count = async (where = '') =>
  Number((await nodes[0]?.sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM telemetry_events ${where}`))?.n);

beforeEach(async () => {
  const db = await freshDatabase(inject('postgresUrl'), 'tn');
  url = db.url;
  drop = db.drop;
  nodes = [];
  await seedPools((await node()).sql);
});
afterEach(async () => {
  await Promise.all(nodes.map((n) => n.close()));
  await drop();
});

describe('dedupe across nodes', () => {
  it('stores a batch sent to two nodes at once exactly once, whatever the order', async () => {
    const [a, b] = [createIngest(await node(), SECRET), createIngest(await node(), SECRET)];
    const batches = Array.from({ length: 40 }, () => batch(20));
    // Node A gets them in order, node B in reverse, both group-committing, and each batch also
    // once more on its own (a retry after a lost answer) on the other node.
    const results = await Promise.all([
      ...batches.map((x) => a.submit(POOL, x)),
      ...[...batches].reverse().map((x) => b.submit(POOL, x)),
      ...batches.filter((_, i) => i % 4 === 0).map((x, i) => (i % 2 ? a : b).storeNow(POOL, x)),
    ]);
    expect(sum(results, 'stored')).toBe(800);
    expect(sum(results, 'duplicates')).toBe(800 + 10 * 20);
    expect(sum(results, 'refused')).toBe(0);
    expect(await count()).toBe(800);
    const day = await nodes[0]?.sql.get<{ stored: number }>('SELECT stored FROM telemetry_daily WHERE pool = ?', [
      POOL,
    ]);
    expect(Number(day?.stored)).toBe(800);
  });
});

describe('the daily quota under concurrent nodes', () => {
  it('stores exactly TelemetryMaxEventsPerDay, counts the rest as refused, and duplicates take no room', async () => {
    const max = 1000;
    const ingests = [createIngest(await node(), SECRET), createIngest(await node(), SECRET)];
    const shared = Array.from({ length: 10 }, () => batch(50));
    const own = Array.from({ length: 40 }, () => batch(50));
    // 60 transactions at once (each storeNow is its own), over two pools of connections.
    const results = await Promise.all([
      ...own.map((x, i) => (ingests[i % 2] as (typeof ingests)[0]).storeNow(POOL, x, max)),
      ...shared.flatMap((x) => ingests.map((ingest) => ingest.storeNow(POOL, x, max))),
    ]);
    const sent = (own.length + shared.length * 2) * 50;
    expect(sum(results, 'stored')).toBe(max);
    expect(sum(results, 'stored') + sum(results, 'refused') + sum(results, 'duplicates')).toBe(sent);
    expect(await count()).toBe(max);
    const day = await nodes[0]?.sql.get<{ stored: number; refused: number }>(
      'SELECT stored, refused FROM telemetry_daily WHERE pool = ?',
      [POOL.toUpperCase()],
    );
    expect({ stored: Number(day?.stored), refused: Number(day?.refused) }).toEqual({
      stored: max,
      refused: sum(results, 'refused'),
    });
    // The report shows what was refused, whichever node refused it.
    const report = await telemetryReport(nodes[1]?.sql as Store['sql'], { pool: POOL, utc: true });
    expect(report.pools[0]?.eventsRefused).toBe(sum(results, 'refused'));
  });

  it("stores exactly one address's share across nodes, however its batches are spread", async () => {
    const ingests = [createIngest(await node(), SECRET), createIngest(await node(), SECRET)];
    const sender = { address: '198.51.100.7', maxPerDay: 300 };
    const other = { address: '198.51.100.8', maxPerDay: 300 };
    const results = await Promise.all([
      ...Array.from({ length: 20 }, (_, i) =>
        (ingests[i % 2] as (typeof ingests)[0]).submit(POOL, batch(50), 10_000, sender),
      ),
      ...Array.from({ length: 4 }, (_, i) =>
        (ingests[i % 2] as (typeof ingests)[0]).storeNow(POOL, batch(50), 10_000, other),
      ),
    ]);
    const own = results.slice(0, 20);
    expect(sum(own, 'stored')).toBe(300);
    expect(sum(own, 'refusedOverShare')).toBe(700);
    expect(sum(results.slice(20), 'stored')).toBe(200);
    const rows = await nodes[0]?.sql.all<{ stored: number }>(
      'SELECT stored FROM telemetry_address_daily ORDER BY stored',
    );
    expect(rows?.map((r) => Number(r.stored))).toEqual([200, 300]);
    const day = await nodes[0]?.sql.get<{ refused: number; refused_address: number }>(
      'SELECT refused, refused_address FROM telemetry_daily WHERE pool = ?',
      [POOL],
    );
    expect({ refused: Number(day?.refused), address: Number(day?.refused_address) }).toEqual({
      refused: 0,
      address: 700,
    });
  });

  it('lets duplicates give their room back within one transaction', async () => {
    const ingest = createIngest(await node(), SECRET);
    const first = batch(6);
    expect(await ingest.storeNow(POOL, first, 8)).toMatchObject({ stored: 6, duplicates: 0, refused: 0 });
    // 4 already stored, then 4 new: 2 fit under the quota of 8.
    const mixed = { ...first, events: [...first.events.slice(0, 4), ...batch(4).events] };
    expect(await ingest.storeNow(POOL, mixed, 8)).toMatchObject({ stored: 2, duplicates: 4, refused: 2 });
    expect(await count()).toBe(8);
  });
});

describe('roll-ups and the report across nodes', () => {
  it('two nodes rolling up at once count each event once', async () => {
    const start = Date.parse('2026-11-21T06:00:00Z');
    let clock = start;
    const a = createIngest(await node(), SECRET, () => clock);
    const b = createIngest(await node(), SECRET, () => clock);
    // Six hours of arrivals: several roll-up windows, so the two passes really interleave.
    for (let hour = 0; hour < 6; hour++) {
      clock = start + hour * HOUR;
      await a.storeNow(POOL, batch(30, DEVICE_A));
      await b.storeNow(POOL, batch(20, DEVICE_B));
    }
    const now = start + 7 * HOUR;
    const [x, y] = [nodes[1] as PostgresStore, nodes[2] as PostgresStore];
    await Promise.all([rollUpTelemetry(x.sql, now), rollUpTelemetry(y.sql, now), rollUpTelemetry(x.sql, now)]);
    expect(await rolledUpTo(x.sql)).toBe(now - 120_000);
    const rows = await x.sql.all<{ aggregate: string }>('SELECT aggregate FROM telemetry_rollup');
    const attempts = rows
      .map((r) => JSON.parse(r.aggregate) as (string | number)[])
      .reduce((total, pairs) => total + Number(pairs[pairs.indexOf('u:joinAttempt') + 1] ?? 0), 0);
    expect(attempts).toBe(300);
    const report = await telemetryReport(y.sql, { since: '2026-11-21', until: '2026-11-21', utc: true, now });
    expect(report.pools[0]).toMatchObject({ pool: POOL, joinAttempts: 300, devices: 2 });
  });

  it('the report counts what every node stored, rolled up or not yet', async () => {
    const [x, y] = [await node(), await node()];
    await createIngest(x, SECRET).submit(POOL, batch(3, DEVICE_A, Date.now()));
    await createIngest(y, SECRET).submit(POOL, batch(2, DEVICE_B, Date.now()));
    // Arrival is the database's clock: both nodes' events are in the tail, past the watermark.
    for (const reader of [x, y]) {
      const report = await telemetryReport(reader.sql, { days: 1, utc: true });
      expect(report.pools.find((p) => p.pool === POOL)).toMatchObject({ joinAttempts: 5, devices: 2 });
    }
    // Once rolled up (two hours later), the same figures from the roll-ups. Two hours later may be
    // the next UTC day (the events arrived by the database's clock, after 22:00), so the report
    // covers that day and the one before.
    const later = Date.now() + 2 * HOUR;
    await rollUpTelemetry(x.sql, later);
    expect(await x.sql.get('SELECT COUNT(*) AS n FROM telemetry_rollup')).toEqual({ n: 1 });
    const report = await telemetryReport(y.sql, { days: 2, utc: true, now: later });
    expect(report.pools.find((p) => p.pool === POOL)).toMatchObject({ joinAttempts: 5, devices: 2 });
  });
});

describe('the UserID secret of the pool service', () => {
  const errorEvent = (userId: string) => ({
    id: `sec-${process.pid}-${serial++}`,
    type: 'error' as const,
    ts: 1,
    code: 'join:failed',
    message: 'm',
    userId,
  });
  const storedUserIds = async () =>
    (await nodes[0]?.sql.all<{ data: string }>("SELECT data FROM telemetry_events WHERE type = 'error' ORDER BY id"))
      ?.map((r) => (JSON.parse(r.data) as { userId: string }).userId)
      .sort();
  const hmac = (secret: Buffer, value: string) => createHmac('sha256', secret).update(value).digest('hex');

  it('is made once by whichever node starts first, and every node hashes with it, rotated or not', async () => {
    const starting = await Promise.all([node(), node(), node()]);
    const secrets = await Promise.all(starting.map((s) => loadOrCreateSecret(s)));
    expect(secrets[0]).toHaveLength(32);
    for (const s of secrets) expect(s.equals(secrets[0] as Buffer)).toBe(true);
    expect(await nodes[0]?.sql.get('SELECT COUNT(*) AS n FROM telemetry_secret')).toEqual({ n: 1 });

    const [a, b] = starting.slice(0, 2).map((s, i) => createIngest(s, secrets[i] as Buffer));
    await a?.submit(POOL, { v: 1, deviceId: DEVICE_A, events: [errorEvent('participant-42')] });
    await b?.submit(POOL, { v: 1, deviceId: DEVICE_B, events: [errorEvent('participant-42')] });
    const before = hmac(secrets[0] as Buffer, 'participant-42');
    expect(await storedUserIds()).toEqual([before, before]);

    // Rotated by the admin (a third process): both running nodes use it from their next commit.
    const rotated = await rotateSecret(starting[2] as Store);
    expect(rotated.equals(secrets[0] as Buffer)).toBe(false);
    expect((await loadOrCreateSecret(starting[0] as Store)).equals(rotated)).toBe(true);
    await a?.submit(POOL, { v: 1, deviceId: DEVICE_A, events: [errorEvent('participant-42')] });
    await b?.storeNow(POOL, { v: 1, deviceId: DEVICE_B, events: [errorEvent('participant-42')] });
    const after = hmac(rotated, 'participant-42');
    expect(await storedUserIds()).toEqual([before, before, after, after].sort());
  });
});

describe('a store that cannot keep up', () => {
  /** Another transaction holds today's quota row of the pool: commits wait for it. */
  async function holdQuotaRow(store: PostgresStore) {
    const blocker = await store.pool.connect();
    await blocker.query('BEGIN');
    await blocker.query(
      `INSERT INTO telemetry_daily (pool, day) VALUES ($1, $2)
       ON CONFLICT (pool, day) DO UPDATE SET stored = telemetry_daily.stored`,
      [POOL, new Date().toISOString().slice(0, 10)],
    );
    return {
      async release() {
        await blocker.query('COMMIT');
        blocker.release();
      },
    };
  }
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('refuses what would wait past the cap, and commits what it took once the store moves', async () => {
    const store = await node();
    const ingest = createIngest(store, SECRET, undefined, { maxWaitingEvents: 100 });
    const hold = await holdQuotaRow(store);
    const inFlight = ingest.submit(POOL, batch(50));
    // The next turn starts the commit, which then waits on the row lock.
    await nextTurn();
    const waiting = [ingest.submit(POOL, batch(50)), ingest.submit(POOL, batch(50))];
    await expect(ingest.submit(POOL, batch(1))).rejects.toBeInstanceOf(IngestOverloadedError);
    await hold.release();
    const results = await Promise.all([inFlight, ...waiting]);
    expect(sum(results, 'stored')).toBe(150);
    expect(await count()).toBe(150);
  });

  it('the route answers 503 busy past the cap, and 200 to every batch it took once the store moves', async () => {
    const store = await node();
    const { app, ingest } = buildTelemetryApp({ store, secret: SECRET });
    const post = (b: TelemetryBatch) =>
      app.inject({ method: 'POST', url: TELEMETRY_PATH, headers: { 'content-type': 'application/json' }, payload: b });
    const hold = await holdQuotaRow(store);
    try {
      // The route's own ingest takes a batch, whose commit then waits on the row lock.
      const first = ingest.submit(POOL, batch(500));
      await nextTurn();
      // 20,000 events may wait by default: 40 batches of 500 wait, 5 more are refused at once.
      let busy = 0;
      let fiveBusy: () => void = () => {};
      const refusedFive = new Promise<void>((resolve) => {
        fiveBusy = resolve;
      });
      const answers = Array.from({ length: 45 }, () =>
        post(batch(500)).then((r) => {
          if (r.statusCode === 503 && ++busy === 5) fiveBusy();
          return r;
        }),
      );
      await refusedFive;
      await hold.release();
      expect((await first).stored).toBe(500);
      const all = await Promise.all(answers);
      expect(all.filter((r) => r.statusCode === 200)).toHaveLength(40);
      const refused = all.filter((r) => r.statusCode === 503);
      expect(refused).toHaveLength(5);
      for (const r of refused) {
        expect(r.json()).toMatchObject({ code: 'busy' });
        expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect(await count()).toBe(41 * 500);
    } finally {
      await app.close();
    }
  });
});

describe('the ingest route on PostgreSQL', () => {
  const post = (app: ReturnType<typeof buildTelemetryApp>['app'], body: unknown) =>
    app.inject({
      method: 'POST',
      url: TELEMETRY_PATH,
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '203.0.113.9' },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('stores at most TelemetryMaxEventsPerDay a day and reports the refused count', async () => {
    const store = await node();
    const { app } = buildTelemetryApp({
      store,
      secret: SECRET,
      maxEventsPerDay: 30,
      limits: { addressShareOfDailyQuota: 1 },
    });
    try {
      expect((await post(app, batch(20))).json()).toEqual({ stored: 20, duplicates: 0, refused: 0 });
      const partly = await post(app, batch(20));
      expect(partly.statusCode).toBe(429);
      expect(partly.json()).toMatchObject({ code: 'daily-quota-exceeded', stored: 10, duplicates: 0, refused: 10 });
      expect((await post(app, batch(5))).json()).toMatchObject({ stored: 0, duplicates: 0, refused: 5 });
      expect(await count()).toBe(30);
      const report = await telemetryReport(store.sql, { pool: POOL, utc: true });
      expect(report.pools[0]?.eventsRefused).toBe(15);
    } finally {
      await app.close();
    }
  });

  it('hashes every UserID, keeps no IP, dedupes, and leaves the store unchanged on a bad batch', async () => {
    const store = await node();
    const { app } = buildTelemetryApp({ store, secret: SECRET });
    try {
      const error = {
        id: `pe-${serial++}-abcdefgh`,
        type: 'error',
        ts: 3,
        code: 'join:x',
        message: 'm',
        userId: 'participant-42',
      };
      const body = { v: 1, deviceId: DEVICE_A, events: [error, usage(1)] };
      expect((await post(app, body)).json()).toEqual({ stored: 2, duplicates: 0, refused: 0 });
      expect((await post(app, body)).json()).toEqual({ stored: 0, duplicates: 2, refused: 0 });
      const rows = await store.sql.all<Record<string, unknown>>('SELECT * FROM telemetry_events ORDER BY id');
      const text = JSON.stringify(rows);
      expect(text).not.toContain('participant-42');
      expect(text).not.toContain('203.0.113.9');
      expect(text).not.toContain('127.0.0.1');
      const stored = rows.find((r) => r.type === 'error') as { data: string; device_id: string; pool: string };
      expect(stored).toMatchObject({ device_id: DEVICE_A, pool: POOL });
      expect((JSON.parse(stored.data) as { userId: string }).userId).toBe(
        createHmac('sha256', SECRET).update('participant-42').digest('hex'),
      );
      for (const bad of [
        '{"v":1,',
        { ...body, v: 2 },
        { v: 1, deviceId: DEVICE_A, events: [{ ...usage(1), displayName: 'Zoë' }] },
      ]) {
        expect((await post(app, bad)).statusCode).toBe(400);
      }
      expect(await count()).toBe(2);
    } finally {
      await app.close();
    }
  });
});
